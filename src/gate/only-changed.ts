// STUB (owned by the reports helper): signature agreed; implementation in progress.
import type { PlannedUrl } from './model.js'

export interface ChangedUrlsOptions {
  /** The URL list files as resolved (repository-relative). */
  files: string[]
  githubToken?: string
  cwd?: string
}

/** On a pull request, keeps only URLs added or changed against the base branch. Elsewhere returns all. */
export async function selectChangedUrls(
  urls: PlannedUrl[],
  _options: ChangedUrlsOptions
): Promise<{ urls: PlannedUrl[]; skippedUnchanged: number; note?: string }> {
  return { urls, skippedUnchanged: 0 }
}

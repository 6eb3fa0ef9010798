/**
 * only-changed for media files: on a pull request, keep the files added or changed against the base commit (renames
 * followed: a file moved unchanged is skipped, moved and edited is evaluated). When the change cannot be read, every
 * file is evaluated, with a note saying why: evaluating too much is safe, too little is not.
 */
import { changedPathsSince } from '../github/changed-paths.js'
import { type PullRequestBase, notAPullRequest } from '../github/pull-request-base.js'
import { type NamedFile, plural } from '../model/index.js'

export interface ChangedFiles {
  files: NamedFile[]
  skippedUnchanged: number
  note: string
}

export async function selectChangedFiles(
  files: NamedFile[],
  /** `pullRequest`: as for selectChangedUrls, read once by the plan; `env` names the event outside a pull request. */
  options: { pullRequest: PullRequestBase | undefined; env?: NodeJS.ProcessEnv }
): Promise<ChangedFiles> {
  const env = options.env ?? process.env
  const context = options.pullRequest
  if (!context) return { files, skippedUnchanged: 0, note: notAPullRequest(env, 'file') }
  const { pr, cwd, commit, api } = context
  const changed = await changedPathsSince(pr.baseSha, {
    cwd,
    commitAvailable: commit.ok,
    api: api && { ...api, pullNumber: pr.number }
  })
  const base = pr.baseSha.slice(0, 7)
  if (!changed.ok)
    return {
      files,
      skippedUnchanged: 0,
      note: `only-changed: could not tell which files changed against ${base} (${changed.reason}), so every file is evaluated`
    }
  const kept = files.filter(f => changed.changed.has(f.path))
  const skipped = files.length - kept.length
  return {
    files: kept,
    skippedUnchanged: skipped,
    note: `only-changed: ${kept.length} of ${plural(files.length, 'file')} added or changed against the base commit ${base} (renames followed); ${skipped} unchanged skipped`
  }
}

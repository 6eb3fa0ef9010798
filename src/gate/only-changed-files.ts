/**
 * only-changed for media files: on a pull request, keep the files added or changed against the base commit (renames
 * followed: a file moved unchanged is skipped, moved and edited is evaluated). When the change cannot be read, every
 * file is evaluated, with a note saying why: evaluating too much is safe, too little is not.
 */
import { ensureCommit } from '../github/base-version.js'
import { changedPathsSince } from '../github/changed-paths.js'
import { readPullRequestContext } from '../github/event.js'
import { createOctokit } from '../github/octokit.js'
import { type NamedFile, plural } from '../model/index.js'

export interface ChangedFiles {
  files: NamedFile[]
  skippedUnchanged: number
  note: string
}

export async function selectChangedFiles(
  files: NamedFile[],
  options: { githubToken?: string; cwd?: string; env?: NodeJS.ProcessEnv }
): Promise<ChangedFiles> {
  const env = options.env ?? process.env
  const pr = readPullRequestContext(env)
  if (!pr)
    return {
      files,
      skippedUnchanged: 0,
      note: `only-changed: not a pull request (${env.GITHUB_EVENT_NAME || 'no GitHub event'}), so every file is evaluated`
    }
  const cwd = options.cwd ?? process.cwd()
  const commit = await ensureCommit(cwd, pr.baseSha)
  const api = options.githubToken
    ? { octokit: createOctokit(options.githubToken, env), owner: pr.owner, repo: pr.repo, pullNumber: pr.number }
    : undefined
  const changed = await changedPathsSince(pr.baseSha, { cwd, commitAvailable: commit.ok, api })
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

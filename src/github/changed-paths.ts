/**
 * Which files a pull request added or changed against its base commit, for only-changed on media files. Renames are
 * followed: a file moved with identical content (git's R100) is unchanged; moved and edited, it is changed. From git
 * when the base commit is available (one `git diff -M`), else from the GitHub API's list of the pull request's files.
 */
import { relative, resolve } from 'node:path'
import { git, nameStatusSince, toPosix } from './base-version.js'
import type { Octokit } from './octokit.js'

export type ChangedPaths =
  | {
      ok: true
      /** cwd-relative paths, forward slashes, of files added or changed. */ changed: Set<string>
      via: 'git' | 'api'
    }
  | { ok: false; reason: string }

export interface ChangedPathsOptions {
  cwd: string
  /** Result of ensureCommit for the base sha. */
  commitAvailable: boolean
  api?: { octokit: Octokit; owner: string; repo: string; pullNumber: number }
}

export async function changedPathsSince(sha: string, options: ChangedPathsOptions): Promise<ChangedPaths> {
  let gitReason = 'the base commit is not in the local repository'
  if (options.commitAvailable) {
    const diff = await nameStatusSince(options.cwd, sha)
    if (diff.ok) return { ok: true, changed: parseNameStatus(diff.stdout), via: 'git' }
    gitReason = diff.stderr.trim().split('\n')[0] || 'git diff failed'
  }
  if (!options.api) return { ok: false, reason: `${gitReason}, and no github-token to ask the GitHub API` }
  const { octokit, owner, repo, pullNumber } = options.api
  try {
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: pullNumber,
      per_page: 100
    })
    const top = await git(options.cwd, ['rev-parse', '--show-toplevel'])
    const root = top.ok ? top.stdout.trim() : (process.env.GITHUB_WORKSPACE ?? options.cwd)
    const changed = new Set<string>()
    for (const f of files) {
      // A rename without edits lists changes: 0 (the API's R100).
      if (f.status === 'removed' || (f.status === 'renamed' && f.changes === 0)) continue
      changed.add(toPosix(relative(options.cwd, resolve(root, f.filename))))
    }
    return { ok: true, changed, via: 'api' }
  } catch (error) {
    return { ok: false, reason: `${gitReason}; GitHub API: ${error instanceof Error ? error.message : String(error)}` }
  }
}

/** `git diff --name-status -z -M` output → paths added, modified, copied or renamed with edits (their new path). */
function parseNameStatus(output: string): Set<string> {
  const fields = output.split('\0')
  const changed = new Set<string>()
  for (let i = 0; i < fields.length && fields[i];) {
    const status = fields[i]
    const kind = status[0]
    if (kind === 'R' || kind === 'C') {
      const [, to] = [fields[i + 1], fields[i + 2]]
      if (!(kind === 'R' && status === 'R100')) changed.add(to)
      i += 3
      continue
    }
    if (kind !== 'D') changed.add(fields[i + 1])
    i += 2
  }
  return changed
}

/**
 * A file's content at the pull request's base commit: from git when the checkout has (or can fetch) the commit,
 * else from the GitHub contents API. `absent` means the file did not exist at base.
 */
import { execFile } from 'node:child_process'
import { relative, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import type { Octokit } from './octokit.js'
import { httpStatus } from './http-status.js'

const run = promisify(execFile)

export type BaseVersion =
  | { state: 'present'; text: string; via: 'git' | 'api' }
  | { state: 'absent'; via: 'git' | 'api' }
  | { state: 'unknown'; reason: string }

const GIT_TIMEOUT_MS = 60_000

export async function git(cwd: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('git', args, {
      cwd,
      timeout: GIT_TIMEOUT_MS,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }
    })
    return { ok: true, stdout, stderr }
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message?: string }
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message ?? '' }
  }
}

/** Makes sure `sha` is in the local repository, fetching just that commit when the checkout is shallow. */
export async function ensureCommit(cwd: string, sha: string): Promise<{ ok: boolean; reason?: string }> {
  if ((await git(cwd, ['cat-file', '-e', `${sha}^{commit}`])).ok) return { ok: true }
  const fetched = await git(cwd, ['fetch', '--no-tags', '--depth=1', 'origin', sha])
  if (fetched.ok && (await git(cwd, ['cat-file', '-e', `${sha}^{commit}`])).ok) return { ok: true }
  return { ok: false, reason: firstLine(fetched.stderr) || 'commit not available' }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}

export interface BaseReadOptions {
  cwd: string
  /** Result of ensureCommit for this sha; read once per run, not per file. */
  commitAvailable: boolean
  api?: { octokit: Octokit; owner: string; repo: string }
}

export async function readBaseVersion(file: string, sha: string, options: BaseReadOptions): Promise<BaseVersion> {
  let gitReason = 'the base commit is not in the local repository'
  if (options.commitAvailable) {
    // `./path` makes git resolve the path against cwd rather than the repository root.
    const spec = `${sha}:./${toPosix(file)}`
    if (!(await git(options.cwd, ['cat-file', '-e', spec])).ok) return { state: 'absent', via: 'git' }
    const shown = await git(options.cwd, ['show', spec])
    if (shown.ok) return { state: 'present', text: shown.stdout, via: 'git' }
    gitReason = firstLine(shown.stderr)
  }
  if (!options.api) return { state: 'unknown', reason: `${gitReason}, and no github-token to ask the GitHub API` }
  const { octokit, owner, repo } = options.api
  try {
    const response = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: await repositoryPath(file, options.cwd),
      ref: sha,
      mediaType: { format: 'raw' }
    })
    const data: unknown = response.data
    if (typeof data === 'string') return { state: 'present', text: data, via: 'api' }
    return { state: 'unknown', reason: 'the GitHub API did not return file content' }
  } catch (error) {
    if (httpStatus(error) === 404) return { state: 'absent', via: 'api' }
    return {
      state: 'unknown',
      reason: `${gitReason}; GitHub API: ${error instanceof Error ? error.message : String(error)}`
    }
  }
}

/**
 * Files the pull request renamed, new path → path at `sha`, both relative to cwd as git reports them with
 * `--relative`. Empty when git cannot tell (no checkout, commit missing): a renamed file then counts as new.
 */
export async function renamedSince(cwd: string, sha: string): Promise<Map<string, string>> {
  const diff = await nameStatusSince(cwd, sha, ['--diff-filter=R'])
  const renames = new Map<string, string>()
  if (!diff.ok) return renames
  // -z output: "R<score>", old path, new path, each NUL-terminated.
  const fields = diff.stdout.split('\0')
  for (let i = 0; i + 2 < fields.length; i += 3) renames.set(fields[i + 2], fields[i + 1])
  return renames
}

export const toPosix = (p: string): string => p.split(sep).join('/')

/** `git diff --name-status -z -M <sha> HEAD`, paths relative to cwd; renames detected. */
export function nameStatusSince(cwd: string, sha: string, extra: string[] = []) {
  return git(cwd, ['diff', '--no-ext-diff', '--relative', '--name-status', '-z', '-M', ...extra, sha, 'HEAD'])
}

/** The path from the repository root, which the contents API wants: via git when it works, else GITHUB_WORKSPACE. */
async function repositoryPath(file: string, cwd: string): Promise<string> {
  const absolute = resolve(cwd, file)
  const top = await git(cwd, ['rev-parse', '--show-toplevel'])
  const root = top.ok ? top.stdout.trim() : (process.env.GITHUB_WORKSPACE ?? cwd)
  const rel = relative(root, absolute)
  return toPosix(rel.startsWith('..') ? file : rel)
}

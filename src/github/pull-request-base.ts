/**
 * What only-changed needs about the pull request a run belongs to: its context, whether the base commit is in the
 * checkout (fetched when shallow), and the GitHub API when a token is given. Undefined outside pull requests.
 */
import { ensureCommit } from './base-version.js'
import { type PullRequestContext, readPullRequestContext } from './event.js'
import type { Octokit } from './octokit.js'

export interface PullRequestBase {
  pr: PullRequestContext
  cwd: string
  commit: { ok: boolean; reason?: string }
  api?: { octokit: Octokit; owner: string; repo: string }
}

export async function pullRequestBase(options: {
  githubToken?: string
  cwd?: string
  env: NodeJS.ProcessEnv
}): Promise<PullRequestBase | undefined> {
  const pr = readPullRequestContext(options.env)
  if (!pr) return undefined
  const cwd = options.cwd ?? process.cwd()
  const commit = await ensureCommit(cwd, pr.baseSha)
  const api = options.githubToken
    ? // Loaded only here: most runs never call the REST API (see docs/performance.md).
      {
        octokit: (await import('./octokit.js')).createOctokit(options.githubToken, options.env),
        owner: pr.owner,
        repo: pr.repo
      }
    : undefined
  return { pr, cwd, commit, api }
}

/** The note when only-changed does not apply: every `what` (URL, file) is evaluated. */
export function notAPullRequest(env: NodeJS.ProcessEnv, what: string): string {
  return `only-changed: not a pull request (${env.GITHUB_EVENT_NAME || 'no GitHub event'}), so every ${what} is evaluated`
}

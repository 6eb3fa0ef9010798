/**
 * The pull request this run belongs to, read from the event payload at GITHUB_EVENT_PATH at call time
 * (`@actions/github`'s `context` is frozen at import, which tests and the CLI cannot rely on).
 */
import { readFileSync } from 'node:fs'

export interface PullRequestContext {
  eventName: string
  owner: string
  repo: string
  number: number
  baseSha: string
  headSha?: string
  baseRef?: string
}

/** Events whose runs get the sticky comment. */
export const COMMENT_EVENTS = ['pull_request', 'pull_request_target'] as const

interface PullRequestPayload {
  pull_request?: {
    number?: number
    base?: { sha?: string; ref?: string; repo?: { full_name?: string } | null }
    /** `repo` is null when the fork it came from was deleted. */
    head?: { sha?: string; repo?: { full_name?: string } | null }
  }
  repository?: { full_name?: string }
}

/**
 * The event as read once, so a caller needing several facts of it (the pull request, whether the run is restricted)
 * parses the file once: its payload is undefined when there is none or it cannot be read.
 */
export interface GitHubEvent {
  payload?: PullRequestPayload
}

export function readEvent(env: NodeJS.ProcessEnv = process.env): GitHubEvent {
  return { payload: readPayload(env) }
}

/** The event payload at GITHUB_EVENT_PATH, or undefined when there is none or it cannot be read. */
function readPayload(env: NodeJS.ProcessEnv): PullRequestPayload | undefined {
  const path = env.GITHUB_EVENT_PATH
  if (!path) return undefined
  try {
    const payload: unknown = JSON.parse(readFileSync(path, 'utf8'))
    return payload && typeof payload === 'object' ? (payload as PullRequestPayload) : undefined
  } catch {
    return undefined
  }
}

/** The pull request of the current event, or undefined when the event is not about one (or the payload is unreadable). */
export function readPullRequestContext(
  env: NodeJS.ProcessEnv = process.env,
  { payload }: GitHubEvent = readEvent(env)
): PullRequestContext | undefined {
  if (!payload) return undefined
  const pr = payload.pull_request
  if (!pr || typeof pr.number !== 'number' || !pr.base?.sha) return undefined
  const fullName = env.GITHUB_REPOSITORY || payload.repository?.full_name || pr.base.repo?.full_name || ''
  const [owner, repo] = fullName.split('/')
  if (!owner || !repo) return undefined
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    owner,
    repo,
    number: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head?.sha,
    baseRef: pr.base.ref
  }
}

/** The link to this workflow run, when running in Actions. */
export function workflowRunUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined
}

/** Dependabot's actor name: its runs get Dependabot secrets only and a read-only token, like a fork's. */
const DEPENDABOT_ACTOR = 'dependabot[bot]'

/**
 * Why this run gets neither the repository's secrets nor a token that can write, when the event shows it: a pull
 * request from a fork (head repository other than the base's, or a deleted fork), or a run Dependabot triggered.
 * `pull_request_target` runs in the base repository's context with both, so it is never restricted.
 */
export interface RestrictedRun {
  by: 'fork' | 'dependabot'
  /** Says why in a clause: "this pull request comes from the fork octo/site, ...". */
  why: string
}

/** `event`: the event when the caller has read it already; else it is read here. */
export function restrictedRun(env: NodeJS.ProcessEnv = process.env, event?: GitHubEvent): RestrictedRun | undefined {
  if (env.GITHUB_EVENT_NAME === 'pull_request_target') return undefined
  if (env.GITHUB_ACTOR === DEPENDABOT_ACTOR)
    return {
      by: 'dependabot',
      why:
        'this run was triggered by Dependabot, whose runs get only Dependabot secrets and a read-only token ' +
        '(add api-key as a Dependabot secret to evaluate its pull requests)'
    }
  const pr = (event ?? readEvent(env)).payload?.pull_request
  const base = pr?.base?.repo?.full_name
  if (!pr || !base || pr.head?.repo === undefined) return undefined
  const head = pr.head.repo?.full_name
  if (head === base) return undefined
  return {
    by: 'fork',
    why: `this pull request comes from ${head ? `the fork ${head}` : 'a fork that was deleted'}, and GitHub gives runs of pull requests from forks no repository secrets and a read-only token`
  }
}

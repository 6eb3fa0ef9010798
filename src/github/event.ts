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
    base?: { sha?: string; ref?: string; repo?: { full_name?: string } }
    head?: { sha?: string }
  }
  repository?: { full_name?: string }
}

/** The pull request of the current event, or undefined when the event is not about one (or the payload is unreadable). */
export function readPullRequestContext(env: NodeJS.ProcessEnv = process.env): PullRequestContext | undefined {
  const path = env.GITHUB_EVENT_PATH
  if (!path) return undefined
  let payload: PullRequestPayload
  try {
    payload = JSON.parse(readFileSync(path, 'utf8')) as PullRequestPayload
  } catch {
    return undefined
  }
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

/** An octokit for the GitHub REST API at GITHUB_API_URL (read at call time: GHES and tests point it elsewhere). */
import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'

export type Octokit = ReturnType<typeof getOctokit>

/** A total budget for one client's calls, so a hanging API cannot hold the gate's report hostage. */
const CLIENT_BUDGET_MS = 60_000

export function createOctokit(token: string, env: NodeJS.ProcessEnv = process.env): Octokit {
  return getOctokit(token, {
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    request: { ...defaults.request, signal: AbortSignal.timeout(CLIENT_BUDGET_MS) }
  })
}

/** The HTTP status of an octokit error, if it has one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** 401/403/404 on a write: the token cannot write here (read-only fork or Dependabot token, missing permission). */
export function isPermissionError(error: unknown): boolean {
  const status = httpStatus(error)
  return status === 401 || status === 403 || status === 404
}

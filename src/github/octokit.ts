/**
 * An octokit for the GitHub REST API at GITHUB_API_URL (read at call time: GHES and tests point it elsewhere), with
 * the retry and throttling plugins create-pull-request uses: a 5xx or a dropped connection is retried, a rate limit
 * is waited out once when the wait is short. Permission answers (401/403/404) are never retried.
 */
import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'

export type Octokit = ReturnType<typeof getOctokit>

/** A total budget for one client's calls, so a hanging API cannot hold the gate's report hostage. */
const CLIENT_BUDGET_MS = 60_000
/** Retries of a failed call (5xx, network): after 1 s, then 4 s (the plugin waits retry² seconds). */
const RETRIES = 2
/** A rate limit is waited out once, and only when it lifts this soon; longer waits give up (the summary has the verdict). */
const MAX_RATE_LIMIT_WAIT_SECONDS = 20

export function createOctokit(token: string, env: NodeJS.ProcessEnv = process.env): Octokit {
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < 1 && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS
      core.info(
        `GitHub ${kind} on ${options.method} ${options.url}: ` +
          (retrying ? `retrying in ${retryAfter} s` : `not retrying (lifts in ${retryAfter} s)`)
      )
      return retrying
    }
  return getOctokit(
    token,
    {
      baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
      request: { ...defaults.request, signal: AbortSignal.timeout(CLIENT_BUDGET_MS) },
      retry: { retries: RETRIES },
      throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') }
    },
    retry,
    throttling
  )
}

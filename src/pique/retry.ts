/**
 * Retry timing for the Pique client, in the spirit of actions/checkout's retry helper: bounded attempts,
 * exponential backoff with full jitter, and the server's own word (Retry-After, X-RateLimit-*) taking precedence.
 * Pure functions of their inputs (clock and randomness are parameters) so they are tested without waiting.
 */
import { setTimeout as delay } from 'node:timers/promises'

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number
  /**
   * Upper bound on the time one request may spend from its first attempt until the start of its last one,
   * waits included: a retry whose wait would end past it is not made. The last attempt may add up to the timeout.
   */
  maxTotalMs: number
  /** Backoff ceiling before jitter for the first retry; doubles with each further retry. */
  baseDelayMs: number
  /** Cap on a computed backoff (a server-given Retry-After / reset is honoured as is, within maxTotalMs). */
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  // Long enough to ride out a one-minute rate-limit window (the emulator's realistic 100 requests/minute).
  maxTotalMs: 120_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000
}

export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(partial) }
  for (const [key, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`retry.${key} must be a non-negative number, got ${value}`)
  }
  if (policy.maxAttempts < 1) throw new RangeError(`retry.maxAttempts must be at least 1, got ${policy.maxAttempts}`)
  return policy
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * "Full jitter" backoff: a uniform wait in [0, min(maxDelayMs, baseDelayMs * 2^(retry-1))]. Spreading retries
 * over the whole window keeps many clients (parallel workflow runs) from retrying in lockstep.
 * `retry` is 1 for the first retry.
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random
): number {
  return Math.round(random() * backoffCeilingMs(retry, policy))
}

/** Exponential backoff without jitter: baseDelayMs doubled per retry after the first, capped at maxDelayMs. */
export function backoffCeilingMs(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1))
}

// Every HTTP-date form (IMF-fixdate, RFC 850, asctime) opens with the day name. Checked first because
// Date.parse is lenient: it reads "-1" or "Retry 5" as dates in 2001, which would mean "retry at once".
const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds ("120"; decimals accepted, e.g. "0.5") or an HTTP date.
 * Undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!text) return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  if (!HTTP_DATE_START.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}

/** Rate-limit state read off a response. `resetAt` is epoch milliseconds. */
export interface RateLimitState {
  limit?: number
  remaining?: number
  /** Epoch milliseconds. */
  resetAt?: number
}

// Below this an X-RateLimit-Reset value cannot be an epoch time (it would be before 2001): some servers send
// seconds-until-reset instead, so read such values as a delta rather than waiting for a moment long past.
const EPOCH_SECONDS_FLOOR = 1_000_000_000
// Above this it cannot be epoch seconds either (it would be after the year 5000): it is epoch milliseconds, which
// read as seconds would hold every request for the whole retry budget.
const EPOCH_SECONDS_CEILING = 100_000_000_000

function resetAtMs(reset: number, now: number): number {
  if (reset < EPOCH_SECONDS_FLOOR) return Math.round(now + reset * 1000)
  return Math.round(reset >= EPOCH_SECONDS_CEILING ? reset : reset * 1000)
}

function headerNumber(value: string | string[] | undefined): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined
  return Number(text)
}

/**
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds; seconds from now and epoch
 * milliseconds are recognized too) from lower-cased headers.
 * Undefined when the response carries none of them.
 */
export function parseRateLimitHeaders(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now()
): RateLimitState | undefined {
  const limit = headerNumber(headers['x-ratelimit-limit'])
  const remaining = headerNumber(headers['x-ratelimit-remaining'])
  const reset = headerNumber(headers['x-ratelimit-reset'])
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined
  const state: RateLimitState = {}
  if (limit !== undefined) state.limit = limit
  if (remaining !== undefined) state.remaining = remaining
  if (reset !== undefined) state.resetAt = resetAtMs(reset, now)
  return state
}

/** How long the rate-limit state says to hold off before the next request: > 0 only when none remain. */
export function rateLimitWaitMs(state: RateLimitState, now: number = Date.now()): number {
  if (state.remaining !== 0 || state.resetAt === undefined) return 0
  return Math.max(0, state.resetAt - now)
}

/**
 * The wait before retrying after a response: the server's Retry-After, else its rate-limit reset when it says
 * none remain, else full-jitter backoff. `serverSaid` tells the caller the wait was not ours to shorten.
 */
export function retryDelay(
  retry: number,
  policy: RetryPolicy,
  server: { retryAfterMs?: number; rateLimit?: RateLimitState },
  now: number = Date.now(),
  random: () => number = Math.random
): { delayMs: number; serverSaid: boolean } {
  if (server.retryAfterMs !== undefined) return { delayMs: server.retryAfterMs, serverSaid: true }
  const untilReset = server.rateLimit ? rateLimitWaitMs(server.rateLimit, now) : 0
  if (untilReset > 0) return { delayMs: untilReset, serverSaid: true }
  return { delayMs: backoffDelayMs(retry, policy, random), serverSaid: false }
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? delay(ms) : Promise.resolve()
}

/**
 * `api` mode: poll GET /v1/evaluations/results/{job_id} for pending jobs only. The interval starts at
 * poll-interval-seconds, backs off while nothing finishes, and stretches to the rate-limit reset when the
 * remaining quota cannot cover a round (the client itself retries 429s after Retry-After).
 */
import type { RateLimitState } from '../pique/client.js'
import { sleep } from '../pique/retry.js'
import { lookupOnce, type ResultLookup } from './lookup.js'
import type { GateLog } from './log.js'
import type { JobTracker } from './tracker.js'

export interface ApiWaitOptions {
  deadline: number
  concurrency: number
  pollIntervalMs: number
  /** Ceiling of the backed-off interval. */
  maxPollIntervalMs?: number
  /** The client's view of the rate limit, read after each round. */
  rateLimit?: () => RateLimitState
  log: GateLog
}

const BACKOFF = 1.5
const DEFAULT_MAX_INTERVAL_MS = 60_000

export async function waitWithApi(api: ResultLookup, tracker: JobTracker, options: ApiWaitOptions): Promise<void> {
  const maxInterval = Math.max(options.pollIntervalMs, options.maxPollIntervalMs ?? DEFAULT_MAX_INTERVAL_MS)
  const warned = new Set<string>()
  let interval = options.pollIntervalMs
  let delay = interval
  let rotation = 0
  while (tracker.pending().length > 0) {
    const left = options.deadline - Date.now()
    if (left <= 0) return
    await sleep(Math.min(delay, left))
    const round = pollOrder(tracker.pending(), rotation, options.rateLimit?.())
    rotation += round.length
    options.log.debug(
      `Polling ${round.length} of ${tracker.pending().length} pending jobs after ${Math.round(Math.min(delay, left))} ms`
    )
    const before = tracker.done
    await lookupOnce(api, round, tracker, {
      concurrency: options.concurrency,
      log: options.log,
      warned,
      deadline: options.deadline
    })
    interval = tracker.done > before ? options.pollIntervalMs : Math.min(interval * BACKOFF, maxInterval)
    const limit = options.rateLimit?.()
    const hold = rateLimitWait(limit, tracker.pending().length)
    if (hold > interval)
      options.log.debug(
        `Rate limit: ${limit?.remaining} requests left for ${tracker.pending().length} pending jobs; next poll at the reset in ${Math.round(hold)} ms`
      )
    else if (tracker.done === before)
      options.log.debug(`No job finished this round: next poll in ${Math.round(interval)} ms`)
    delay = Math.max(interval, hold)
  }
}

/** The jobs to poll this round: rotated so a quota-limited round reaches every job over time. */
export function pollOrder(
  pending: readonly string[],
  rotation: number,
  limit: RateLimitState | undefined,
  now = Date.now()
): string[] {
  if (pending.length === 0) return []
  const start = rotation % pending.length
  const rotated = [...pending.slice(start), ...pending.slice(0, start)]
  const quota = liveQuota(limit, now)
  return quota === undefined ? rotated : rotated.slice(0, Math.max(1, quota))
}

/**
 * The remaining quota the last rate-limited answer reported, or undefined once its window has reset. The client
 * keeps the last state it saw, and a server that sends the headers only with its 429s never refreshes it: a
 * stale `remaining: 0` must not hold every later round to one job.
 */
export function liveQuota(limit: RateLimitState | undefined, now: number): number | undefined {
  if (limit?.remaining === undefined) return undefined
  if (limit.resetAt !== undefined && limit.resetAt <= now) return undefined
  return limit.remaining
}

/** How long to hold off so the next round fits the remaining quota: until the reset when it cannot. */
export function rateLimitWait(limit: RateLimitState | undefined, pending: number, now = Date.now()): number {
  if (!limit || limit.remaining === undefined || limit.resetAt === undefined) return 0
  if (limit.remaining >= pending) return 0
  return Math.max(0, limit.resetAt - now)
}

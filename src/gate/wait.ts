/**
 * Wait for the submitted jobs by the chosen mode, with a progress line at least every `progressEveryMs`
 * (done/total, failing so far, time left). Returns when every job finished or the deadline passed.
 */
import type { RateLimitState } from '../pique/client.js'
import type { WaitMode } from '../config/settings.js'
import type { GateLog } from './log.js'
import type { ResultLookup } from './lookup.js'
import type { JobTracker } from './tracker.js'
import { waitWithApi } from './wait-api.js'
import { OVERDUE_RULES, type SubmittedJob } from './overdue.js'
import { type StoreReader, type StoreWaitOptions, waitWithStore } from './wait-store.js'

export interface WaitOptions {
  deadline: number
  /** The whole run's budget (timeout-minutes), which sizes the store mode's lookup margin. */
  timeoutMs: number
  pollIntervalMs: number
  concurrency: number
  log: GateLog
  rateLimit?: () => RateLimitState
  progressEveryMs?: number
  quietLookupMs?: number
  /** Store mode: each job's batch and submit time, for looking overdue jobs up (overdue.ts). */
  jobs?: ReadonlyMap<string, SubmittedJob>
  /** Store mode: overrides of the overdue rules (tests, the fault suite). */
  overdue?: StoreWaitOptions['overdue']
}

export const PROGRESS_EVERY_MS = 30_000
/** Store mode looks the stragglers up this long before the deadline, at most; a fifth of short budgets. */
export const MAX_LOOKUP_MARGIN_MS = 30_000

export function lookupMargin(timeoutMs: number): number {
  return Math.min(MAX_LOOKUP_MARGIN_MS, timeoutMs / 5)
}

export async function waitForResults(
  mode: Exclude<WaitMode, 'none'>,
  sources: { api: ResultLookup; store?: StoreReader },
  tracker: JobTracker,
  options: WaitOptions
): Promise<{ timedOut: boolean }> {
  const { log } = options
  const progress = () =>
    log.info(
      `Progress: ${tracker.done}/${tracker.total} done, ${tracker.failing()} failing so far, ${formatDuration(options.deadline - Date.now())} left`
    )
  const timer = setInterval(progress, options.progressEveryMs ?? PROGRESS_EVERY_MS)
  timer.unref()
  try {
    if (mode === 'store') {
      if (!sources.store) throw new Error('store mode needs a store client')
      await waitWithStore(sources.store, sources.api, tracker, {
        deadline: options.deadline,
        lookupMarginMs: lookupMargin(options.timeoutMs),
        quietLookupMs: options.quietLookupMs ?? OVERDUE_RULES.quietMs,
        concurrency: options.concurrency,
        log,
        jobs: options.jobs,
        overdue: options.overdue,
        rateLimit: options.rateLimit
      })
    } else {
      await waitWithApi(sources.api, tracker, {
        deadline: options.deadline,
        concurrency: options.concurrency,
        pollIntervalMs: options.pollIntervalMs,
        rateLimit: options.rateLimit,
        log
      })
    }
  } finally {
    clearInterval(timer)
  }
  progress()
  return { timedOut: tracker.pending().length > 0 }
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`
}

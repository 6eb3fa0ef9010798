/**
 * `store` mode: long-poll the companion webhook store for every pending job at once, passing the cursor back so
 * each answer only waits for news. A job whose webhook seems lost is looked up on the results endpoint as soon as it
 * is overdue by what the run has seen (overdue.ts: its batch-mates' times, with a floor), and again later, spaced,
 * while it stays unfinished or its lookup fails; rounds of lookups stay within the rate-limit quota the API reports.
 * Near the deadline every job still missing is looked up once more, then the store is watched until the deadline.
 */
import type { RateLimitState } from '../pique/client.js'
import { parseResultBody } from '../pique/results.js'
import { backoffDelayMs, sleep } from '../pique/retry.js'
import { MAX_QUERY_JOBS, MAX_WAIT_SECONDS, type QueryResponse } from '../store/protocol.js'
import { chunk } from './concurrency.js'
import { GateError, errorMessage, isAuthError } from './errors.js'
import { lookupOnce, type ResultLookup } from './lookup.js'
import type { GateLog } from './log.js'
import { LookupSchedule, OVERDUE_RULES, type OverdueRules, type SubmittedJob } from './overdue.js'
import type { JobTracker } from './tracker.js'
import { plural } from '../model/index.js'
import { liveQuota } from './wait-api.js'

export interface StoreReader {
  query(request: {
    job_ids: string[]
    wait_seconds?: number
    after?: number
    changed_only?: boolean
  }): Promise<QueryResponse>
}

export interface StoreWaitOptions {
  deadline: number
  /** Look the jobs still missing up on the results endpoint this long before the deadline. */
  lookupMarginMs: number
  /** Look pending jobs up on the results endpoint when none has finished for this long (nothing to compare with). */
  quietLookupMs: number
  concurrency: number
  log: GateLog
  /** Each job's batch and submit time, for overdue lookups; without it all count as one batch submitted now. */
  jobs?: ReadonlyMap<string, SubmittedJob>
  /** Overrides of the overdue rules (floor, factor, spacing); `quietMs` comes from `quietLookupMs`. */
  overdue?: Partial<Omit<OverdueRules, 'quietMs'>>
  /** The client's view of the rate limit: a round of lookups takes at most the remaining quota. */
  rateLimit?: () => RateLimitState
}

/** An answer faster than this with no news is treated as a store that does not long-poll: pause before asking again. */
const EAGER_ANSWER_MS = 50
const EAGER_PAUSE_MS = 250
/** Pauses while the store does not answer: jittered, so many runs waiting on one store do not retry in lockstep. */
const STORE_RETRY = { baseDelayMs: 1_000, maxDelayMs: 10_000 }

export async function waitWithStore(
  store: StoreReader,
  api: ResultLookup,
  tracker: JobTracker,
  options: StoreWaitOptions
): Promise<void> {
  const { log } = options
  const lookupAt = options.deadline - options.lookupMarginMs
  const started = Date.now()
  const jobs =
    options.jobs ?? new Map(tracker.pending().map(id => [id, { batchId: '', submittedAt: started } as SubmittedJob]))
  const schedule = new LookupSchedule(
    jobs,
    tracker.finishedAt,
    { ...OVERDUE_RULES, ...options.overdue, quietMs: options.quietLookupMs },
    started
  )
  const warned = new Set<string>()
  const lookUp = async (ids: readonly string[], announce: string) => {
    log.info(announce)
    const before = tracker.done
    await lookupOnce(api, ids, tracker, { concurrency: options.concurrency, log, deadline: options.deadline, warned })
    const now = Date.now()
    for (const id of ids) if (tracker.isPending(id)) schedule.lookedUp(id, now)
    if (tracker.done > before) {
      schedule.news(now)
      log.info(
        `${plural(tracker.done - before, 'result')} found on the results endpoint (their webhooks did not reach the store)`
      )
    }
  }
  let cursor = 0
  let failures = 0
  let lookedUpNearDeadline = false
  const unreadable = new Set<string>()
  for (let pending = tracker.pending(); pending.length > 0; pending = tracker.pending()) {
    // Checked before the deadline: however late the store let us get, the stragglers are looked up once.
    if (!lookedUpNearDeadline && Date.now() >= lookupAt) {
      lookedUpNearDeadline = true
      await lookUp(
        pending,
        `${plural(pending.length, 'job')} ${pending.length === 1 ? 'has' : 'have'} no result in the store near the deadline; looking them up on the results endpoint once`
      )
      continue
    }
    if (Date.now() >= options.deadline) return
    const round = lookedUpNearDeadline ? [] : withinQuota(schedule.due(pending), options.rateLimit?.())
    if (round.length > 0) {
      await lookUp(round, overdueLine(round.length, tracker))
      continue
    }
    // Each long-poll ends in time for the next lookup (or the reset that frees the quota); after the last, at the deadline.
    const nextLookup = lookedUpNearDeadline
      ? options.deadline
      : Math.min(lookupAt, Math.max(schedule.nextDue(pending), quotaResetAt(options.rateLimit?.())))
    const left = Math.max(0, Math.min(options.deadline, nextLookup) - Date.now())
    const asked = Date.now()
    log.debug(
      `Store query for ${plural(pending.length, 'pending job')} after cursor ${cursor}, waiting up to ${Math.round(Math.min(MAX_WAIT_SECONDS * 1000, left))} ms`
    )
    try {
      const answers = await Promise.all(
        chunk(pending, MAX_QUERY_JOBS).map(ids =>
          // Only the news: the jobs recorded from earlier answers are not pending, and are not asked for again.
          store.query({
            job_ids: ids,
            wait_seconds: Math.min(MAX_WAIT_SECONDS, left / 1000),
            after: cursor,
            changed_only: true
          })
        )
      )
      if (failures > 0) log.info('The store answers again')
      failures = 0
      // The smallest cursor: a chunk that answered later must not make another chunk skip its news.
      cursor = Math.min(...answers.map(a => a.cursor))
      const finished = recordAnswers(answers, tracker, log, unreadable)
      if (finished > 0) schedule.news()
      if (finished === 0 && Date.now() - asked < EAGER_ANSWER_MS) {
        log.debug(`The store answered at once with no news: pausing ${Math.min(EAGER_PAUSE_MS, left)} ms`)
        await sleep(Math.min(EAGER_PAUSE_MS, left))
      }
    } catch (error) {
      if (isAuthError(error))
        throw new GateError(`The store rejected the read token (store-token): ${errorMessage(error)}`)
      failures++
      if (failures === 1)
        log.warning(
          `The store did not answer (${errorMessage(error)}); retrying, and looking overdue jobs up on the API meanwhile`
        )
      await sleep(Math.min(backoffDelayMs(failures, STORE_RETRY), left))
    }
  }
}

/** At most the remaining quota the API last reported (none while it is spent and not yet reset). */
function withinQuota(ids: string[], limit: RateLimitState | undefined): string[] {
  const quota = liveQuota(limit, Date.now())
  return quota === undefined ? ids : ids.slice(0, quota)
}

/** When a spent quota frees up again (0 when it is not spent). */
function quotaResetAt(limit: RateLimitState | undefined): number {
  return liveQuota(limit, Date.now()) === 0 ? (limit?.resetAt ?? 0) : 0
}

function overdueLine(n: number, tracker: JobTracker): string {
  const why = tracker.finishedAt.size > 0 ? 'overdue against the jobs that finished' : 'no result for a while'
  return `${plural(n, 'job')} ${why}; looking ${n === 1 ? 'it' : 'them'} up on the results endpoint`
}

/** Records the terminal results of the answers; an unreadable one is warned about once per job (`unreadable`). */
function recordAnswers(answers: QueryResponse[], tracker: JobTracker, log: GateLog, unreadable: Set<string>): number {
  let finished = 0
  for (const answer of answers) {
    for (const job of answer.jobs) {
      if (!job.result || !tracker.isPending(job.job_id)) continue
      const parsed = parseResultBody(job.result, job.job_id)
      if (!parsed.ok) {
        // The store returns the job with every answer: say it once, not on every long-poll.
        if (!unreadable.has(job.job_id))
          log.warning(
            `The store holds an unreadable result for ${job.job_id} (${parsed.reason}); it will be looked up on the API`
          )
        unreadable.add(job.job_id)
        continue
      }
      if (tracker.record(parsed.result)) finished++
    }
  }
  return finished
}

/**
 * `store` mode: long-poll the companion webhook store for every pending job at once, passing the cursor back so
 * each answer only waits for news. Near the deadline, jobs the store still has no result for are looked up once on
 * the results endpoint (a lost webhook must not fail the gate), then the store is watched until the deadline itself.
 * The same lookup runs whenever no job has finished for `quietLookupMs`, so a lost webhook does not hold the run
 * until the deadline either.
 */
import { parseResultBody } from '../pique/results.js'
import { backoffDelayMs, sleep } from '../pique/retry.js'
import { MAX_QUERY_JOBS, MAX_WAIT_SECONDS, type QueryResponse } from '../store/protocol.js'
import { chunk } from './concurrency.js'
import { GateError, errorMessage, isAuthError } from './errors.js'
import { lookupOnce, type ResultLookup } from './lookup.js'
import type { GateLog } from './log.js'
import type { JobTracker } from './tracker.js'
import { plural } from '../model/index.js'

export interface StoreReader {
  query(request: { job_ids: string[]; wait_seconds?: number; after?: number }): Promise<QueryResponse>
}

export interface StoreWaitOptions {
  deadline: number
  /** Look the jobs still missing up on the results endpoint this long before the deadline. */
  lookupMarginMs: number
  /** Look pending jobs up on the results endpoint when none has finished for this long. */
  quietLookupMs: number
  concurrency: number
  log: GateLog
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
  const lookUp = async (announce: string) => {
    log.info(announce)
    const before = tracker.done
    await lookupOnce(api, tracker.pending(), tracker, {
      concurrency: options.concurrency,
      log,
      deadline: options.deadline
    })
    if (tracker.done > before)
      log.info(
        `${plural(tracker.done - before, 'result')} found on the results endpoint (their webhooks did not reach the store)`
      )
  }
  let cursor = 0
  let failures = 0
  let lastNews = Date.now()
  let lookedUpNearDeadline = false
  const unreadable = new Set<string>()
  while (tracker.pending().length > 0) {
    // Checked before the deadline: however late the store let us get, the stragglers are looked up once.
    if (!lookedUpNearDeadline && Date.now() >= lookupAt) {
      lookedUpNearDeadline = true
      await lookUp(
        `${plural(tracker.pending().length, 'job')} ${tracker.pending().length === 1 ? 'has' : 'have'} no result in the store near the deadline; looking them up on the results endpoint once`
      )
      continue
    }
    if (Date.now() >= options.deadline) return
    if (!lookedUpNearDeadline && Date.now() - lastNews >= options.quietLookupMs) {
      await lookUp(
        `No result for ${formatSeconds(options.quietLookupMs)}; looking ${plural(tracker.pending().length, 'pending job')} up on the results endpoint once`
      )
      lastNews = Date.now()
      continue
    }
    // Each long-poll ends in time for the next lookup; after the last one, at the deadline.
    const left =
      (lookedUpNearDeadline ? options.deadline : Math.min(lookupAt, lastNews + options.quietLookupMs)) - Date.now()
    const started = Date.now()
    log.debug(
      `Store query for ${plural(tracker.pending().length, 'pending job')} after cursor ${cursor}, waiting up to ${Math.round(Math.min(MAX_WAIT_SECONDS * 1000, left))} ms`
    )
    try {
      const answers = await Promise.all(
        chunk(tracker.pending(), MAX_QUERY_JOBS).map(ids =>
          store.query({ job_ids: ids, wait_seconds: Math.min(MAX_WAIT_SECONDS, left / 1000), after: cursor })
        )
      )
      if (failures > 0) log.info('The store answers again')
      failures = 0
      // The smallest cursor: a chunk that answered later must not make another chunk skip its news.
      cursor = Math.min(...answers.map(a => a.cursor))
      const finished = recordAnswers(answers, tracker, log, unreadable)
      if (finished > 0) lastNews = Date.now()
      if (finished === 0 && Date.now() - started < EAGER_ANSWER_MS) {
        log.debug(`The store answered at once with no news: pausing ${Math.min(EAGER_PAUSE_MS, left)} ms`)
        await sleep(Math.min(EAGER_PAUSE_MS, left))
      }
    } catch (error) {
      if (isAuthError(error))
        throw new GateError(`The store rejected the read token (store-token): ${errorMessage(error)}`)
      failures++
      if (failures === 1)
        log.warning(
          `The store did not answer (${errorMessage(error)}); retrying, and looking jobs up on the API near the deadline`
        )
      await sleep(Math.min(backoffDelayMs(failures, STORE_RETRY), left))
    }
  }
}

const formatSeconds = (ms: number) => `${Math.round(ms / 1000)} s`

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

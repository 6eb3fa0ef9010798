/**
 * `store` mode: long-poll the companion webhook store for every pending job at once, passing the cursor back so
 * each answer only waits for news. Near the deadline, jobs the store still has no result for are looked up once on
 * the results endpoint: a lost webhook must not fail the gate. The same lookup runs whenever no job has finished
 * for `quietLookupMs`, so a lost webhook does not hold the run until the deadline either.
 */
import { parseResultBody } from '../pique/results.js'
import { MAX_QUERY_JOBS, MAX_WAIT_SECONDS, type QueryResponse } from '../store/protocol.js'
import { chunk, sleep } from './concurrency.js'
import { GateError, errorMessage, isAuthError } from './errors.js'
import { lookupOnce, type ResultLookup } from './lookup.js'
import type { GateLog } from './log.js'
import type { JobTracker } from './tracker.js'

export interface StoreReader {
  query(request: { job_ids: string[]; wait_seconds?: number; after?: number }): Promise<QueryResponse>
}

export interface StoreWaitOptions {
  deadline: number
  /** Stop long-polling this long before the deadline and look the rest up on the results endpoint. */
  lookupMarginMs: number
  /** Look pending jobs up on the results endpoint when none has finished for this long. */
  quietLookupMs: number
  concurrency: number
  log: GateLog
}

/** An answer faster than this with no news is treated as a store that does not long-poll: pause before asking again. */
const EAGER_ANSWER_MS = 50
const EAGER_PAUSE_MS = 250
const MAX_RETRY_MS = 10_000

export async function waitWithStore(store: StoreReader, api: ResultLookup, tracker: JobTracker, options: StoreWaitOptions): Promise<void> {
  const lookupAt = options.deadline - options.lookupMarginMs
  let cursor = 0
  let failures = 0
  let lastNews = Date.now()
  while (tracker.pending().length > 0) {
    if (Date.now() >= lookupAt) break
    if (Date.now() - lastNews >= options.quietLookupMs) {
      const quiet = tracker.pending()
      options.log.info(`No result for ${formatSeconds(options.quietLookupMs)}; looking the ${quiet.length} pending job(s) up on the results endpoint once`)
      const before = tracker.done
      await lookupOnce(api, quiet, tracker, { concurrency: options.concurrency, log: options.log })
      if (tracker.done > before) options.log.info(`${tracker.done - before} result(s) found on the results endpoint (their webhooks did not reach the store)`)
      lastNews = Date.now()
      continue
    }
    const left = Math.min(lookupAt, lastNews + options.quietLookupMs) - Date.now()
    const started = Date.now()
    try {
      const answers = await Promise.all(
        chunk(tracker.pending(), MAX_QUERY_JOBS).map((ids) =>
          store.query({ job_ids: ids, wait_seconds: Math.min(MAX_WAIT_SECONDS, left / 1000), after: cursor })
        )
      )
      if (failures > 0) options.log.info('The store answers again')
      failures = 0
      // The smallest cursor: a chunk that answered later must not make another chunk skip its news.
      cursor = Math.min(...answers.map((a) => a.cursor))
      const finished = recordAnswers(answers, tracker, options.log)
      if (finished > 0) lastNews = Date.now()
      if (finished === 0 && Date.now() - started < EAGER_ANSWER_MS) await sleep(Math.min(EAGER_PAUSE_MS, left))
    } catch (error) {
      if (isAuthError(error)) throw new GateError(`The store rejected the read token (store-token): ${errorMessage(error)}`)
      failures++
      const pause = Math.min(MAX_RETRY_MS, 500 * 2 ** failures, left)
      if (failures === 1) options.log.warning(`The store did not answer (${errorMessage(error)}); retrying, and looking jobs up on the API near the deadline`)
      await sleep(pause)
    }
  }
  const missing = tracker.pending()
  if (missing.length === 0) return
  options.log.info(`${missing.length} job(s) have no result in the store near the deadline; looking them up on the results endpoint once`)
  await lookupOnce(api, missing, tracker, { concurrency: options.concurrency, log: options.log })
}

const formatSeconds = (ms: number) => `${Math.round(ms / 1000)} s`

function recordAnswers(answers: QueryResponse[], tracker: JobTracker, log: GateLog): number {
  let finished = 0
  for (const answer of answers) {
    for (const job of answer.jobs) {
      if (!job.result || !tracker.isPending(job.job_id)) continue
      const parsed = parseResultBody(job.result)
      if (!parsed.ok) {
        log.warning(`The store holds an unreadable result for ${job.job_id} (${parsed.reason}); it will be looked up on the API`)
        continue
      }
      if (tracker.record(parsed.result)) finished++
    }
  }
  return finished
}

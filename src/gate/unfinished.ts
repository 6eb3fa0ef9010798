/**
 * Why a job the gate waited for never finished in its eyes, for the report: still running at Pique by the last
 * read, or its result never reached the gate (no webhook, and the last lookup failed or was cut by the deadline),
 * though it may well have finished there. Says why the last lookup stopped. Beside the verdict, which calls it.
 */
import type { WaitMode } from '../config/settings.js'
import type { ItemOutcome, NotEvaluated } from '../model/index.js'
import type { EvaluationResult } from '../pique/results.js'
import type { LookupNote } from './tracker.js'

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19)

export function whyUnfinished(
  o: ItemOutcome,
  lastSeen: EvaluationResult | undefined,
  lookup: LookupNote | undefined,
  waitMode: WaitMode
): NotEvaluated {
  const job = o.jobId ? `job ${o.jobId}` : 'its job'
  const noWebhook = waitMode === 'store' ? 'no webhook reached the store, and ' : ''
  // A lookup cut short by the deadline after one that answered "still running" changes nothing: it was running.
  const lastFailed = lookup?.lastError !== undefined && !(lookup.stoppedByDeadline && lastSeen)
  if (lookup && lastFailed) {
    const lookups = lookup.count === 1 ? 'its lookup' : `the last of its ${lookup.count} lookups`
    const stopped = lookup.stoppedByDeadline
      ? `was cut short by the deadline at ${clock(lookup.lastAt)} (${lookup.lastError})`
      : `failed at ${clock(lookup.lastAt)}: ${lookup.lastError}`
    const seen = lastSeen ? ` It was last seen ${lastSeen.status}.` : ''
    return {
      reason: 'result_not_received',
      detail: `its result never reached the gate: ${noWebhook}${lookups} ${stopped}; ${job} may well have finished at Pique.${seen}`
    }
  }
  if (lastSeen) {
    const checked = lookup?.lastOkAt ? `, last looked up at ${clock(lookup.lastOkAt)}` : ''
    return {
      reason: 'still_processing',
      detail: `still ${lastSeen.status} at Pique at the deadline (${job}${checked})`
    }
  }
  return {
    reason: 'result_not_received',
    detail: `its result never reached the gate: ${noWebhook}the deadline came before it was looked up (${job})`
  }
}

/**
 * retry-failed: an item whose evaluation failed with a transient error (transient-errors.ts: bot detection, a
 * timeout, rate limiting, "try again") is submitted again as a new job, while the run's deadline leaves time for it
 * to finish, up to `retry-failed` times: a URL in a new batch, a media file uploaded again the way its first upload
 * went (upload-files.ts, after checking its bytes are still the ones evaluated). Every attempt is kept on the item (`attempts`), so reports show each job id
 * and how many jobs were billed. A retry still unfinished at the deadline does not undo what Pique reported: the
 * item keeps its failed attempt, and the unfinished one is listed beside it.
 */
import type { EvaluationResult } from '../pique/results.js'
import type { TransientErrors } from '../pique/transient-errors.js'
import type { GateLog } from './log.js'
import type { Attempt, EarlierResult, Item, ItemOutcome } from '../model/index.js'
import { itemName, itemWord, plural } from '../model/index.js'
import { resultState } from './verdict.js'

/** The finished outcome of `o` by its latest job's result: failed, with its error, or undefined when not failed. */
function failedError(
  o: ItemOutcome,
  results: ReadonlyMap<string, EvaluationResult>,
  threshold: number
): string | undefined {
  if (o.state !== 'submitted' || !o.jobId) return undefined
  const result = results.get(o.jobId)
  if (resultState(result, threshold) !== 'failed') return undefined
  return result?.error ?? 'evaluation failed'
}

/** The items to submit again: failed at Pique with a transient error, with attempts left. */
export function transientFailures(
  outcomes: readonly ItemOutcome[],
  results: ReadonlyMap<string, EvaluationResult>,
  rule: { threshold: number; retryFailed: number; transient: TransientErrors }
): { outcome: ItemOutcome; why: string }[] {
  return outcomes.flatMap(o => {
    const error = failedError(o, results, rule.threshold)
    if (error === undefined || (o.otherJobs?.length ?? 0) >= rule.retryFailed) return []
    const why = rule.transient.classify(error)
    return why ? [{ outcome: o, why }] : []
  })
}

/** What a retried item carries over from its first job: what reuse attached, so history and deltas still apply. */
export type RetryItem = Item & { identity?: string; previous?: EarlierResult; base?: EarlierResult }

/** The item behind an outcome, to submit again: its plan fields and reuse's, none of the old job's. */
export function retryItem(o: ItemOutcome): RetryItem {
  const carried = {
    ...(o.identity !== undefined && { identity: o.identity }),
    ...(o.previous && { previous: o.previous }),
    ...(o.base && { base: o.base })
  }
  if (o.kind === 'url') return { kind: 'url', url: o.url, source: o.source, ...carried }
  const { path, source, title, description, size, sha256, contentType, mime } = o
  return {
    kind: 'file',
    path,
    source,
    size,
    sha256,
    contentType,
    mime,
    ...(title !== undefined && { title }),
    ...(description !== undefined && { description }),
    ...carried
  }
}

/**
 * Whether a new job can still finish: the time left is at least the median time the run's finished jobs took from
 * submit to result (any time left when none finished), so a retry is not billed only to be cut by the deadline.
 */
export function timeForAnotherJob(deadline: number, tookMs: readonly number[], now = Date.now()): boolean {
  const left = deadline - now
  if (left <= 0) return false
  if (tookMs.length === 0) return true
  const sorted = [...tookMs].sort((a, b) => a - b)
  return left >= sorted[Math.floor(sorted.length / 2)]
}

/** `o`'s job as an attempt, with the state its result put it in (pending while it has none). */
function attemptOf(o: ItemOutcome, results: ReadonlyMap<string, EvaluationResult>, threshold: number): Attempt {
  const result = o.jobId ? results.get(o.jobId) : undefined
  return {
    jobId: o.jobId,
    batchId: o.batchId,
    state: o.jobId ? (resultState(result, threshold) ?? 'pending') : o.state,
    ...(result?.error || o.error ? { error: result?.error ?? o.error } : {}),
    ...(o.submittedAt ? { submittedAt: o.submittedAt } : {})
  }
}

/**
 * Joins a retry's outcome to its item. A new job that finished decides the item, and the earlier job joins
 * `otherJobs`. One that did not finish (or was never accepted) leaves the earlier failure deciding, and is listed
 * in `otherJobs` as it stood.
 */
export function mergeRetry(
  previous: ItemOutcome,
  next: ItemOutcome,
  results: ReadonlyMap<string, EvaluationResult>,
  threshold: number
): ItemOutcome {
  const others = previous.otherJobs ?? []
  const finished = next.jobId !== undefined && resultState(results.get(next.jobId), threshold) !== undefined
  if (finished) return { ...next, otherJobs: [...others, attemptOf(previous, results, threshold)] }
  return { ...previous, otherJobs: [...others, attemptOf(next, results, threshold)] }
}

export interface RetryStages {
  /** Submits the items again as new jobs: their outcomes in the same order (submitted, or failed at submit/upload). */
  submit(items: RetryItem[]): Promise<ItemOutcome[]>
  /** Waits for the jobs of these outcomes, recording their results into the run's results. */
  wait(outcomes: ItemOutcome[]): Promise<void>
}

export interface RetryInput {
  threshold: number
  retryFailed: number
  transient: TransientErrors
  deadline: number
  log: GateLog
  /** The run's results by job id, retries' included as they arrive. */
  results: ReadonlyMap<string, EvaluationResult>
  /** How long the run's finished jobs took, submit to result (for `timeForAnotherJob`). */
  tookMs: () => number[]
}

/** Runs up to `retryFailed` rounds of resubmitting transient failures; returns the outcomes with retries merged in. */
export async function retryTransientFailures(
  outcomes: readonly ItemOutcome[],
  input: RetryInput,
  stages: RetryStages
): Promise<ItemOutcome[]> {
  const current = [...outcomes]
  for (let round = 1; round <= input.retryFailed; round++) {
    const picks = transientFailures(current, input.results, input)
    if (picks.length === 0) break
    const list = picks.map(
      p => `  ${itemName(p.outcome)} (${p.why}: ${input.results.get(p.outcome.jobId ?? '')?.error ?? ''})`
    )
    const what = plural(picks.length, itemWord(picks.map(p => p.outcome)))
    if (!timeForAnotherJob(input.deadline, input.tookMs())) {
      input.log.warning(
        `Not resubmitting ${what} whose evaluation failed with a transient error: too little time is left for a new job to finish (retry-failed)\n${list.join('\n')}`
      )
      break
    }
    input.log.info(
      `Resubmitting ${what} whose evaluation failed with a transient error (retry-failed, attempt ${round + 1}):\n${list.join('\n')}`
    )
    const next = await stages.submit(picks.map(p => retryItem(p.outcome)))
    await stages.wait(next)
    picks.forEach((p, i) => {
      const at = current.indexOf(p.outcome)
      current[at] = mergeRetry(p.outcome, next[i], input.results, input.threshold)
    })
  }
  return current
}

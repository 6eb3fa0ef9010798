/**
 * Decide: every URL passes when overall_score >= threshold; a failed evaluation fails the gate unless
 * fail-on-error is false (then it is a warning); a URL unfinished at the deadline fails it. Pure: no I/O.
 */
import type { EvaluationResult } from '../pique/results.js'
import type { WaitMode } from '../config/settings.js'
import {
  plural,
  REPORT_SCHEMA_VERSION,
  type JudgeInfo,
  type RunReport,
  type ItemOutcome,
  type ItemState
} from '../model/index.js'

/** The state one result puts its URL in; `undefined` while it is not finished. */
export function resultState(result: EvaluationResult | undefined, threshold: number): ItemState | undefined {
  if (!result) return undefined
  if (result.status === 'failed') return 'failed'
  if (result.status !== 'completed') return undefined
  return (result.overallScore ?? 0) >= threshold ? 'passed' : 'below_threshold'
}

/** Whether an outcome counts against the gate. */
export function failsGate(state: ItemState, failOnError: boolean): boolean {
  return state === 'below_threshold' || state === 'pending' || (state === 'failed' && failOnError)
}

export interface DecideInput {
  threshold: number
  failOnError: boolean
  waitMode: WaitMode
  judge?: JudgeInfo
  batchIds: string[]
  /** Submitted outcomes in plan order (state `submitted` or `failed` at submit). */
  outcomes: ItemOutcome[]
  /** Results by job id: terminal ones settle their URL; a non-terminal one is the job's last known status. */
  results: ReadonlyMap<string, EvaluationResult>
  /** Whether the gate waited to the deadline with jobs unfinished. */
  timedOut: boolean
  skippedUnchanged: number
  startedAt: string
  inputs: Record<string, string>
  warnings: string[]
}

export function decide(input: DecideInput): RunReport {
  const urls = input.outcomes.map(o => settle(o, input))
  const count = (state: ItemState) => urls.filter(u => u.state === state).length
  const counts = {
    total: urls.length,
    passed: count('passed'),
    belowThreshold: count('below_threshold'),
    failed: count('failed'),
    pending: count('pending'),
    submitted: count('submitted')
  }
  const scores = urls.map(u => u.score).filter((s): s is number => s !== undefined)
  const warnings = [...input.warnings]
  if (!input.failOnError) {
    for (const u of urls)
      if (u.state === 'failed')
        warnings.push(
          `Evaluation failed for ${u.url} (${u.source.file}:${u.source.line}): ${u.error ?? 'no reason given'}`
        )
  }
  const failing = urls.some(u => failsGate(u.state, input.failOnError))
  const verdict = failing ? 'failed' : input.waitMode === 'none' ? 'submitted' : 'passed'
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict,
    reason: reasonLine(verdict, counts, input, scores.length ? Math.min(...scores) : undefined),
    threshold: input.threshold,
    failOnError: input.failOnError,
    waitMode: input.waitMode,
    judge: input.judge,
    batchIds: input.batchIds,
    items: urls,
    counts,
    minScore: scores.length ? Math.min(...scores) : undefined,
    skippedUnchanged: input.skippedUnchanged,
    startedAt: input.startedAt,
    finishedAt: new Date().toISOString(),
    inputs: input.inputs,
    warnings
  }
}

/** A run that validated its files but evaluated nothing (no api-key, on-missing-key: skip). */
export function skippedReport(
  input: Pick<
    DecideInput,
    'threshold' | 'failOnError' | 'waitMode' | 'skippedUnchanged' | 'startedAt' | 'inputs' | 'warnings'
  > & { reason: string }
): RunReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict: 'skipped',
    reason: input.reason,
    threshold: input.threshold,
    failOnError: input.failOnError,
    waitMode: input.waitMode,
    batchIds: [],
    items: [],
    counts: { total: 0, passed: 0, belowThreshold: 0, failed: 0, pending: 0, submitted: 0 },
    skippedUnchanged: input.skippedUnchanged,
    startedAt: input.startedAt,
    finishedAt: new Date().toISOString(),
    inputs: input.inputs,
    warnings: input.warnings
  }
}

function settle(outcome: ItemOutcome, input: DecideInput): ItemOutcome {
  if (outcome.state !== 'submitted' || !outcome.jobId) return outcome
  const result = input.results.get(outcome.jobId)
  const state = resultState(result, input.threshold)
  // Unfinished: keep the last status seen (queued, processing) so reports can say how far the job got.
  if (!result || !state)
    return { ...outcome, state: input.waitMode === 'none' ? 'submitted' : 'pending', ...(result ? { result } : {}) }
  return {
    ...outcome,
    state,
    score: result.overallScore,
    error: result.status === 'failed' ? (result.error ?? 'evaluation failed') : undefined,
    result,
    finishedAt: result.timestamp ?? new Date().toISOString()
  }
}

function reasonLine(
  verdict: RunReport['verdict'],
  counts: RunReport['counts'],
  input: DecideInput,
  minScore: number | undefined
): string {
  const { total } = counts
  if (total === 0)
    return `Nothing to evaluate${input.skippedUnchanged ? `: ${plural(input.skippedUnchanged, 'URL')} unchanged against the base branch` : ''}`
  if (verdict === 'submitted') {
    return `${plural(total - counts.failed, 'URL')} submitted without waiting (wait: none)${counts.failed ? `; ${counts.failed} failed at submit` : ''}`
  }
  if (verdict === 'passed') {
    if (total === counts.failed)
      return `No URL was evaluated: ${plural(counts.failed, 'evaluation')} failed (fail-on-error is false)`
    const lowest = minScore === undefined ? '' : ` (lowest ${minScore})`
    const tolerated = counts.failed ? `; ${plural(counts.failed, 'evaluation')} failed (fail-on-error is false)` : ''
    const evaluated = total - counts.failed
    const all = evaluated === 1 ? 'The 1 evaluated URL' : `All ${evaluated} evaluated URLs`
    return `${all} scored at least ${input.threshold}${lowest}${tolerated}`
  }
  const parts: string[] = []
  if (counts.belowThreshold)
    parts.push(`${counts.belowThreshold} of ${plural(total, 'URL')} scored below ${input.threshold}`)
  if (counts.failed)
    parts.push(`${plural(counts.failed, 'evaluation')} failed${input.failOnError ? '' : ' (tolerated)'}`)
  if (counts.pending)
    parts.push(`${counts.pending} unfinished at the deadline${input.timedOut ? ' (timeout-minutes)' : ''}`)
  return parts.join('; ')
}

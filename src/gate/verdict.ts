/**
 * Decide: every URL passes when overall_score >= threshold; a failed evaluation fails the gate unless
 * fail-on-error is false (then it is a warning); a URL unfinished at the deadline fails it. Pure: no I/O.
 */
import type { EvaluationResult } from '../pique/results.js'
import type { WaitMode } from '../config/settings.js'
import {
  type ItemKind,
  type ItemOutcome,
  type ItemState,
  type JudgeInfo,
  type RunReport,
  formatScore,
  itemName,
  itemWord,
  plural,
  skippedWord
} from '../model/index.js'
import type { Policy } from '../config/policy.js'
import { applyRules } from './breaches.js'
import { failsGate } from './policy.js'
import { buildRunReport, countItems } from './run-report.js'
import type { LookupNote } from './tracker.js'
import { whyUnfinished } from './unfinished.js'

/** The state one result puts its URL in; `undefined` while it is not finished. */
export function resultState(result: EvaluationResult | undefined, threshold: number): ItemState | undefined {
  if (!result || result.outcome === 'running') return undefined
  // An unusable completed body (no usable overall_score) is that URL's evaluation error, like a failed one.
  if (result.outcome !== 'completed') return 'failed'
  return (result.overallScore ?? 0) >= threshold ? 'passed' : 'below_threshold'
}

export interface DecideInput {
  threshold: number
  /** The judge file's policy (per-detector rules); absent: the threshold alone. */
  policy?: Policy
  /** The judge's detectors, which policy `*` rules cover. */
  detectors?: readonly string[]
  /** Fail an item whose score fell by more than this against its earlier result. */
  maxDrop?: number
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
  /** Results-endpoint lookups per job, to say why an unfinished job never finished in the gate's eyes. */
  lookups?: ReadonlyMap<string, LookupNote>
  skippedUnchanged: number
  skippedUnchangedKinds?: ItemKind[]
  startedAt: string
  inputs: Record<string, string>
  warnings: string[]
}

export function decide(input: DecideInput): RunReport {
  const items = settleItems(input.outcomes, input)
  const scores = items.map(o => o.score).filter((s): s is number => s !== undefined)
  const failing = items.some(o => failsGate(o, input))
  const verdict = failing ? 'failed' : input.waitMode === 'none' ? 'submitted' : 'passed'
  return buildRunReport({
    verdict,
    reason: reasonLine(verdict, items, input, scores.length ? Math.min(...scores) : undefined),
    threshold: input.threshold,
    failOnError: input.failOnError,
    waitMode: input.waitMode,
    judge: input.judge,
    batchIds: input.batchIds,
    items,
    skippedUnchanged: input.skippedUnchanged,
    skippedUnchangedKinds: input.skippedUnchangedKinds,
    startedAt: input.startedAt,
    inputs: input.inputs,
    warnings: [...input.warnings, ...toleratedFailures(items, input.failOnError)]
  })
}

/** A run that validated its files but evaluated nothing (no api-key, on-missing-key: skip). */
export function skippedReport(
  input: Pick<
    DecideInput,
    | 'threshold'
    | 'failOnError'
    | 'waitMode'
    | 'skippedUnchanged'
    | 'skippedUnchangedKinds'
    | 'startedAt'
    | 'inputs'
    | 'warnings'
  > & { reason: string }
): RunReport {
  return buildRunReport({
    verdict: 'skipped',
    reason: input.reason,
    threshold: input.threshold,
    failOnError: input.failOnError,
    waitMode: input.waitMode,
    batchIds: [],
    items: [],
    skippedUnchanged: input.skippedUnchanged,
    skippedUnchangedKinds: input.skippedUnchangedKinds,
    startedAt: input.startedAt,
    inputs: input.inputs,
    warnings: input.warnings
  })
}

/** Each submitted outcome with the result received for its job: settled when terminal, else pending or submitted. */
export function settleItems(
  outcomes: readonly ItemOutcome[],
  input: Pick<DecideInput, 'threshold' | 'waitMode' | 'results' | 'lookups' | 'policy' | 'detectors' | 'maxDrop'>
): ItemOutcome[] {
  return outcomes.map(o => applyRules(settle(o, input), input))
}

/** With fail-on-error false a failed evaluation does not fail the gate, but the report still says so. */
export function toleratedFailures(items: readonly ItemOutcome[], failOnError: boolean): string[] {
  if (failOnError) return []
  return items
    .filter(o => o.state === 'failed')
    .map(
      o => `Evaluation failed for ${itemName(o)} (${o.source.file}:${o.source.line}): ${o.error ?? 'no reason given'}`
    )
}

function settle(
  outcome: ItemOutcome,
  input: Pick<DecideInput, 'threshold' | 'waitMode' | 'results' | 'lookups'>
): ItemOutcome {
  if (outcome.state !== 'submitted' || !outcome.jobId) return outcome
  const result = input.results.get(outcome.jobId)
  const state = resultState(result, input.threshold)
  // Unfinished: keep the last status seen (queued, processing) so reports can say how far the job got, and why.
  if (!result || !state) {
    if (input.waitMode === 'none') return { ...outcome, state: 'submitted', ...(result ? { result } : {}) }
    const why = whyUnfinished(outcome, result, input.lookups?.get(outcome.jobId), input.waitMode)
    return { ...outcome, state: 'pending', notEvaluated: why, ...(result ? { result } : {}) }
  }
  return {
    ...outcome,
    state,
    score: result.overallScore,
    error: state === 'failed' ? (result.error ?? 'evaluation failed') : undefined,
    result,
    finishedAt: result.timestamp ?? new Date().toISOString()
  }
}

function reasonLine(
  verdict: RunReport['verdict'],
  items: readonly ItemOutcome[],
  input: DecideInput,
  minScore: number | undefined
): string {
  const counts = countItems(items)
  const { total } = counts
  const word = itemWord(input.outcomes)
  // The same digits as every report of this run: never "below 0.70" for a score that prints as 0.70.
  const score = (n: number): string => formatScore(n, { threshold: input.threshold, items })
  if (total === 0)
    return `Nothing to evaluate${input.skippedUnchanged ? `: ${plural(input.skippedUnchanged, skippedWord(input.skippedUnchangedKinds))} unchanged against the base branch` : ''}`
  if (verdict === 'submitted') {
    const notSent = counts.failed + counts.notEvaluated
    return `${plural(total - notSent, word)} submitted without waiting (wait: none)${counts.failed ? `; ${counts.failed} failed at submit` : ''}${counts.notEvaluated ? `; ${counts.notEvaluated} not evaluated (${notEvaluatedWhy(items)})` : ''}`
  }
  if (verdict === 'passed') {
    if (total === counts.failed)
      return `No ${word} was evaluated: ${plural(counts.failed, 'evaluation')} failed (fail-on-error is false)`
    const lowest = minScore === undefined ? '' : ` (lowest ${score(minScore)})`
    const tolerated = counts.failed ? `; ${plural(counts.failed, 'evaluation')} failed (fail-on-error is false)` : ''
    const evaluated = total - counts.failed
    const all = evaluated === 1 ? `The 1 evaluated ${word}` : `All ${evaluated} evaluated ${word}s`
    return `${all} scored at least ${score(input.threshold)}${lowest}${tolerated}`
  }
  const parts: string[] = []
  if (counts.belowThreshold)
    parts.push(`${counts.belowThreshold} of ${plural(total, word)} scored below ${score(input.threshold)}`)
  const breaking = (rules: string[]) => items.filter(o => o.breaches?.some(b => rules.includes(b.rule))).length
  const policy = breaking(['require_pass_check', 'min_score'])
  if (policy) parts.push(`${plural(policy, word)} broke the judge file's policy`)
  const dropped = breaking(['max_drop'])
  if (dropped) parts.push(`${plural(dropped, word)} dropped by more than max-drop ${input.maxDrop}`)
  if (counts.failed)
    parts.push(`${plural(counts.failed, 'evaluation')} failed${input.failOnError ? '' : ' (tolerated)'}`)
  if (counts.pending)
    parts.push(`${counts.pending} unfinished at the deadline${input.timedOut ? ' (timeout-minutes)' : ''}`)
  if (counts.notEvaluated) {
    const word = itemWord(items.filter(o => o.state === 'not_evaluated'))
    parts.push(`${plural(counts.notEvaluated, word)} not evaluated (${notEvaluatedWhy(items)})`)
  }
  return parts.join('; ')
}

/** "2 refused by Pique, 20 not accepted": why the not_evaluated items were never evaluated, in a few words. */
function notEvaluatedWhy(items: readonly ItemOutcome[]): string {
  const words: Record<string, string> = {
    refused: 'refused by Pique',
    not_accepted: 'not accepted',
    not_submitted: 'never submitted'
  }
  const by = new Map<string, number>()
  for (const o of items)
    if (o.state === 'not_evaluated') {
      const why = words[o.notEvaluated?.reason ?? 'not_accepted'] ?? 'not accepted'
      by.set(why, (by.get(why) ?? 0) + 1)
    }
  return [...by].map(([why, n]) => `${n} ${why}`).join(', ')
}

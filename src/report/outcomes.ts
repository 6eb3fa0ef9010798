/**
 * Reading a RunReport the way every reporter presents it: worst first, what failed and why, in words.
 * Renderers (summary, comment, terminal, JUnit) share these so they never disagree.
 */
import { INLINE_SOURCE } from '../config/url-list.js'
import type { DetectorResult } from '../pique/results.js'
import type { RunReport, ItemOutcome, ItemSource, RuleBreach, ScoreScale, Verdict } from '../model/index.js'
import { formatScore, itemWord, plural, skippedWord } from '../model/index.js'
import { isWarning } from '../gate/policy.js'

/** URLs from the url-list input have no file to annotate, link or diff. */
export function isInlineSource(source: ItemSource): boolean {
  return source.file === INLINE_SOURCE || !source.file
}

/** `content/urls.txt:3`; a media file named directly by the files input is its own source (line 0): its path. */
export function formatSource(source: ItemSource): string {
  if (isInlineSource(source)) return 'url-list input'
  return source.line >= 1 ? `${source.file}:${source.line}` : source.file
}

/** Where an item's annotation goes: its list line, or a media file named directly as a whole; inline URLs, nowhere. */
export function annotationTarget(o: ItemOutcome): { file: string; startLine?: number } | undefined {
  if (isInlineSource(o.source)) return undefined
  return { file: o.source.file, startLine: o.source.line || undefined }
}

function severity(o: ItemOutcome, report: Pick<RunReport, 'failOnError'>): number {
  switch (o.state) {
    case 'below_threshold':
    case 'broke_rule':
      return 0
    case 'failed':
      return report.failOnError ? 1 : 3
    case 'pending':
    case 'not_evaluated':
      return 2
    case 'submitted':
      return 4
    default:
      return 5
  }
}

/** Worst first: below threshold (lowest score first), failed, never evaluated, warnings, submitted, passed. */
export function sortWorstFirst(report: Pick<RunReport, 'items' | 'failOnError'>): ItemOutcome[] {
  return report.items
    .map((o, index) => ({ o, index }))
    .sort(
      (a, b) =>
        severity(a.o, report) - severity(b.o, report) ||
        (a.o.score ?? Infinity) - (b.o.score ?? Infinity) ||
        a.index - b.index
    )
    .map(({ o }) => o)
}

export const STATE_LABELS: Record<ItemOutcome['state'], string> = {
  passed: 'passed',
  below_threshold: 'below threshold',
  broke_rule: 'broke a rule',
  failed: 'evaluation failed',
  pending: 'unfinished',
  not_evaluated: 'not evaluated',
  submitted: 'submitted'
}

const STATE_ICONS: Record<ItemOutcome['state'], string> = {
  passed: '✅',
  below_threshold: '❌',
  broke_rule: '🚫',
  failed: '💥',
  pending: '⏳',
  not_evaluated: '🚫',
  submitted: '📤'
}

export function stateLabel(o: ItemOutcome, report: Pick<RunReport, 'failOnError'>): string {
  return isWarning(o, report) ? 'evaluation failed (warning)' : STATE_LABELS[o.state]
}

export function stateIcon(o: ItemOutcome, report: Pick<RunReport, 'failOnError'>): string {
  return isWarning(o, report) ? '⚠️' : STATE_ICONS[o.state]
}

export const VERDICT_HEADINGS: Record<Verdict, string> = {
  passed: '✅ Pique gate passed',
  failed: '❌ Pique gate failed',
  submitted: '📤 Pique gate submitted (not waited for)',
  skipped: '⏭️ Pique gate skipped'
}

/** A run that ended in an error before reaching a verdict (its verdict is `failed`). */
export const ERROR_HEADING = '❌ Pique gate could not run'

export function headingText(report: Pick<RunReport, 'verdict' | 'error'>): string {
  return report.error ? ERROR_HEADING : VERDICT_HEADINGS[report.verdict]
}

/** "0.41 < 0.70", in the run's digits (never "0.70 < 0.70"); `—` when there is no score. */
export function scoreVsThreshold(o: ItemOutcome, report: ScoreScale): string {
  if (o.score === undefined) return '—'
  return `${formatScore(o.score, report)} ${o.score >= report.threshold ? '≥' : '<'} ${formatScore(report.threshold, report)}`
}

/**
 * The detectors that explain a URL's result: those with pass_check false; when none says so but the URL is below
 * threshold, the lowest-scoring one (so a reader always sees a reason).
 */
export function failingDetectors(o: ItemOutcome): DetectorResult[] {
  const detectors = o.result?.detectorResults ?? []
  const failed = detectors.filter(d => d.passCheck === false)
  if (failed.length || o.state !== 'below_threshold') return failed
  const lowest = lowestScoring(detectors)
  return lowest ? [lowest] : []
}

function lowestScoring(detectors: readonly DetectorResult[]): DetectorResult | undefined {
  return detectors.filter(d => d.score !== undefined).sort((a, b) => (a.score ?? 0) - (b.score ?? 0))[0]
}

/** `(job status processing)`: the last status seen of a job that had not finished, when one was seen. */
function lastStatus(o: ItemOutcome): string {
  return o.result ? ` (job status ${o.result.status})` : ''
}

/** What each rule is called in reports. */
const RULE_NAMES: Record<RuleBreach['rule'], string> = {
  threshold: 'Threshold',
  require_pass_check: 'Required check (policy)',
  min_score: 'Detector minimum (policy)',
  max_drop: 'Score drop (max-drop)'
}

export function ruleName(rule: RuleBreach['rule']): string {
  return RULE_NAMES[rule]
}

/** Rules an item broke besides the threshold (policy, max-drop): the threshold is said by its score already. */
export function otherBreaches(o: ItemOutcome): RuleBreach[] {
  return (o.breaches ?? []).filter(b => b.rule !== 'threshold')
}

/** The rules an item broke, in a reviewer's words: "failed the required video_specs check: …; score fell from …". */
function breachText(o: ItemOutcome): string {
  return (o.breaches ?? []).map(b => b.message).join('; ')
}

/** `0.82 → 0.71`: the change against the item's previous result, when it has one and a score now. */
export function changeText(o: ItemOutcome, scale: ScoreScale): string {
  if (!o.previous || o.score === undefined) return ''
  return `${formatScore(o.previous.score, scale)} → ${formatScore(o.score, scale)}`
}

/** `reused, 3 h old, job job_abc`: a result taken from an earlier run instead of evaluated by this one. */
export function reusedText(o: ItemOutcome): string {
  if (!o.reused) return ''
  return `reused, ${formatAge(o.reused.ageSeconds)} old${o.jobId ? `, job ${o.jobId}` : ''}`
}

/** 45 s, 12 min, 3 h, 2 d. */
export function formatAge(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`
  return `${Math.round(seconds / 86_400)} d`
}

/** `3 unchanged URLs skipped` (files, items): what only-changed left out, in the noun of what it was. */
export function unchangedSkipped(report: Pick<RunReport, 'skippedUnchanged' | 'skippedUnchangedKinds'>): string {
  return `${plural(report.skippedUnchanged, `unchanged ${skippedWord(report.skippedUnchangedKinds)}`)} skipped`
}

/** Items this run evaluated (and was billed for): a job of its own, not a reused result. */
function evaluatedCount(items: readonly ItemOutcome[]): number {
  return items.filter(o => !o.reused && o.jobId).length
}

/** "3 reused, 12 evaluated (billed)": what this run paid for. */
export function billingLine(
  report: Pick<RunReport, 'items' | 'counts'>,
  evaluated = evaluatedCount(report.items)
): string {
  return `${report.counts.reused} reused, ${evaluated} evaluated (billed)`
}

/** One plain-text sentence explaining the outcome, for annotations and terminals. */
export function explainOutcome(
  o: ItemOutcome,
  report: Pick<RunReport, 'threshold' | 'items' | 'failOnError' | 'error'>
): string {
  switch (o.state) {
    case 'broke_rule':
      return breachText(o)
    case 'below_threshold': {
      const reasons = failingDetectors(o).map(d => `${d.detectorName}${d.rationale ? `: ${d.rationale}` : ''}`)
      // Other rules it broke too (policy, max-drop) follow the threshold's reason.
      const more = otherBreaches(o).map(b => b.message)
      return `score ${scoreVsThreshold(o, report)}${reasons.length ? ` — ${reasons.join('; ')}` : ''}${more.length ? `; ${more.join('; ')}` : ''}`
    }
    case 'failed':
      return `evaluation failed${o.error ? `: ${o.error}` : ''}${report.failOnError ? '' : ' (fail-on-error: false)'}`
    case 'pending':
      // Why it never finished: still running at Pique, or finished there with its result lost on the way.
      if (o.result?.status === 'awaiting_upload')
        return `not finished by the deadline: Pique never received the upload (job ${o.jobId} still awaiting_upload)`
      if (o.notEvaluated) return `not evaluated: ${o.notEvaluated.detail}`
      return `not finished by the deadline${lastStatus(o)}${o.jobId ? `, job ${o.jobId}` : ''}`
    case 'not_evaluated':
      return `not evaluated: ${o.notEvaluated?.detail ?? o.error ?? 'it was never submitted'}`
    case 'submitted':
      // In a run that stopped on an error, the job was sent (and billed) but the run ended before its result.
      if (report.error)
        return `submitted${o.jobId ? ` as job ${o.jobId}` : ''}; the run stopped before its result${lastStatus(o)}`
      return `submitted${o.jobId ? ` as job ${o.jobId}` : ''}, not waited for (wait: none)`
    default:
      return `score ${scoreVsThreshold(o, report)}`
  }
}

/** The worst detector of a URL: first failing one, else the lowest score. */
export function worstDetector(o: ItemOutcome): DetectorResult | undefined {
  return failingDetectors(o)[0] ?? lowestScoring(o.result?.detectorResults ?? [])
}

/**
 * Key metrics of a detector as short `name=value` pairs: scalar leaves only (nested one level, e.g.
 * `video_specs.width`), so the details stay readable; the JSON report has everything.
 */
export function keyMetrics(d: DetectorResult, max = 8): string[] {
  const out: string[] = []
  const visit = (prefix: string, value: unknown, depth: number): void => {
    if (out.length >= max) return
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      out.push(
        `${prefix}=${typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : String(value)}`
      )
    } else if (typeof value === 'object' && !Array.isArray(value) && depth < 2) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        visit(prefix ? `${prefix}.${k}` : k, v, depth + 1)
    }
  }
  // A metric object named after its detector (`{video_specs: {...}}`) adds nothing to the name: unwrap it.
  for (const [k, v] of Object.entries(d.metrics ?? {})) {
    const unwrap = k === d.detectorName && v !== null && typeof v === 'object'
    visit(unwrap ? '' : k, v, unwrap ? 0 : 1)
  }
  if (d.timestamps?.length)
    out.push(
      `flagged at ${d.timestamps
        .slice(0, 5)
        .map(t => `${t}s`)
        .join(', ')}${d.timestamps.length > 5 ? '…' : ''}`
    )
  return out.slice(0, max + 1)
}

export function countsLine(report: RunReport): string {
  const c = report.counts
  const parts = [
    `${c.passed} passed`,
    c.belowThreshold ? `${c.belowThreshold} below threshold` : '',
    c.brokeRule ? `${c.brokeRule} broke a rule` : '',
    c.failed ? plural(c.failed, 'failed evaluation') : '',
    c.pending ? `${c.pending} unfinished` : '',
    c.notEvaluated ? `${c.notEvaluated} not evaluated` : '',
    c.submitted ? `${c.submitted} submitted` : ''
  ].filter(Boolean)
  const evaluated = evaluatedCount(report.items)
  return `${plural(c.total, itemWord(report.items))}: ${parts.join(', ')}; ${billingLine(report, evaluated)}${billingNote(report, evaluated)}`
}

/** Said when the jobs billed are not one per submitted item: retries (retry-failed), or submits of unknown outcome. */
function billingNote(report: RunReport, evaluated: number): string {
  const c = report.counts
  if (c.billedJobs === evaluated && c.maybeBilled === 0) return ''
  const maybe = c.maybeBilled
    ? `; Pique may have billed up to ${plural(c.maybeBilled, 'job')} more (submits of unknown outcome)`
    : ''
  return `; ${plural(c.billedJobs, 'job')} billed${maybe}`
}

/** Milliseconds between two ISO timestamps, when both are present and valid. */
export function durationMs(from?: string, to?: string): number | undefined {
  if (!from || !to) return undefined
  const ms = Date.parse(to) - Date.parse(from)
  return Number.isFinite(ms) ? ms : undefined
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—'
  if (ms < 1000) return `${ms} ms`
  const s = Math.round(ms / 1000)
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`
}

/**
 * The job summary: verdict, counts, threshold, judge, a worst-first table of URLs and collapsible details of
 * every detector. GitHub rejects a step summary over 1 MiB, so the table and details are cut to fit with a note
 * pointing at the JSON report, which always has everything.
 */
import { plural } from '../model/index.js'
import type { RunReport, ItemOutcome } from '../model/index.js'
import { escapeMarkdown, markdownLink, truncate } from './escape.js'
import {
  URL_TABLE_HEADER,
  countsMarkdown,
  errorLines,
  heading,
  judgeLine,
  skippedExplanation,
  thresholdMarkdown,
  urlRow,
  validatedLines
} from './markdown.js'
import { failsGate } from '../gate/policy.js'
import {
  durationMs,
  formatDuration,
  formatScore,
  formatSource,
  keyMetrics,
  scoreVsThreshold,
  sortWorstFirst,
  stateIcon,
  stateLabel
} from './outcomes.js'
import type { AnnotationPlan } from './annotations.js'

/** GitHub's limit for one step's summary. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024
/** Headroom under the limit for the truncation notes and multi-byte surprises. */
const SUMMARY_MARGIN_BYTES = 16 * 1024
/** Share of the budget the table may use before details get the rest. */
const TABLE_SHARE = 0.6
const DETAIL_RATIONALE_CHARS = 1000

export interface SummaryOptions {
  /** Where the JSON report was written, for the truncation note (none when the settings could not be read). */
  reportPath?: string
  annotations?: AnnotationPlan
  /** GITHUB_EVENT_NAME, named in a skipped run's explanation. */
  eventName?: string
  /** Defaults to GitHub's 1 MiB. */
  maxBytes?: number
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

export function renderSummary(report: RunReport, options: SummaryOptions): string {
  if (report.error) {
    const took = formatDuration(durationMs(report.startedAt, report.finishedAt))
    return [
      heading(report),
      '',
      ...errorLines(report, report.error),
      `<sub>Error kind: ${report.error.kind} · ${took}</sub>`,
      ''
    ].join('\n')
  }
  if (report.verdict === 'skipped') {
    const validated = validatedLines(report)
    const lines = [heading(report), '', skippedExplanation(options.eventName), '']
    if (validated.length) lines.push('What was validated:', '', ...validated, '')
    lines.push(`<sub>${escapeMarkdown(report.reason)}</sub>`, '')
    return lines.join('\n')
  }
  const head = [heading(report), '', `**${escapeMarkdown(report.reason)}**`, '']
  head.push(...overviewLines(report, options), '')
  const budget = (options.maxBytes ?? SUMMARY_LIMIT_BYTES) - SUMMARY_MARGIN_BYTES
  const top = head.join('\n') + '\n'
  const ordered = sortWorstFirst(report)
  if (!ordered.length) return top

  const table = fitLines(ordered, o => urlRow(o, report), Math.max(0, (budget - bytes(top)) * TABLE_SHARE))
  const tableText = ['### URLs, worst first', '', URL_TABLE_HEADER, ...table.lines, ''].join('\n') + '\n'
  const omittedRows = ordered.length - table.lines.length
  const tableNote = omittedRows
    ? truncationNote(omittedRows, ordered.slice(table.lines.length), report, options, 'rows')
    : ''

  const details = fitLines(
    ordered,
    o => detailsBlock(o, report),
    Math.max(0, budget - bytes(top) - bytes(tableText) - bytes(tableNote))
  )
  const omittedDetails = ordered.length - details.lines.length
  const detailsText = details.lines.length ? ['### Details', '', ...details.lines].join('\n') + '\n' : ''
  const detailsNote = omittedDetails
    ? truncationNote(omittedDetails, ordered.slice(details.lines.length), report, options, 'details')
    : ''
  return top + tableText + tableNote + detailsText + detailsNote
}

function overviewLines(report: RunReport, options: SummaryOptions): string[] {
  const lines = [`- ${thresholdMarkdown(report)}`]
  const judge = judgeLine(report)
  if (judge) lines.push(`- **Judge:** ${judge}`)
  lines.push(`- **URLs:** ${countsMarkdown(report)}`)
  if (report.skippedUnchanged) {
    lines.push(
      `- **Unchanged URLs skipped:** ${report.skippedUnchanged} (only-changed: only URLs added or changed in this pull request were evaluated)`
    )
  }
  const plan = options.annotations
  if (plan && plan.annotated + plan.notAnnotated > 0) {
    const rest = plan.notAnnotated
      ? `; ${plan.notAnnotated} more failing URL${plan.notAnnotated === 1 ? ' is' : 's are'} listed only here`
      : ''
    lines.push(
      `- **Annotations:** ${plural(plan.annotated, 'failing URL')} annotated in ${plan.annotated === 1 ? 'its file' : 'their files'}${rest}`
    )
  }
  const wait = report.waitMode === 'none' ? 'not waited for' : `waited via ${report.waitMode}`
  const took = formatDuration(durationMs(report.startedAt, report.finishedAt))
  lines.push(
    `- **Run:** ${plural(report.batchIds.length, 'batch', 'batches')}, ${wait}, ${took}${report.failOnError ? '' : ', fail-on-error: false'}`
  )
  for (const w of report.warnings) lines.push(`- ⚠️ ${escapeMarkdown(w)}`)
  return lines
}

/** Renders outcomes in order while they fit in `budget` bytes (each counted with its newline). */
function fitLines(outcomes: ItemOutcome[], render: (o: ItemOutcome) => string, budget: number): { lines: string[] } {
  const kept: string[] = []
  let used = 0
  for (const o of outcomes) {
    const line = render(o)
    const size = bytes(line) + 1
    if (used + size > budget) break
    kept.push(line)
    used += size
  }
  return { lines: kept }
}

function truncationNote(
  omitted: number,
  rest: ItemOutcome[],
  report: RunReport,
  options: SummaryOptions,
  what: 'rows' | 'details'
): string {
  const failing = rest.filter(o => failsGate(o, report)).length
  const which = failing ? `${failing} of them failing` : 'none of them failing'
  const where = what === 'rows' ? 'in this table' : 'with details'
  return (
    `\n> [!NOTE]\n> ${omitted} more URL${omitted === 1 ? ' is' : 's are'} not shown ${where} (${which}) to stay under GitHub's ` +
    `1 MiB summary limit. Every URL is in the JSON report${options.reportPath ? `: ${escapeMarkdown(options.reportPath)}` : ''}.\n\n`
  )
}

function detailsBlock(o: ItemOutcome, report: RunReport): string {
  const score = o.score === undefined ? stateLabel(o, report) : scoreVsThreshold(o, report.threshold)
  const summary = `${stateIcon(o, report)} ${escapeMarkdown(score)} — ${markdownLink(o.url)} (${escapeMarkdown(
    formatSource(o.source)
  )})`
  const facts = [
    `**${stateLabel(o, report)}**`,
    o.jobId ? `job <code>${escapeMarkdown(o.jobId)}</code>` : '',
    o.batchId ? `batch <code>${escapeMarkdown(o.batchId)}</code>` : '',
    o.submittedAt && o.finishedAt ? formatDuration(durationMs(o.submittedAt, o.finishedAt)) : ''
  ].filter(Boolean)
  const body: string[] = [facts.join(' · ')]
  if (o.error) body.push('', `Error: ${escapeMarkdown(truncate(o.error, DETAIL_RATIONALE_CHARS))}`)
  if (o.state === 'pending' && o.result) body.push('', `Job status at the deadline: ${escapeMarkdown(o.result.status)}`)
  const detectors = o.result?.detectorResults ?? []
  if (detectors.length) {
    body.push('', '| Detector | Check | Score | Rationale | Key metrics |', '|---|---|---|---|---|')
    for (const d of detectors) {
      const check = d.passCheck === undefined ? '—' : d.passCheck ? '✅ pass' : '❌ fail'
      const rationale = d.rationale ? escapeMarkdown(truncate(d.rationale, DETAIL_RATIONALE_CHARS)) : ''
      const metrics = keyMetrics(d).map(escapeMarkdown).join('<br>')
      body.push(
        `| ${escapeMarkdown(d.detectorName)} | ${check} | ${formatScore(d.score)} | ${rationale} | ${metrics} |`
      )
    }
  }
  return `<details><summary>${summary}</summary>\n\n${body.join('\n')}\n\n</details>`
}

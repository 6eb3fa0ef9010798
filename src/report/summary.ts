/**
 * The job summary: verdict, counts, threshold, judge, a worst-first table of URLs and collapsible details of
 * every detector. GitHub rejects a step summary over 1 MiB, so the table and details are cut to fit with a note
 * pointing at the JSON report, which always has everything.
 */
import { formatScore, itemName, itemWord, plural, skippedWord } from '../model/index.js'
import type { FileItem, RunReport, ItemOutcome } from '../model/index.js'
import { formatBytes } from '../files/bytes.js'
import { describeSpecs, measuredSpecs } from './measured.js'
import { escapeMarkdown, markdownLink, truncate } from './escape.js'
import {
  billingLines,
  type SourceLinks,
  errorLines,
  heading,
  itemRow,
  itemTableHeader,
  itemText,
  judgeLine,
  sourceMarkdown,
  validatedLines
} from './markdown.js'
import { failsGate } from '../gate/policy.js'
import {
  durationMs,
  formatDuration,
  formatSource,
  keyMetrics,
  formatAge,
  otherBreaches,
  ruleName,
  scoreVsThreshold,
  sortWorstFirst,
  stateIcon,
  stateLabel,
  unchangedSkipped
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
  /** Links each source to its line at the commit; plain text without. */
  sourceLinks?: SourceLinks
  /** Defaults to GitHub's 1 MiB. */
  maxBytes?: number
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

/**
 * Verdict, the reason, then the table (worst first: what needs attention is on the first screen), then the run's
 * facts and one collapsible block per item.
 */
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
    const lines = [heading(report), '', escapeMarkdown(report.reason), '', ...validatedLines(report), '']
    return lines.join('\n')
  }
  const head = [heading(report), '', `**${escapeMarkdown(report.reason)}**`, '', ...billingLines(report)]
  if (report.skippedUnchanged)
    head.push(
      `${unchangedSkipped(report)} (only-changed: only ${skippedWord(report.skippedUnchangedKinds)}s added or changed in this pull request were evaluated).`,
      ''
    )
  const budget = (options.maxBytes ?? SUMMARY_LIMIT_BYTES) - SUMMARY_MARGIN_BYTES
  const top = head.join('\n') + '\n'
  const ordered = sortWorstFirst(report)
  const facts = ['### Details', '', ...factLines(report, options), ''].join('\n') + '\n'
  if (!ordered.length) return top + facts

  const table = fitLines(
    ordered,
    o => itemRow(o, report, options.sourceLinks),
    Math.max(0, (budget - bytes(top) - bytes(facts)) * TABLE_SHARE)
  )
  const tableText = [itemTableHeader(report), ...table.lines, ''].join('\n') + '\n'
  const omittedRows = ordered.length - table.lines.length
  const tableNote = omittedRows
    ? truncationNote(omittedRows, ordered.slice(table.lines.length), report, options, 'rows')
    : ''

  const details = fitLines(
    ordered,
    o => detailsBlock(o, report, options.sourceLinks),
    Math.max(0, budget - bytes(top) - bytes(tableText) - bytes(tableNote) - bytes(facts))
  )
  const omittedDetails = ordered.length - details.lines.length
  const detailsText = details.lines.length ? details.lines.join('\n') + '\n' : ''
  const detailsNote = omittedDetails
    ? truncationNote(omittedDetails, ordered.slice(details.lines.length), report, options, 'details')
    : ''
  return top + tableText + tableNote + facts + detailsText + detailsNote
}

/** What the reason and the table do not say: the judge (with its id), annotations, batches, waiting, time, warnings. */
function factLines(report: RunReport, options: SummaryOptions): string[] {
  const lines: string[] = []
  const judge = judgeLine(report)
  if (judge) lines.push(`- **Judge:** ${judge}`)
  const plan = options.annotations
  if (plan && plan.annotated + plan.notAnnotated > 0) {
    const word = itemWord(report.items)
    const rest = plan.notAnnotated
      ? `; ${plan.notAnnotated} more failing ${word}${plan.notAnnotated === 1 ? ' is' : 's are'} listed only here`
      : ''
    // "In its file" is a URL's list file; a media file may be annotated on itself, so files just say "annotated".
    const where = word === 'URL' ? ` in ${plan.annotated === 1 ? 'its file' : 'their files'}` : ''
    lines.push(`- **Annotations:** ${plural(plan.annotated, `failing ${word}`)} annotated${where}${rest}`)
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
  const word = itemWord(report.items)
  return (
    `\n> [!NOTE]\n> ${omitted} more ${word}${omitted === 1 ? ' is' : 's are'} not shown ${where} (${which}) to stay under GitHub's ` +
    `1 MiB summary limit. Every ${word} is in the JSON report${options.reportPath ? `: ${escapeMarkdown(options.reportPath)}` : ''}.\n\n`
  )
}

function detailsBlock(o: ItemOutcome, report: RunReport, links: SourceLinks | undefined): string {
  const score = o.score === undefined ? stateLabel(o, report) : scoreVsThreshold(o, report)
  // A link inside <summary> would open the page instead of the block: the whole URL and its source are in the body.
  const summary = `${stateIcon(o, report)} ${escapeMarkdown(score)} — ${itemText(o)} (${escapeMarkdown(formatSource(o.source))})`
  const facts = [
    o.jobId ? `job <code>${escapeMarkdown(o.jobId)}</code>` : '',
    o.batchId ? `batch <code>${escapeMarkdown(o.batchId)}</code>` : '',
    o.submittedAt && o.finishedAt ? formatDuration(durationMs(o.submittedAt, o.finishedAt)) : '',
    o.reused ? `♻️ reused from an earlier run, ${formatAge(o.reused.ageSeconds)} old (not billed by this run)` : '',
    o.previous
      ? `before: ${formatScore(o.previous.score, report)} (job <code>${escapeMarkdown(o.previous.jobId)}</code>)`
      : '',
    o.base ? `on ${escapeMarkdown(o.base.ref ?? 'the base branch')}: ${formatScore(o.base.score, report)}` : ''
  ].filter(Boolean)
  const name = o.kind === 'url' ? markdownLink(itemName(o)) : `<code>${escapeMarkdown(o.path)}</code>`
  const body: string[] = [`${name} · ${sourceMarkdown(o.source, links)}`]
  if (facts.length) body.push('', facts.join(' · '))
  if (o.kind === 'file') body.push('', fileFacts(o))
  // The threshold is in the heading already; other rules broken are listed by name.
  const rules = otherBreaches(o)
  if (rules.length)
    body.push('', ...rules.map(b => `- ${escapeMarkdown(ruleName(b.rule))}: ${escapeMarkdown(b.message)}`))
  if (o.notEvaluated)
    body.push('', `Not evaluated: ${escapeMarkdown(truncate(o.notEvaluated.detail, DETAIL_RATIONALE_CHARS))}`)
  else if (o.error) body.push('', `Error: ${escapeMarkdown(truncate(o.error, DETAIL_RATIONALE_CHARS))}`)
  if (o.state === 'pending' && o.result) body.push('', `Job status at the deadline: ${escapeMarkdown(o.result.status)}`)
  const attempts = [...(o.otherJobs ?? [])]
  if (attempts.length)
    body.push(
      '',
      `Attempts: ${[...attempts, { jobId: o.jobId, state: o.state }]
        .map((a, i) => `${i + 1}. job <code>${escapeMarkdown(a.jobId ?? 'none')}</code> ${escapeMarkdown(a.state)}`)
        .join(', ')}`
    )
  const detectors = o.result?.detectorResults ?? []
  if (detectors.length) {
    body.push('', '| Detector | Check | Score | Rationale | Key metrics |', '|---|---|---|---|---|')
    for (const d of detectors) {
      const check = d.passCheck === undefined ? '—' : d.passCheck ? '✅ pass' : '❌ fail'
      const rationale = d.rationale ? escapeMarkdown(truncate(d.rationale, DETAIL_RATIONALE_CHARS)) : ''
      const metrics = keyMetrics(d).map(escapeMarkdown).join('<br>')
      body.push(
        `| ${escapeMarkdown(d.detectorName)} | ${check} | ${formatScore(d.score, report)} | ${rationale} | ${metrics} |`
      )
    }
  }
  return `<details><summary>${summary}</summary>\n\n${body.join('\n')}\n\n</details>`
}

/** A file's identity and what was measured of it, for its details block. */
function fileFacts(o: ItemOutcome & FileItem): string {
  const measured = measuredSpecs(o)
  return [
    `${formatBytes(o.size)} ${escapeMarkdown(o.mime)}`,
    `sha256 <code>${o.sha256}</code>`,
    measured ? `measured **${escapeMarkdown(describeSpecs(measured))}**` : '',
    o.title ? `title “${escapeMarkdown(o.title)}”` : '',
    o.abandonedJobIds?.length
      ? `abandoned upload job${o.abandonedJobIds.length === 1 ? '' : 's'} ${o.abandonedJobIds.map(id => `<code>${escapeMarkdown(id)}</code>`).join(', ')} (left awaiting_upload)`
      : ''
  ]
    .filter(Boolean)
    .join(' · ')
}

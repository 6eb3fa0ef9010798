/** Markdown pieces the job summary and the PR comment share, so both say the same thing the same way. */
import { plural } from '../model/index.js'
import type { RunError, RunReport, ItemOutcome } from '../model/index.js'
import { formatProblem } from '../config/load.js'
import { Inputs } from '../config/settings.js'
import { collapseWhitespace, escapeMarkdown, markdownLink, truncate } from './escape.js'
import {
  countsLine,
  explainOutcome,
  failingDetectors,
  formatScore,
  formatSource,
  headingText,
  scoreVsThreshold,
  stateIcon,
  stateLabel
} from './outcomes.js'

/** Rationales are cut in table cells; the details and the JSON report keep them whole. */
export const CELL_RATIONALE_CHARS = 300

export function heading(report: RunReport): string {
  return `## ${headingText(report)}`
}

export function judgeLine(report: RunReport): string | undefined {
  const j = report.judge
  if (!j) return undefined
  return `**${escapeMarkdown(j.name)}** (<code>${escapeMarkdown(j.id)}</code>, ${j.origin})`
}

export function countsMarkdown(report: RunReport): string {
  return escapeMarkdown(countsLine(report))
}

/** The "why" of a URL: failing detectors with their rationale, or the error, or what is missing. */
export function whyCell(o: ItemOutcome, report: RunReport): string {
  if (o.state === 'below_threshold' || o.state === 'passed') {
    const failing = failingDetectors(o)
    if (!failing.length) return o.state === 'passed' ? '' : escapeMarkdown(explainOutcome(o, report))
    return failing
      .map(d => {
        const score = d.score === undefined ? '' : ` (${formatScore(d.score)})`
        const rationale = d.rationale ? `: ${escapeMarkdown(truncate(d.rationale, CELL_RATIONALE_CHARS))}` : ''
        return `**${escapeMarkdown(d.detectorName)}**${score}${rationale}`
      })
      .join('<br>')
  }
  return escapeMarkdown(truncate(explainOutcome(o, report), CELL_RATIONALE_CHARS * 2))
}

export const URL_TABLE_HEADER = '| Status | Score | URL | Source | Why |\n|---|---|---|---|---|'

export function urlRow(o: ItemOutcome, report: RunReport): string {
  const status = `${stateIcon(o, report)} ${stateLabel(o, report)}`
  return `| ${status} | ${escapeMarkdown(scoreVsThreshold(o, report.threshold))} | ${markdownLink(o.url)} | ${escapeMarkdown(
    formatSource(o.source)
  )} | ${whyCell(o, report)} |`
}

/** The sentence a skipped run leads with: evaluation did not happen, and why. */
export function skippedExplanation(eventName: string | undefined): string {
  const event = eventName ? `this <code>${escapeMarkdown(eventName)}</code> event` : 'this event'
  return (
    `Evaluation was skipped because secrets are unavailable to ${event}: the \`api-key\` input is empty ` +
    '(pull requests from forks and Dependabot do not receive repository secrets). Nothing was submitted to Pique.'
  )
}

/** What a skipped or errored run knew: the judge and the URL lists named in the inputs, and the URLs found. */
export function validatedLines(report: RunReport, urlCount = report.items.length): string[] {
  const input = (name: string): string => {
    const v = report.inputs[name]
    return Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? collapseWhitespace(v) : ''
  }
  const lines: string[] = []
  if (report.judge) lines.push(`- Judge ${judgeLine(report)}`)
  else if (input(Inputs.Judge)) lines.push(`- Judge file: ${escapeMarkdown(input(Inputs.Judge))}`)
  else if (input(Inputs.JudgeId)) lines.push(`- Judge id: ${escapeMarkdown(input(Inputs.JudgeId))}`)
  if (input(Inputs.Urls)) lines.push(`- URL lists: ${escapeMarkdown(input(Inputs.Urls))}`)
  if (input(Inputs.UrlList)) lines.push('- Inline URLs (url-list input)')
  if (urlCount) lines.push(`- ${plural(urlCount, 'valid URL')}`)
  return lines
}

/** Config problems listed in the summary and the comment; the JSON report has all of them. */
export const MAX_LISTED_PROBLEMS = 50

/**
 * A run that stopped before its verdict: the reason, what to do, the problems in the user's files, and what the run
 * knew. The summary and the PR comment both lead with this, so the comment replaces an earlier verdict.
 */
export function errorLines(report: RunReport, error: RunError): string[] {
  const lines = [`**${escapeMarkdown(error.message)}**`, '']
  if (error.hint) lines.push(escapeMarkdown(error.hint), '')
  if (error.problems.length) {
    const n = error.problems.length
    lines.push(`${plural(n, 'problem')} in the configuration:`, '')
    for (const p of error.problems.slice(0, MAX_LISTED_PROBLEMS)) lines.push(`- ${escapeMarkdown(formatProblem(p))}`)
    if (n > MAX_LISTED_PROBLEMS) lines.push(`- …and ${n - MAX_LISTED_PROBLEMS} more in the JSON report`)
    lines.push('')
  }
  const known = validatedLines(report, error.plannedItems.length)
  if (known.length) lines.push('What the run had:', '', ...known, '')
  lines.push(
    'The gate stopped before reaching a verdict, so this run counts as failed; no earlier verdict applies.',
    ''
  )
  return lines
}

export function thresholdMarkdown(report: RunReport): string {
  return `**Threshold:** ${formatScore(report.threshold)}${report.minScore === undefined ? '' : ` · **Lowest score:** ${formatScore(report.minScore)}`}`
}

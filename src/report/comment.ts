/**
 * The pull-request comment: the verdict and the URLs that need attention, under a hidden marker per judge so the
 * same comment is found and updated on every run. GitHub caps a comment body at 65,536 characters.
 */
import { Inputs } from '../config/settings.js'
import { plural } from '../model/index.js'
import type { RunReport } from '../model/index.js'
import { escapeMarkdown } from './escape.js'
import {
  URL_TABLE_HEADER,
  countsMarkdown,
  errorLines,
  heading,
  judgeLine,
  skippedExplanation,
  thresholdMarkdown,
  urlRow
} from './markdown.js'
import { failsGate, isWarning } from '../gate/policy.js'
import { formatScore, sortWorstFirst } from './outcomes.js'

export const COMMENT_LIMIT_CHARS = 65_536
const COMMENT_MARGIN_CHARS = 2_048

export interface CommentOptions {
  /** Identifies the gate: one comment per key. */
  judgeKey: string
  /** Link to the workflow run, whose job summary has every URL. */
  runUrl?: string
  /** The commit evaluated. */
  sha?: string
  eventName?: string
  maxChars?: number
}

/**
 * The hidden marker that finds this gate's comment again. The key is the judge file (or judge id) so several
 * gates in one workflow keep separate comments; characters that could end the HTML comment are replaced.
 */
export function commentMarker(judgeKey: string): string {
  return `<!-- pique-gate:${judgeKey.replace(/[^\w./:@+-]/g, '_').replace(/-{2,}/g, m => '_'.repeat(m.length))} -->`
}

/** The key a run's comment is filed under: the judge file, else the judge id. */
export function judgeKeyOf(report: RunReport): string {
  const file = report.inputs[Inputs.Judge]
  const id = report.inputs[Inputs.JudgeId]
  if (typeof file === 'string' && file) return file
  if (typeof id === 'string' && id) return id
  return report.judge?.id ?? 'default'
}

export function renderComment(report: RunReport, options: CommentOptions): string {
  // Same marker as a verdict of this gate: the error replaces a stale "passed" in place.
  if (report.error)
    return finish(
      [commentMarker(options.judgeKey), heading(report), '', ...errorLines(report, report.error)],
      [],
      0,
      options,
      'Ran on'
    )
  if (report.verdict === 'skipped') {
    const lines = [commentMarker(options.judgeKey), heading(report), '', skippedExplanation(options.eventName), '']
    return finish(lines, [], 0, options)
  }
  const lines = [commentMarker(options.judgeKey), heading(report), '', `**${escapeMarkdown(report.reason)}**`, '']
  const judge = judgeLine(report)
  lines.push(`${countsMarkdown(report)} · ${thresholdMarkdown(report)}${judge ? ` · **Judge:** ${judge}` : ''}`)
  if (report.skippedUnchanged)
    lines.push('', `${plural(report.skippedUnchanged, 'unchanged URL')} skipped (only-changed).`)
  lines.push('')
  const attention = sortWorstFirst(report).filter(o => failsGate(o, report) || isWarning(o, report))
  if (!attention.length) {
    if (report.verdict === 'passed' && report.items.length) {
      lines.push(`Every URL scored at least ${formatScore(report.threshold)}.`, '')
    }
    return finish(lines, [], 0, options)
  }
  lines.push(URL_TABLE_HEADER)
  const rows: string[] = []
  let size = lines.join('\n').length + 600
  const max = (options.maxChars ?? COMMENT_LIMIT_CHARS) - COMMENT_MARGIN_CHARS
  for (const o of attention) {
    const row = urlRow(o, report)
    if (size + row.length + 1 > max) break
    rows.push(row)
    size += row.length + 1
  }
  return finish(lines, rows, attention.length - rows.length, options)
}

function finish(
  lines: string[],
  rows: string[],
  omitted: number,
  options: CommentOptions,
  commitVerb = 'Evaluated'
): string {
  const out = [...lines, ...rows]
  if (rows.length) out.push('')
  const where = options.runUrl ? `the [job summary](${options.runUrl})` : 'the job summary'
  if (omitted) out.push(`…and ${plural(omitted, 'more URL')} needing attention: see ${where} and the JSON report.`, '')
  const footer = [
    options.sha ? `${commitVerb} ${escapeMarkdown(options.sha.slice(0, 7))}` : '',
    options.runUrl ? `[workflow run](${options.runUrl})` : ''
  ]
  out.push(`<sub>${[...footer.filter(Boolean), 'updated in place by pique-gate'].join(' · ')}</sub>`)
  return out.join('\n') + '\n'
}

/**
 * The pull-request comment: the verdict and the URLs that need attention, under a hidden marker per judge so the
 * same comment is found and updated on every run. GitHub caps a comment body at 65,536 characters.
 */
import { Inputs } from '../config/settings.js'
import { itemWord, plural } from '../model/index.js'
import type { RunReport } from '../model/index.js'
import { escapeMarkdown } from './escape.js'
import { type SourceLinks, errorLines, heading, itemRow, itemTableHeader, judgeLine } from './markdown.js'
import { failsGate, isWarning } from '../gate/policy.js'
import { billingLine, sortWorstFirst, unchangedSkipped } from './outcomes.js'

export const COMMENT_LIMIT_CHARS = 65_536
const COMMENT_MARGIN_CHARS = 2_048

export interface CommentOptions {
  /** Identifies the gate: one comment per key. */
  judgeKey: string
  /** Link to the workflow run, whose job summary has every URL. */
  runUrl?: string
  /** The commit evaluated. */
  sha?: string
  /** Links each source to its line at the commit; plain text without. */
  sourceLinks?: SourceLinks
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

/**
 * Verdict, reason, and the items needing attention with why first; the judge by name in the footer (its id is in
 * the job summary's details). Nothing the reason says is said again.
 */
export function renderComment(report: RunReport, options: CommentOptions): string {
  const marker = commentMarker(options.judgeKey)
  // Same marker as a verdict of this gate: the error replaces a stale "passed" in place.
  if (report.error)
    return finish([marker, heading(report), '', ...errorLines(report, report.error, false)], [], 0, report, options)
  if (report.verdict === 'skipped')
    return finish([marker, heading(report), '', escapeMarkdown(report.reason), ''], [], 0, report, options)
  const lines = [marker, heading(report), '', `**${escapeMarkdown(report.reason)}**`, '']
  if (report.skippedUnchanged) lines.push(`${unchangedSkipped(report)} (only-changed).`, '')
  const attention = sortWorstFirst(report).filter(o => failsGate(o, report) || isWarning(o, report))
  if (!attention.length) return finish(lines, [], 0, report, options)
  lines.push(itemTableHeader(report))
  const rows: string[] = []
  let size = lines.join('\n').length + 600
  const max = (options.maxChars ?? COMMENT_LIMIT_CHARS) - COMMENT_MARGIN_CHARS
  for (const o of attention) {
    const row = itemRow(o, report, options.sourceLinks)
    if (size + row.length + 1 > max) break
    rows.push(row)
    size += row.length + 1
  }
  return finish(lines, rows, attention.length - rows.length, report, options)
}

function finish(lines: string[], rows: string[], omitted: number, report: RunReport, options: CommentOptions): string {
  const out = [...lines, ...rows]
  if (rows.length) out.push('')
  const where = options.runUrl ? `the [job summary](${options.runUrl})` : 'the job summary'
  if (omitted)
    out.push(
      `…and ${plural(omitted, `more ${itemWord(report.items)}`)} needing attention: see ${where} and the JSON report.`,
      ''
    )
  const judge = report.error ? undefined : judgeLine(report, false)
  // What this run paid for, in the footer: the rows needing attention stay on the first screen.
  const footer = [
    report.error || !report.items.length ? '' : escapeMarkdown(billingLine(report)),
    judge ? `judge ${judge}` : '',
    options.sha ? `${report.error ? 'ran on' : 'evaluated'} ${escapeMarkdown(options.sha.slice(0, 7))}` : '',
    options.runUrl ? `[workflow run](${options.runUrl})` : ''
  ]
  const text = [...footer.filter(Boolean), 'updated in place by pique-gate'].join(' · ')
  out.push(`<sub>${text[0].toUpperCase()}${text.slice(1)}</sub>`)
  return out.join('\n') + '\n'
}

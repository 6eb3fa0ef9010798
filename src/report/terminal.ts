/** The CLI's report: a plain table on stdout, worst first, and the verdict line. */
import type { RunReport, UrlOutcome } from '../gate/model.js'
import { collapseWhitespace, truncate } from './escape.js'
import { formatProblem } from '../config/load.js'
import {
  countsLine,
  explainOutcome,
  formatScore,
  formatSource,
  headingText,
  sortWorstFirst,
  stateLabel,
  worstDetector
} from './outcomes.js'

const URL_WIDTH = 60
const WHY_WIDTH = 70

/** User text may carry terminal escape sequences: show control characters as spaces. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return collapseWhitespace(text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '))
}

/** Long URLs keep their start and end, which is where they differ. */
function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text
  const head = Math.ceil((max - 1) / 2)
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`
}

function why(o: UrlOutcome, report: RunReport): string {
  if (o.state !== 'passed' && o.state !== 'below_threshold') return explainOutcome(o, report)
  const d = worstDetector(o)
  if (!d) return ''
  return `${d.detectorName} ${formatScore(d.score)}${d.rationale ? `: ${d.rationale}` : ''}`
}

export function renderTerminal(report: RunReport): string {
  const rows = sortWorstFirst(report).map((o) => [
    stateLabel(o, report),
    formatScore(o.score),
    shortenMiddle(plain(o.url), URL_WIDTH),
    plain(formatSource(o.source)),
    truncate(plain(why(o, report)), WHY_WIDTH)
  ])
  const header = ['STATUS', 'SCORE', 'URL', 'SOURCE', 'WORST DETECTOR / REASON']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  const verdict = headingText(report).replace(/^\S+\s/, '').toUpperCase()
  const out = rows.length ? [line(header), ...rows.map(line), ''] : []
  out.push(`${verdict}: ${plain(report.reason)}`)
  if (report.error) {
    if (report.error.hint) out.push(plain(report.error.hint))
    for (const p of report.error.problems) out.push(`  ${plain(formatProblem(p))}`)
  } else if (report.verdict !== 'skipped') {
    const judge = report.judge ? `; judge ${plain(report.judge.name)} (${plain(report.judge.id)}, ${report.judge.origin})` : ''
    out.push(`${countsLine(report)}; threshold ${formatScore(report.threshold)}${judge}`)
  }
  if (report.skippedUnchanged) out.push(`${report.skippedUnchanged} unchanged URLs skipped (only-changed)`)
  for (const w of report.warnings) out.push(`warning: ${plain(w)}`)
  return out.join('\n') + '\n'
}

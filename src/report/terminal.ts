/** The CLI's report: a plain table on stdout, worst first, and the verdict line. */
import { type ItemOutcome, type RunReport, formatScore, itemName, itemWord, plural } from '../model/index.js'
import { collapseWhitespace, escapeControls, shortenMiddle, truncate } from './escape.js'
import { formatProblem } from '../config/load.js'
import { failsGate, isWarning } from '../gate/policy.js'
import {
  changeText,
  countsLine,
  explainOutcome,
  formatSource,
  headingText,
  otherBreaches,
  sortWorstFirst,
  reusedText,
  stateLabel,
  unchangedSkipped,
  worstDetector
} from './outcomes.js'

const URL_WIDTH = 60
/** The reason column never gets narrower than this, however narrow the terminal. */
const MIN_WHY_WIDTH = 30
/** Width assumed when stdout is not a terminal (a CI log, a pipe). */
export const DEFAULT_COLUMNS = 120

/** Up to this many items every row is listed; beyond it only those needing attention, unless verbose. */
export const ALL_ROWS_UP_TO = 50

export interface TerminalOptions {
  /** Terminal width; default process.stdout.columns, or DEFAULT_COLUMNS when stdout is not a TTY. */
  columns?: number
  /** List every row however large the run (CLI --verbose). */
  verbose?: boolean
}

/** User text may carry terminal escape sequences: control characters are shown escaped, never sent raw. */
function plain(text: string): string {
  return escapeControls(collapseWhitespace(text))
}

function why(o: ItemOutcome, report: RunReport): string {
  const reused = reusedText(o)
  if (o.state !== 'passed' && o.state !== 'below_threshold')
    return [explainOutcome(o, report), reused].filter(Boolean).join('; ')
  const d = worstDetector(o)
  const worst = d ? `${d.detectorName} ${formatScore(d.score, report)}${d.rationale ? `: ${d.rationale}` : ''}` : ''
  const more = otherBreaches(o).map(b => b.message)
  return [reused, worst, ...more].filter(Boolean).join('; ')
}

/** `0.71`, or `0.82 → 0.71` with the item's earlier score. */
function scoreCell(o: ItemOutcome, report: RunReport): string {
  return changeText(o, report) || formatScore(o.score, report)
}

export function renderTerminal(report: RunReport, options: TerminalOptions = {}): string {
  const columns = options.columns ?? (process.stdout.columns || DEFAULT_COLUMNS)
  const sorted = sortWorstFirst(report)
  // A large run lists what needs attention and the totals; --verbose (or a small run) lists every row.
  const ordered =
    options.verbose || sorted.length <= ALL_ROWS_UP_TO
      ? sorted
      : sorted.filter(o => failsGate(o, report) || isWarning(o, report))
  const hidden = sorted.length - ordered.length
  const rows = ordered.map(o => [
    stateLabel(o, report),
    scoreCell(o, report),
    shortenMiddle(plain(itemName(o)), URL_WIDTH),
    plain(formatSource(o.source))
  ])
  const header = ['STATUS', 'SCORE', itemWord(report.items).toUpperCase(), 'SOURCE', 'WORST DETECTOR / REASON']
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  // The reason gets what the other columns leave of the terminal's width.
  const whyWidth = Math.max(MIN_WHY_WIDTH, columns - widths.reduce((sum, w) => sum + w + 2, 0))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  const body: string[] = []
  ordered.forEach((o, i) => {
    const reason = plain(why(o, report))
    body.push(line([...rows[i], truncate(reason, whyWidth)]))
    // Only a passing row's note may be cut; any other reason that does not fit follows in full on its own line.
    if (reason.length > whyWidth && o.state !== 'passed') body.push(`    ${reason}`)
  })
  const verdict = headingText(report)
    .replace(/^\S+\s/, '')
    .toUpperCase()
  const out = rows.length ? [line(header), ...body, ''] : []
  if (hidden)
    out.push(
      `${plural(hidden, `more ${itemWord(report.items)}`)} not needing attention ${hidden === 1 ? 'is' : 'are'} not listed (--verbose lists every row; the JSON report has all)`,
      ''
    )
  const problems = report.error?.problems ?? []
  // Config problems are listed once each; the one-line reason would only repeat the first.
  out.push(
    problems.length
      ? `${verdict}: ${plural(problems.length, 'problem')} in the configuration:`
      : `${verdict}: ${plain(report.reason)}`
  )
  if (report.error) {
    for (const p of problems) out.push(`  ${plain(formatProblem(p))}`)
    if (report.error.hint) out.push(plain(report.error.hint))
  } else if (report.verdict !== 'skipped') {
    const judge = report.judge
      ? `; judge ${plain(report.judge.name)} (${plain(report.judge.id)}, ${report.judge.origin})`
      : ''
    out.push(`${countsLine(report)}; threshold ${formatScore(report.threshold, report)}${judge}`)
  }
  if (report.skippedUnchanged) out.push(`${unchangedSkipped(report)} (only-changed)`)
  for (const w of report.warnings) out.push(`warning: ${plain(w)}`)
  return out.join('\n') + '\n'
}

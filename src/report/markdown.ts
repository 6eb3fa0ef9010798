/** Markdown pieces the job summary and the PR comment share, so both say the same thing the same way. */
import { formatScore, itemName, itemWord, plural } from '../model/index.js'
import type { ItemKind, ItemOutcome, ItemSource, RunError, RunReport } from '../model/index.js'
import { formatProblem } from '../config/load.js'
import type { DetectorResult } from '../pique/results.js'
import { Inputs } from '../config/settings.js'
import { formatBytes } from '../files/bytes.js'
import { describeSpecs, measuredSpecs } from './measured.js'
import {
  breakableMarkdown,
  collapseWhitespace,
  escapeMarkdown,
  htmlLink,
  shortenMiddle,
  truncateWords
} from './escape.js'
import {
  billingLine,
  changeText,
  failingDetectors,
  formatSource,
  headingText,
  isInlineSource,
  otherBreaches,
  reusedText,
  stateIcon,
  stateLabel
} from './outcomes.js'

/** The worst detector's rationale is cut here in a table cell, so a failing row stays a few lines tall. */
export const CELL_RATIONALE_CHARS = 100
/** Characters of a URL or a source path shown in a table cell (start and end); the links and the details have them whole. */
const CELL_NAME_CHARS = 32

/** "3 reused, 12 evaluated (billed)." under the reason: what this run paid Pique for; none for a run without items. */
export function billingLines(report: RunReport): string[] {
  return report.items.length ? [`${escapeMarkdown(billingLine(report))}.`, ''] : []
}

export function heading(report: RunReport): string {
  return `## ${headingText(report)}`
}

/** The judge by name and how this run got it; with its id where the full facts belong (the summary's details). */
export function judgeLine(report: RunReport, withId = true): string | undefined {
  const j = report.judge
  if (!j) return undefined
  return withId
    ? `${escapeMarkdown(j.name)} (<code>${escapeMarkdown(j.id)}</code>, ${j.origin})`
    : `${escapeMarkdown(j.name)} (${j.origin})`
}

/**
 * The "why" of an item, saying only what its result cell does not: the worst failing detector with its rationale
 * (the other failing ones by name and score; the details have every rationale), the error of a failed evaluation,
 * how far an unfinished job got.
 */
export function whyCell(o: ItemOutcome, report: RunReport): string {
  // Rules broken besides the threshold (policy, max-drop), in words; a reused result says so, with its age and job.
  const rules = otherBreaches(o).map(b => escapeMarkdown(b.message))
  const reused = o.reused ? `<sub>♻️ ${escapeMarkdown(reusedText(o))}</sub>` : ''
  return [o.state === 'broke_rule' ? '' : reasonCell(o, report), ...rules, reused].filter(Boolean).join('<br>')
}

function reasonCell(o: ItemOutcome, report: RunReport): string {
  switch (o.state) {
    case 'below_threshold':
    case 'passed': {
      const named = (d: DetectorResult): string =>
        `**${breakableMarkdown(d.detectorName)}**${d.score === undefined ? '' : ` (${formatScore(d.score, report)})`}`
      const [worst, ...others] = [...failingDetectors(o)].sort((a, b) => (a.score ?? 1) - (b.score ?? 1))
      if (!worst) return ''
      const rationale = worst.rationale
        ? `: ${escapeMarkdown(truncateWords(worst.rationale, CELL_RATIONALE_CHARS))}`
        : ''
      return `${named(worst)}${rationale}${others.length ? ` · also failing: ${others.map(named).join(', ')}` : ''}`
    }
    case 'failed':
      return escapeMarkdown(truncateWords(o.error ?? 'Pique gave no reason', CELL_RATIONALE_CHARS))
    case 'pending':
      if (o.notEvaluated?.reason === 'result_not_received') return 'finished or not, its result never reached the gate'
      return o.result ? `still ${escapeMarkdown(o.result.status)} at the deadline` : 'no result by the deadline'
    case 'not_evaluated':
      return escapeMarkdown(truncateWords(o.notEvaluated?.detail ?? o.error ?? 'never submitted', CELL_RATIONALE_CHARS))
    case 'submitted':
      return report.error ? 'the run stopped before its result' : 'not waited for (wait: none)'
    case 'broke_rule':
      return ''
  }
}

/**
 * The first column: the icon and the score (the reason line above the table names the threshold once, and the
 * icon says which side of it), or the state when there is no score.
 */
export function resultCell(o: ItemOutcome, report: RunReport): string {
  const what = o.score === undefined ? stateLabel(o, report) : formatScore(o.score, report)
  // The change against the item's previous result, under the score.
  const change = changeText(o, report)
  return `${stateIcon(o, report)} ${escapeMarkdown(what)}${change ? `<br><sub>${escapeMarkdown(change)}</sub>` : ''}`
}

/** Where the commit's files are on GitHub; without it a source is plain text. */
export interface SourceLinks {
  /** GITHUB_SERVER_URL, e.g. https://github.com */
  serverUrl: string
  /** GITHUB_REPOSITORY, owner/name */
  repository: string
  /** The commit evaluated (the pull request's head, else GITHUB_SHA). */
  sha: string
  /** GITHUB_WORKSPACE: absolute source paths under it are made relative to the repository. */
  workspace?: string
}

/**
 * `…/blob/<sha>/<path>#L<line>` for a source in the repository (a media file named directly: its path, no line);
 * undefined for inline items or paths outside it.
 */
export function sourceUrl(source: ItemSource, links: SourceLinks | undefined): string | undefined {
  if (!links || isInlineSource(source)) return undefined
  let path = source.file.replace(/\\/g, '/')
  const root = links.workspace?.replace(/\\/g, '/').replace(/\/+$/, '')
  if (root && path.startsWith(`${root}/`)) path = path.slice(root.length + 1)
  path = path.replace(/^(\.\/)+/, '')
  if (!path || path.startsWith('/') || /^[a-z]:/i.test(path) || path.split('/').includes('..')) return undefined
  const encoded = path.split('/').map(encodeURIComponent).join('/')
  const server = links.serverUrl.replace(/\/+$/, '')
  return `${server}/${links.repository}/blob/${encodeURIComponent(links.sha)}/${encoded}${source.line >= 1 ? `#L${source.line}` : ''}`
}

/**
 * `content/urls.txt:3`, linked to that line at the commit when the links are known. A path longer than `max`
 * characters shows only its file name (`…/urls.txt:3`); the link, the details and the JSON report have it whole.
 */
export function sourceMarkdown(source: ItemSource, links: SourceLinks | undefined, max = Infinity): string {
  const whole = formatSource(source)
  const text = breakableMarkdown(whole.length > max ? `…/${whole.slice(whole.lastIndexOf('/') + 1)}` : whole)
  const url = sourceUrl(source, links)
  return url ? htmlLink(url, text) : text
}

/** An item's name as a table shows it: a URL without its scheme, cut in the middle when long, able to wrap. */
export function itemText(o: ItemOutcome): string {
  return breakableMarkdown(shortenMiddle(itemName(o).replace(/^https?:\/\/(www\.)?/i, ''), CELL_NAME_CHARS))
}

/**
 * `itemText` linked to the whole URL. A media file is not a page to link: its path, then its size, type and what the
 * judge measured of it (`1280x720 (16:9), 30 fps`).
 */
export function itemMarkdown(o: ItemOutcome): string {
  if (o.kind === 'url') return htmlLink(itemName(o), itemText(o))
  const measured = measuredSpecs(o)
  const facts = [formatBytes(o.size), o.mime, measured ? `measured ${describeSpecs(measured)}` : '']
  return `${itemText(o)}<br>${escapeMarkdown(facts.filter(Boolean).join(' · '))}`
}

/** The column naming the items, by the kinds present (`URL` for a run of URLs). */
const ITEM_COLUMN: Record<ItemKind, string> = { url: 'URL', file: 'File' }

/** Result first, then why, then the item and its source: the reason is readable without scrolling sideways. */
export function itemTableHeader(report: RunReport): string {
  const kinds = new Set(report.items.map(o => o.kind))
  const item = kinds.size === 1 ? ITEM_COLUMN[[...kinds][0]] : 'Item'
  return `| Result | Why | ${item} · source |\n|---|---|---|`
}

export function itemRow(o: ItemOutcome, report: RunReport, links: SourceLinks | undefined): string {
  const source = sourceMarkdown(o.source, links, CELL_NAME_CHARS)
  return `| ${resultCell(o, report)} | ${whyCell(o, report)} | ${itemMarkdown(o)}<br>${source} |`
}

/**
 * What a skipped or errored run knew: the judge, the URL lists and media files named in the inputs, and the items
 * found. The judge's id only where every fact belongs (the summary), not in the PR comment.
 */
export function validatedLines(
  report: RunReport,
  items: readonly { kind: string }[] = report.items,
  withJudgeId = true
): string[] {
  const input = (name: string): string => {
    const v = report.inputs[name]
    return Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? collapseWhitespace(v) : ''
  }
  const lines: string[] = []
  if (report.judge) lines.push(`- Judge ${judgeLine(report, withJudgeId)}`)
  else if (input(Inputs.Judge)) lines.push(`- Judge file: ${escapeMarkdown(input(Inputs.Judge))}`)
  else if (input(Inputs.JudgeId)) lines.push(`- Judge id: ${escapeMarkdown(input(Inputs.JudgeId))}`)
  if (input(Inputs.Urls)) lines.push(`- URL lists: ${escapeMarkdown(input(Inputs.Urls))}`)
  if (input(Inputs.UrlList)) lines.push('- Inline URLs (url-list input)')
  if (input(Inputs.Files)) lines.push(`- Media files: ${escapeMarkdown(input(Inputs.Files))}`)
  if (items.length) lines.push(`- ${plural(items.length, `valid ${itemWord(items)}`)}`)
  return lines
}

/** Config problems listed in the summary and the comment; the JSON report has all of them. */
export const MAX_LISTED_PROBLEMS = 50

/**
 * A run that stopped before its verdict: the reason (or, for problems in the user's files, the list of them, which
 * the one-line reason only abbreviates), what to do, and what the run knew. The summary and the PR comment both lead
 * with this, so the comment replaces an earlier verdict.
 */
export function errorLines(report: RunReport, error: RunError, withJudgeId = true): string[] {
  const lines: string[] = []
  const n = error.problems.length
  if (n) {
    lines.push(`**${plural(n, 'problem')} in the configuration:**`, '')
    for (const p of error.problems.slice(0, MAX_LISTED_PROBLEMS)) lines.push(`- ${escapeMarkdown(formatProblem(p))}`)
    if (n > MAX_LISTED_PROBLEMS) lines.push(`- …and ${n - MAX_LISTED_PROBLEMS} more in the JSON report`)
    lines.push('')
  } else lines.push(`**${escapeMarkdown(error.message)}**`, '')
  if (error.hint) lines.push(escapeMarkdown(error.hint), '')
  const known = validatedLines(report, error.plannedItems, withJudgeId)
  if (known.length) lines.push('What the run had:', '', ...known, '')
  lines.push('This run counts as failed; no earlier verdict of this gate applies.', '')
  return lines
}

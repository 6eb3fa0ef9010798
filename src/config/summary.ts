/** What a loaded config holds, as short lines for people (`pique-gate validate`, the gate's log). */
import { formatProblem } from './problems.js'
import type { ConfigProblem, JudgeFile, UrlList } from './types.js'

export function describeJudgeFile(judge: JudgeFile): string[] {
  const { body } = judge
  const lines = [
    `judge ${judge.file}: "${body.name}" (content type ${body.content_type}, ${body.detectors.length} detector${body.detectors.length === 1 ? '' : 's'})`
  ]
  if (judge.id) lines.push(`  pins judge id ${judge.id}`)
  for (const d of body.detectors) {
    const keys = Object.keys(d.config)
    lines.push(`  - ${d.detector_name}${keys.length ? `: ${keys.join(', ')}` : ''}`)
  }
  return lines
}

export function describeUrlList(list: UrlList): string[] {
  const counts = new Map<string, number>((list.files ?? []).map(f => [f, 0]))
  for (const u of list.urls) counts.set(u.source.file, (counts.get(u.source.file) ?? 0) + 1)
  const dropped = list.notices.length
    ? `, ${list.notices.length} duplicate${list.notices.length === 1 ? '' : 's'} removed`
    : ''
  return [
    `urls: ${list.urls.length} URL${list.urls.length === 1 ? '' : 's'} to evaluate${dropped}`,
    ...[...counts].map(([file, n]) => `  ${file}: ${n}`)
  ]
}

export function describeProblems(kind: 'warning' | 'notice', problems: readonly ConfigProblem[]): string[] {
  return problems.map(p => `${kind}: ${formatProblem(p)}`)
}

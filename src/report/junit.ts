/**
 * JUnit XML so test-report tools show the gate: one testcase per URL, grouped by URL list file.
 * below threshold → <failure>; unfinished at the deadline or never evaluated → <failure> (the gate fails it, like a
 * timed-out test);
 * failed evaluation → <error> (or <skipped> with fail-on-error false, since the gate then passes);
 * submitted without waiting, or a skipped run → <skipped>. A run that stopped before its verdict → one <error>.
 */
import { formatProblem } from '../config/load.js'
import { type ItemOutcome, type RunError, type RunReport, formatScore, itemName } from '../model/index.js'
import { judgeKeyOf } from './comment.js'
import { escapeXml } from './escape.js'
import { durationMs, explainOutcome, formatSource, isInlineSource } from './outcomes.js'

type Kind = 'passed' | 'failure' | 'error' | 'skipped'

function kindOf(o: ItemOutcome, report: RunReport): Kind {
  if (report.verdict === 'skipped') return 'skipped'
  switch (o.state) {
    case 'passed':
      return 'passed'
    case 'below_threshold':
    case 'broke_rule':
    case 'pending':
    case 'not_evaluated':
      return 'failure'
    case 'failed':
      return report.failOnError ? 'error' : 'skipped'
    default:
      return 'skipped'
  }
}

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3)

function testcase(o: ItemOutcome, report: RunReport): string {
  const kind = kindOf(o, report)
  const classname = isInlineSource(o.source) ? 'url-list' : o.source.file
  const open = `    <testcase classname="${escapeXml(classname)}" name="${escapeXml(itemName(o))}" time="${seconds(durationMs(o.submittedAt, o.finishedAt))}"`
  const explanation = report.verdict === 'skipped' ? report.reason : explainOutcome(o, report)
  const out = [
    `job: ${o.jobId ?? 'none'}`,
    `source: ${formatSource(o.source)}`,
    ...(o.result?.detectorResults ?? []).map(
      d =>
        `${d.detectorName}: ${d.passCheck === false ? 'fail' : d.passCheck ? 'pass' : '-'} ${d.score === undefined ? '-' : formatScore(d.score, report)}${d.rationale ? ` ${d.rationale}` : ''}`
    )
  ].join('\n')
  const body =
    kind === 'passed'
      ? ''
      : kind === 'skipped'
        ? `      <skipped message="${escapeXml(explanation)}"/>\n`
        : `      <${kind} message="${escapeXml(explanation)}" type="${o.state}">${escapeXml(explanation)}</${kind}>\n`
  return `${open}>\n${body}      <system-out>${escapeXml(out)}</system-out>\n    </testcase>`
}

/** A run that stopped before its verdict: one testcase in error, named after the gate, with what to do. */
function errorTestcase(report: RunReport, error: RunError): string {
  const text = [error.message, error.hint ?? '', ...error.problems.map(formatProblem)].filter(Boolean).join('\n')
  const name = judgeKeyOf(report)
  return (
    `    <testcase classname="pique-gate" name="${escapeXml(name)}" time="${seconds(durationMs(report.startedAt, report.finishedAt))}">\n` +
    `      <error message="${escapeXml(error.message)}" type="${error.kind}">${escapeXml(text)}</error>\n    </testcase>`
  )
}

export function renderJunit(report: RunReport): string {
  const kinds: Kind[] = report.error ? ['error'] : report.items.map(o => kindOf(o, report))
  const count = (k: Kind): number => kinds.filter(x => x === k).length
  const attrs = `tests="${kinds.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${seconds(
    durationMs(report.startedAt, report.finishedAt)
  )}"`
  const name = `pique-gate${report.judge ? `: ${report.judge.name}` : ''}`
  const props = [
    ['verdict', report.verdict],
    ['reason', report.reason],
    ['threshold', String(report.threshold)],
    ['judge_id', report.judge?.id ?? ''],
    ['skipped_unchanged', String(report.skippedUnchanged)]
  ]
    .map(([k, v]) => `      <property name="${k}" value="${escapeXml(v)}"/>`)
    .join('\n')
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pique-gate" ${attrs}>`,
    `  <testsuite name="${escapeXml(name)}" ${attrs} timestamp="${escapeXml(report.startedAt)}">`,
    `    <properties>\n${props}\n    </properties>`,
    ...(report.error ? [errorTestcase(report, report.error)] : report.items.map(o => testcase(o, report))),
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}

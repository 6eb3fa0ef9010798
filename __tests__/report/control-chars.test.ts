/**
 * Control characters in text a reader sees (an API's rationale or error, a judge name, a config problem): escaped
 * visibly in the terminal table, the job summary, the PR comment, the annotations and JUnit, never sent raw.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { ConfigError } from '../../src/config/problems.js'
import { describeFailure, failureReport } from '../../src/gate/failure.js'
import type { RunReport } from '../../src/model/index.js'
import { emitAnnotations, planAnnotations } from '../../src/report/annotations.js'
import { renderJunit } from '../../src/report/junit.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { commentOf, failedEval, failingRun, reportOf, summaryOf } from './fixtures.js'

/** NUL, an ANSI colour, a C1 CSI, a bidi override, BEL and DEL. */
const HOSTILE = 'a\u0000b\u001b[31mc\u009b2Jd\u202ee\u0007f\u007f'
// Anything a terminal or a renderer would act on; tab and newline are layout.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

function hostileRun(): RunReport {
  const report = failingRun()
  report.items[0].result!.detectorResults[0].rationale = HOSTILE
  const failed = failedEval('https://www.youtube.com/shorts/x1', 'content/urls.txt', 2, HOSTILE)
  const both = reportOf([...report.items, failed])
  both.judge = { ...both.judge!, name: HOSTILE }
  both.warnings = [HOSTILE]
  return both
}

function configRun(): RunReport {
  const problem = { file: `urls${HOSTILE}.txt`, line: 3, column: 1, field: `key${HOSTILE}`, message: HOSTILE }
  return failureReport(describeFailure(new ConfigError([problem])), {
    startedAt: '2026-03-02T10:00:00.000Z',
    inputs: {}
  })
}

describe.each([
  ['a run with hostile API text', hostileRun],
  ['a run stopped by a hostile config problem', configRun]
])('%s', (_name, make) => {
  let written: string[]
  beforeEach(() => {
    written = []
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      written.push(String(chunk))
      return true
    })
  })
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it.each([
    ['terminal', (r: RunReport) => renderTerminal(r)],
    ['job summary', summaryOf],
    ['PR comment', commentOf],
    ['JUnit', renderJunit]
  ])('%s: escaped, nothing raw', (_output, render) => {
    const text = render(make())
    expect(text).not.toMatch(RAW_CONTROL)
    // Shown, not dropped: the reader can tell something odd was there.
    expect(text).toMatch(/\\x1b|&#92;x1b/)
  })

  it('annotations: escaped, nothing raw', () => {
    const report = make()
    emitAnnotations(report, planAnnotations(report))
    const lines = written.join('')
    expect(lines).toMatch(/^::error/m)
    expect(lines).not.toMatch(RAW_CONTROL)
    expect(lines).toContain('\\x1b')
  })
})

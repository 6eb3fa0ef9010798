/**
 * A run that stopped before its verdict (bad key, unknown judge, config errors): every reporter says it could not run
 * and why, through the same paths as a verdict. Publishing it (the comment replacing a stale "passed") is in
 * publish.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { XMLParser } from 'fast-xml-parser'
import { MAX_ANNOTATIONS, planAnnotations } from '../../src/report/annotations.js'
import { buildJsonReport } from '../../src/report/json.js'
import { renderJunit } from '../../src/report/junit.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { describeFailure, failureReport } from '../../src/gate/failure.js'
import { ConfigError } from '../../src/config/load.js'
import { authErrorRun, commentOf, configErrorRun, passingRun, summaryOf } from './fixtures.js'

describe('rendering a run that could not run', () => {
  it('job summary: says it could not run, the reason, what to do, and what the run had', () => {
    const md = summaryOf(authErrorRun())
    expect(md.split('\n')[0]).toBe('## ❌ Pique gate could not run')
    expect(md).toContain('**GET /v1/judges: 401 Unauthorized: invalid API key**')
    expect(md).toContain('Check the api-key secret: it must be a current Pique API key for the api-url used')
    expect(md).toContain('- Judge file: .pique/judge.yml')
    expect(md).toContain('- 2 valid URLs')
    expect(md).toContain('This run counts as failed; no earlier verdict of this gate applies.')
    // No verdict table: nothing was decided.
    expect(md).not.toContain('| Result |')
  })

  it('job summary: lists every config problem at file:line, escaped', async () => {
    const md = summaryOf(await configErrorRun())
    expect(md).toContain('**3 problems in the configuration:**')
    // The one-line reason abbreviates the list ("… (and 2 more)"): the list alone says it.
    expect(md).not.toContain('(and 2 more)')
    expect(md).toContain(
      '- .pique/judge.yml:7:16: detectors&#91;0&#93;.config.min&#95;fps: expected a number, got a string'
    )
    expect(md).toContain(
      '- content/urls.txt:3:1: expected an http or https URL, got ftp (ftp://clips.example/&#60;x&#62;)'
    )
    expect(md).toContain('got mailto (mailto:&#64;marketing)')
    expect(md).toContain('pique-gate validate checks them locally')
  })

  it('PR comment: same marker as a verdict of this judge, and the problems', async () => {
    const body = commentOf(await configErrorRun())
    const lines = body.split('\n')
    expect(lines[0]).toBe('<!-- pique-gate:.pique/judge.yml -->')
    expect(lines[1]).toBe('## ❌ Pique gate could not run')
    expect(lines[3]).toBe('**3 problems in the configuration:**')
    expect(body).toContain(
      '- .pique/judge.yml:7:16: detectors&#91;0&#93;.config.min&#95;fps: expected a number, got a string'
    )
    expect(body).toContain('- content/urls.txt:9:1:')
    expect(body.match(/min&#95;fps/g)).toHaveLength(1)
    expect(body).toContain(
      '<sub>Ran on abcdef1 · [workflow run](https://github.com/acme/site/actions/runs/9) · updated in place by pique-gate</sub>'
    )
  })

  it('terminal: every problem once, then what to do', async () => {
    const text = renderTerminal(await configErrorRun())
    expect(text.split('\n')).toEqual([
      'PIQUE GATE COULD NOT RUN: 3 problems in the configuration:',
      '  .pique/judge.yml:7:16: detectors[0].config.min_fps: expected a number, got a string',
      '  content/urls.txt:3:1: expected an http or https URL, got ftp (ftp://clips.example/<x>)',
      '  content/urls.txt:9:1: expected an http or https URL, got mailto (mailto:@marketing)',
      'Fix the problems listed in the files named; pique-gate validate checks them locally without calling Pique.',
      ''
    ])
  })

  it('JUnit: one testcase in error named after the gate', () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(renderJunit(authErrorRun()))
    const suite = xml.testsuites.testsuite
    expect(suite['@_tests']).toBe('1')
    expect(suite['@_errors']).toBe('1')
    expect(suite.testcase['@_name']).toBe('.pique/judge.yml')
    expect(suite.testcase.error['@_type']).toBe('auth')
    expect(suite.testcase.error['@_message']).toContain('401 Unauthorized')
  })

  it('JSON: verdict failed with the reason, the error object and the planned URLs', async () => {
    const json = buildJsonReport(authErrorRun())
    expect(json).toMatchObject({
      verdict: 'failed',
      reason: expect.stringContaining('401'),
      judge: null,
      urls: [],
      threshold: 0.7
    })
    expect(json.error).toEqual({
      kind: 'auth',
      message: 'GET /v1/judges: 401 Unauthorized: invalid API key',
      hint: expect.stringContaining('api-key'),
      problems: [],
      planned_urls: [
        { url: 'https://www.tiktok.com/@acme/video/7301', source: { file: 'content/urls.txt', line: 1 } },
        { url: 'https://www.youtube.com/shorts/aB3dE5', source: { file: 'content/urls.txt', line: 2 } }
      ],
      planned_files: []
    })
    expect(buildJsonReport(passingRun()).error).toBeNull()
    expect(buildJsonReport(await configErrorRun()).error?.problems).toHaveLength(3)
  })

  it('JSON: a problem about a whole file (not found) has no position: line and column are null', () => {
    const problems = [
      { file: 'content/missing.txt', line: 0, column: 0, field: '', message: 'file not found' },
      { file: 'content/urls.txt', line: 3, column: 1, field: '', message: 'expected an http or https URL' }
    ]
    const report = failureReport(describeFailure(new ConfigError(problems)), {
      startedAt: '2026-03-02T10:00:00.000Z',
      inputs: {}
    })
    expect(buildJsonReport(report).error?.problems).toEqual([
      { file: 'content/missing.txt', line: null, column: null, field: '', message: 'file not found' },
      { file: 'content/urls.txt', line: 3, column: 1, field: '', message: 'expected an http or https URL' }
    ])
  })

  it('a bad input (no settings): threshold unknown is null, not a made-up number', () => {
    const report = failureReport(describeFailure(new Error('boom')), {
      startedAt: '2026-03-02T10:00:00.000Z',
      inputs: {}
    })
    expect(buildJsonReport(report)).toMatchObject({ threshold: null, error: { kind: 'internal' } })
  })

  it('annotates at most 10 config problems', () => {
    const problems = Array.from({ length: 14 }, (_, i) => ({
      file: 'urls.txt',
      line: i + 1,
      column: 1,
      field: '',
      message: `bad ${i}`
    }))
    const report = failureReport(describeFailure(new ConfigError(problems)), {
      startedAt: '2026-03-02T10:00:00.000Z',
      inputs: {}
    })
    expect(planAnnotations(report).problems).toHaveLength(MAX_ANNOTATIONS)
    expect(summaryOf(report)).toContain('14 problems in the configuration:')
  })
})

/**
 * src/main.ts in process, with a fake @actions/core (the actions/typescript-action template's pattern): INPUT_*
 * variables in, setOutput / setFailed / annotations out, against the real emulator on loopback. Fast beside the
 * e2e tests, which run the bundle in a child process as GitHub does.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_EMULATOR_API_KEY, type RunningEmulator } from '../../src/emulator/options.js'
import { startEmulator } from '../../src/emulator/server.js'
import { SCENARIO, judgeYaml, urlList } from '../e2e/fixtures.js'
import * as core from './fake-core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../../src/main.js')

let emulator: RunningEmulator
let dir: string
const saved = { ...process.env }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pique-gate-main-'))
  emulator = await startEmulator({
    timings: { judgeReadyMs: 30, awaitingUploadMs: 10, pendingMs: 10, processingMs: 20 },
    scenario: SCENARIO
  })
})
afterAll(async () => {
  await emulator?.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  core.reset()
  // Only what a runner would set for this step: no summary file, no pull request, no earlier INPUT_*.
  for (const name of Object.keys(process.env))
    if (name.startsWith('INPUT_') || name.startsWith('GITHUB_')) delete process.env[name]
})
afterEach(() => {
  process.env = { ...saved }
})

let counter = 0
/** Writes the judge file and URL list, sets INPUT_* for them and `inputs`, and runs the action. */
async function action(urls: string, inputs: Record<string, string> = {}): Promise<string> {
  const reportPath = join(dir, `report-${++counter}.json`)
  writeFileSync(join(dir, `judge-${counter}.yml`), judgeYaml())
  writeFileSync(join(dir, `urls-${counter}.txt`), urls)
  const all: Record<string, string> = {
    'api-url': emulator.url,
    'api-key': DEFAULT_EMULATOR_API_KEY,
    judge: join(dir, `judge-${counter}.yml`),
    urls: join(dir, `urls-${counter}.txt`),
    threshold: '0.7',
    wait: 'api',
    'poll-interval-seconds': '0.05',
    'timeout-minutes': '0.5',
    'report-path': reportPath,
    comment: 'false',
    ...inputs
  }
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value
  await run()
  return reportPath
}

/** Jobs the emulator has created so far: each one an evaluation Pique bills. */
async function emulatorJobs(): Promise<{ url: string }[]> {
  const res = await fetch(`${emulator.url}/_emulator/jobs`)
  return ((await res.json()) as { jobs: { url: string }[] }).jobs
}

describe('main.run with a fake @actions/core', () => {
  it('passes: sets every output, masks the key, never fails the step', async () => {
    const reportPath = await action(urlList('pass/1', 'good/2'))
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.setSecret).toHaveBeenCalledWith(DEFAULT_EMULATOR_API_KEY)
    expect(core.outputs()).toMatchObject({
      verdict: 'passed',
      passed: 'true',
      'judge-created': 'true',
      evaluated: '2',
      'failed-count': '0',
      'min-score': '0.8',
      'report-path': reportPath
    })
    expect(JSON.parse(core.outputs().results).map((r: { state: string }) => r.state)).toEqual(['passed', 'passed'])
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toMatchObject({ verdict: 'passed', schema_version: 1 })
    expect(core.messages(core.info).join('\n')).toContain('Verdict: passed')
  })

  it('fails the step with the reason, and annotates the failing line', async () => {
    await action(urlList('pass/1', 'low/2'))
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.setFailed).toHaveBeenCalledWith('1 of 2 URLs scored below 0.70')
    expect(core.outputs()).toMatchObject({
      verdict: 'failed',
      passed: 'false',
      'failed-count': '1',
      'min-score': '0.4'
    })
    const annotation = core.error.mock.calls.find(([, at]) => (at as { startLine?: number })?.startLine === 3)
    expect(String(annotation?.[0])).toContain('https://clips.example/low/2')
  })

  it('a bad input fails the step naming the input, with empty outputs', async () => {
    await action(urlList('pass/1'), { threshold: '2' })
    expect(core.setFailed).toHaveBeenCalledWith('threshold: expected a number from 0 to 1, got "2"')
    expect(core.outputs()).toMatchObject({ verdict: 'error', passed: 'false', 'report-path': '', 'judge-id': '' })
  })

  it('verdict tells skipped, submitted and a run that could not run apart, where passed is false for all three', async () => {
    await action(urlList('pass/1'), { 'api-key': '' })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).toMatchObject({ verdict: 'skipped', passed: 'false', evaluated: '0' })

    core.reset()
    await action(urlList('pass/1', 'low/2'), { wait: 'none' })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).toMatchObject({ verdict: 'submitted', passed: 'false', evaluated: '0' })
    expect(core.outputs()['batch-ids']).not.toBe('')

    // A judge file with a problem: the run stops before a verdict, the step fails, and the output says `error`.
    core.reset()
    const reportPath = await action(urlList('pass/1'), { judge: join(dir, 'missing-judge.yml') })
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.outputs()).toMatchObject({ verdict: 'error', passed: 'false', 'report-path': reportPath })
    // The JSON report keeps the verdict it always had: failed, with the error.
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toMatchObject({ verdict: 'failed', error: { kind: 'config' } })
  })

  it('two lines of a list that differ only by tracking parameters are one evaluation, billed once', async () => {
    const jobsBefore = await emulatorJobs()
    const clip = `https://clips.example/pass/${counter + 1}-${Date.now()}`
    await action(`${clip}\n${clip}/?utm_source=newsletter&si=share1\n`)
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).toMatchObject({ verdict: 'passed', evaluated: '1' })
    // Every job the emulator created is one Pique would bill: one, for the first line.
    expect((await emulatorJobs()).slice(jobsBefore.length).map(j => j.url)).toEqual([clip])
    // The log names the dropped line, where its twin is, and why they are one.
    const notice = core.messages(core.info).find(m => m.includes('duplicate of'))
    expect(notice).toMatch(
      /duplicate of .*urls-\d+\.txt:1 \(the same content URL: differs only by trailing slash and tracking parameters utm_source, si\)/
    )
  })

  it('explains its decisions through core.debug (judge matching, polling)', async () => {
    await action(urlList('pass/1'))
    const lines = core.messages(core.debug).join('\n')
    expect(lines).toMatch(/Still no judge identical to .*judge-\d+\.yml: creating one/)
    expect(lines).toMatch(/Polling 1 of 1 pending jobs after \d+ ms/)
    // Debug lines are not info lines: a normal log stays as it was.
    expect(core.messages(core.info).join('\n')).not.toContain('Polling')
  })
})

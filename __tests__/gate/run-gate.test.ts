import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { ConfigError } from '../../src/config/load.js'
import { type InputName, mapInputs, readSettings } from '../../src/config/settings.js'
import { MissingKeyError } from '../../src/gate/errors.js'
import { memoryLog } from '../../src/gate/log.js'
import { type GateStore, runGate } from '../../src/gate/run-gate.js'
import { serializeResult } from '../../src/pique/results.js'
import type { QueryResponse, RegisterRequest } from '../../src/store/protocol.js'
import { FakeApi } from './fake-api.js'

const dir = mkdtempSync(join(tmpdir(), 'pique-gate-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

writeFileSync(
  join(dir, 'judge.yml'),
  ['name: Launch', 'description: Vertical clips', 'content_type: video', 'detectors:', '  - detector_name: video_specs', '    config:', '      min_width: 720', ''].join('\n')
)
const URLS = ['https://v.example/a', 'https://v.example/b', 'https://v.example/c']
writeFileSync(join(dir, 'urls.txt'), `# clips\n${URLS.join('\n')}\n`)

const settingsFor = (values: Partial<Record<InputName, string>>) =>
  readSettings(mapInputs({ 'api-key': 'pk_test', judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7', 'poll-interval-seconds': '0.005', ...values }))

const deps = (api: FakeApi, extra: Partial<Parameters<typeof runGate>[1]> = {}) => ({ api, log: memoryLog(), cwd: dir, env: {}, ...extra })

describe('runGate', () => {
  it('creates the judge on the first run, reuses it on the next, and decides from the scores', async () => {
    const api = new FakeApi()
    api.outcomes.set(URLS[1], { score: 0.42, pendingPolls: 2 })
    const first = await runGate(settingsFor({}), deps(api))
    expect(first.judge).toMatchObject({ origin: 'created', name: 'Launch' })
    expect(first.verdict).toBe('failed')
    expect(first.reason).toBe('1 of 3 URLs scored below 0.7')
    expect(first.urls.map((u) => [u.url, u.state, u.source.line])).toEqual([
      [URLS[0], 'passed', 2],
      [URLS[1], 'below_threshold', 3],
      [URLS[2], 'passed', 4]
    ])
    expect(first.inputs['api-key']).toBe('***')
    const second = await runGate(settingsFor({ threshold: '0.4' }), deps(api))
    expect(second.judge).toMatchObject({ origin: 'reused', id: first.judge!.id })
    expect(second.verdict).toBe('passed')
    expect(api.judges).toHaveLength(1)
  })

  it('with no api-key validates the files and skips, or fails when on-missing-key is fail', async () => {
    const api = new FakeApi()
    const report = await runGate(settingsFor({ 'api-key': '' }), deps(api))
    expect(report.verdict).toBe('skipped')
    expect(report.reason).toMatch(/^Evaluation skipped: api-key is empty: .*The judge file and 3 URL\(s\) were validated$/)
    expect(api.submits).toHaveLength(0)
    await expect(runGate(settingsFor({ 'api-key': '', 'on-missing-key': 'fail' }), deps(api))).rejects.toThrow(MissingKeyError)
    // Files are still validated first.
    await expect(runGate(settingsFor({ 'api-key': '', urls: 'missing.txt' }), deps(api))).rejects.toThrow(ConfigError)
  })

  it('reports the judge file and URL list problems of one run together, before anything is sent', async () => {
    writeFileSync(join(dir, 'bad-judge.yml'), ['name: Launch', 'description: Vertical clips', 'content_type: video', 'detectors:', '  - detector_name: video_specs', '    config:', '      min_fps: thirty', ''].join('\n'))
    writeFileSync(join(dir, 'bad-urls.txt'), 'https://v.example/a\nftp://v.example/b\n')
    const api = new FakeApi()
    const failure = runGate(settingsFor({ judge: 'bad-judge.yml', urls: 'bad-urls.txt' }), deps(api))
    await expect(failure).rejects.toThrow(ConfigError)
    const problems = ((await failure.catch((e: unknown) => e)) as ConfigError).problems
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.field}`)).toEqual(['bad-judge.yml:7: detectors[0].config.min_fps', 'bad-urls.txt:2: '])
    expect(api.submits).toHaveLength(0)
  })

  it('submits without waiting in wait: none', async () => {
    const api = new FakeApi()
    const report = await runGate(settingsFor({ wait: 'none' }), deps(api))
    expect(report.verdict).toBe('submitted')
    expect(report.batchIds).toHaveLength(1)
    expect(api.resultCalls).toHaveLength(0)
  })

  it('in store mode sends the store as webhook URL, registers the jobs with repository and commit, and waits on it', async () => {
    const api = new FakeApi()
    const registered: RegisterRequest['jobs'] = []
    const store: GateStore = {
      ingestUrl: 'https://store.example/v1/webhooks/pique',
      register: async (jobs) => void registered.push(...jobs),
      query: async (req): Promise<QueryResponse> => ({
        jobs: req.job_ids.map((id, i) => ({ job_id: id, status: 'completed', result: serializeResult(api.finalResult(id), 'webhook'), seq: i + 1, updated_at: '' })),
        missing: [],
        cursor: req.job_ids.length
      })
    }
    const report = await runGate(
      settingsFor({ 'store-url': 'https://store.example', 'store-token': 't' }),
      deps(api, { store, env: { GITHUB_REPOSITORY: 'acme/site', GITHUB_SHA: 'abc123' } })
    )
    expect(report.waitMode).toBe('store')
    expect(report.verdict).toBe('passed')
    expect(api.submits[0].webhook_url).toBe('https://store.example/v1/webhooks/pique')
    expect(registered).toHaveLength(3)
    expect(registered[0]).toMatchObject({ url: URLS[0], judge_id: report.judge!.id, batch_id: report.batchIds[0], repository: 'acme/site', commit: 'abc123' })
    expect(api.resultCalls).toHaveLength(0)
  })

  it('a wrong key stops the run with the API error', async () => {
    const api = new FakeApi()
    api.failWith = 401
    await expect(runGate(settingsFor({}), deps(api))).rejects.toMatchObject({ status: 401 })
  })
})

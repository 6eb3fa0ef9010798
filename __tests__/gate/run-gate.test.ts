import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ConfigError } from '../../src/config/load.js'
import { type InputName, mapInputs, readSettings } from '../../src/config/settings.js'
import { CLI_SURFACE } from '../../src/config/surface.js'
import { GateError, MissingKeyError } from '../../src/gate/errors.js'
import { memoryLog } from '../../src/gate/log.js'
import { type GateStore, runGate } from '../../src/gate/run-gate.js'
import { serializeResult } from '../../src/pique/results.js'
import { StoreClient, StoreError } from '../../src/store/client.js'
import type { QueryResponse, RegisterRequest } from '../../src/store/protocol.js'
import { FakeApi } from './fake-api.js'
import { itemName } from '../../src/model/index.js'

const dir = mkdtempSync(join(tmpdir(), 'pique-gate-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

writeFileSync(
  join(dir, 'judge.yml'),
  [
    'name: Launch',
    'description: Vertical clips',
    'content_type: video',
    'detectors:',
    '  - detector_name: video_specs',
    '    config:',
    '      min_width: 720',
    ''
  ].join('\n')
)
const URLS = ['https://v.example/a', 'https://v.example/b', 'https://v.example/c']
writeFileSync(join(dir, 'urls.txt'), `# clips\n${URLS.join('\n')}\n`)

const settingsFor = (values: Partial<Record<InputName, string>>) =>
  readSettings(
    mapInputs({
      'api-key': 'pk_test',
      judge: 'judge.yml',
      urls: 'urls.txt',
      threshold: '0.7',
      'poll-interval-seconds': '0.005',
      ...values
    })
  )

const deps = (api: FakeApi, extra: Partial<Parameters<typeof runGate>[1]> = {}) => ({
  api,
  log: memoryLog(),
  cwd: dir,
  env: {},
  ...extra
})

describe('runGate', () => {
  it('creates the judge on the first run, reuses it on the next, and decides from the scores', async () => {
    const api = new FakeApi()
    api.outcomes.set(URLS[1], { score: 0.42, pendingPolls: 2 })
    const first = await runGate(settingsFor({}), deps(api))
    expect(first.judge).toMatchObject({ origin: 'created', name: 'Launch' })
    expect(first.verdict).toBe('failed')
    expect(first.reason).toBe('1 of 3 URLs scored below 0.70')
    expect(first.items.map(u => [itemName(u), u.state, u.source.line])).toEqual([
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
    expect(report.reason).toMatch(/^Evaluation skipped: api-key is empty: .*The judge file and 3 URLs were validated$/)
    expect(api.submits).toHaveLength(0)
    await expect(runGate(settingsFor({ 'api-key': '', 'on-missing-key': 'fail' }), deps(api))).rejects.toThrow(
      MissingKeyError
    )
    // Files are still validated first.
    await expect(runGate(settingsFor({ 'api-key': '', urls: 'missing.txt' }), deps(api))).rejects.toThrow(ConfigError)
  })

  it('reports the judge file and URL list problems of one run together, before anything is sent', async () => {
    writeFileSync(
      join(dir, 'bad-judge.yml'),
      [
        'name: Launch',
        'description: Vertical clips',
        'content_type: video',
        'detectors:',
        '  - detector_name: video_specs',
        '    config:',
        '      min_fps: thirty',
        ''
      ].join('\n')
    )
    writeFileSync(join(dir, 'bad-urls.txt'), 'https://v.example/a\nftp://v.example/b\n')
    const api = new FakeApi()
    const failure = runGate(settingsFor({ judge: 'bad-judge.yml', urls: 'bad-urls.txt' }), deps(api))
    await expect(failure).rejects.toThrow(ConfigError)
    const problems = ((await failure.catch((e: unknown) => e)) as ConfigError).problems
    expect(problems.map(p => `${p.file}:${p.line}: ${p.field}`)).toEqual([
      'bad-judge.yml:7: detectors[0].config.min_fps',
      'bad-urls.txt:2: '
    ])
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
      register: async jobs => void registered.push(...jobs),
      query: async (req): Promise<QueryResponse> => {
        const known = req.job_ids.filter(id => api.jobs.has(id))
        return {
          jobs: known.map((id, i) => ({
            job_id: id,
            status: 'completed',
            result: serializeResult(api.finalResult(id), 'webhook'),
            seq: i + 1,
            updated_at: ''
          })),
          missing: req.job_ids.filter(id => !api.jobs.has(id)),
          cursor: known.length
        }
      }
    }
    const report = await runGate(
      settingsFor({ 'store-url': 'https://store.example', 'store-token': 't' }),
      deps(api, { store, env: { GITHUB_REPOSITORY: 'acme/site', GITHUB_SHA: 'abc123' } })
    )
    expect(report.waitMode).toBe('store')
    expect(report.verdict).toBe('passed')
    expect(api.submits[0].webhook_url).toBe('https://store.example/v1/webhooks/pique')
    expect(registered).toHaveLength(3)
    expect(registered[0]).toMatchObject({
      url: URLS[0],
      judge_id: report.judge!.id,
      batch_id: report.batchIds[0],
      repository: 'acme/site',
      commit: 'abc123'
    })
    expect(api.resultCalls).toHaveLength(0)
  })

  it('a wrong key stops the run with the API error', async () => {
    const api = new FakeApi()
    api.failWith = 401
    await expect(runGate(settingsFor({}), deps(api))).rejects.toMatchObject({ status: 401 })
  })

  it('logs a dropped duplicate URL as a notice, the way pique-gate validate prints it', async () => {
    writeFileSync(join(dir, 'dup-urls.txt'), `${URLS[0]}\n${URLS[0]}\n`)
    const log = memoryLog()
    await runGate(settingsFor({ urls: 'dup-urls.txt', wait: 'none' }), deps(new FakeApi(), { log }))
    expect(log.lines).toContain('notice: dup-urls.txt:2:1: duplicate of dup-urls.txt:1')
  })

  it('without a key, says it validated media files as files', async () => {
    copyFileSync(join(process.cwd(), 'fixtures/video/landscape-1280x720-30fps.mp4'), join(dir, 'teaser.mp4'))
    const report = await runGate(settingsFor({ 'api-key': '', urls: '', files: 'teaser.mp4' }), deps(new FakeApi()))
    expect(report.verdict).toBe('skipped')
    expect(report.reason).toMatch(/The judge file and 1 file were validated$/)
  })

  it('on the command line, a missing key is worded for the CLI, not for GitHub', async () => {
    const log = memoryLog()
    const report = await runGate(settingsFor({ 'api-key': '' }), deps(new FakeApi(), { log, surface: CLI_SURFACE }))
    expect(report.reason).toBe(
      'Evaluation skipped: no API key (--api-key or PIQUE_API_KEY). The judge file and 3 URLs were validated'
    )
    expect(log.lines).toContain(
      'warning: no API key (--api-key or PIQUE_API_KEY); evaluation skipped after validating the files (--on-missing-key skip)'
    )
    expect(log.lines.join('\n')).not.toMatch(/secret|fork|Dependabot/)
  })

  it('names the last job status of URLs unfinished at the deadline', async () => {
    const api = new FakeApi()
    api.outcomes.set(URLS[2], { never: true })
    const log = memoryLog()
    const report = await runGate(settingsFor({ 'timeout-minutes': '0.003' }), deps(api, { log }))
    const unfinished = report.items.find(u => itemName(u) === URLS[2])
    expect(unfinished).toMatchObject({ state: 'pending', result: { status: 'processing' } })
    expect(log.lines.join('\n')).toContain(`${URLS[2]} (urls.txt:4, job ${unfinished!.jobId}, job status processing)`)
  })
})

describe('runGate with a store it cannot use', () => {
  let server: Server
  let storeUrl = ''
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid token' }))
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    storeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>(resolve => server.close(() => resolve())))

  it('a wrong store token fails the run before a judge is made or a batch submitted (billed)', async () => {
    const api = new FakeApi()
    const store = new StoreClient({ baseUrl: storeUrl, token: 'wrong-token' })
    const run = runGate(settingsFor({ 'store-url': storeUrl, 'store-token': 'wrong-token' }), deps(api, { store }))
    await expect(run).rejects.toThrow(GateError)
    await expect(run).rejects.toThrow(
      /^store-token: the store refused the read token \(HTTP 401\); nothing was submitted$/
    )
    expect(api.submits).toHaveLength(0)
    expect(api.judges).toHaveLength(0)
    // The CLI names its flag.
    await expect(
      runGate(
        settingsFor({ 'store-url': storeUrl, 'store-token': 'wrong-token' }),
        deps(api, { store, surface: CLI_SURFACE })
      )
    ).rejects.toThrow(/^--store-token: the store refused/)
  })

  it('a store that does not answer fails the run before anything is submitted, saying so', async () => {
    const closed = createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise<void>(resolve => closed.close(() => resolve()))
    const api = new FakeApi()
    const store = new StoreClient({ baseUrl: url, token: 't', maxAttempts: 1 })
    await expect(runGate(settingsFor({ 'store-url': url, 'store-token': 't' }), deps(api, { store }))).rejects.toThrow(
      /^store-url: the store cannot be read \(no answer from the store at .*\); nothing was submitted$/
    )
    expect(api.submits).toHaveLength(0)
  })

  it('a token refused while registering stops the run; another register failure only warns, truthfully', async () => {
    const queryOk = async (req: { job_ids: string[] }): Promise<QueryResponse> => ({
      jobs: [],
      missing: req.job_ids,
      cursor: 0
    })
    const refused: GateStore = {
      ingestUrl: 'https://store.example/v1/webhooks/pique',
      query: queryOk,
      register: async () => {
        throw new StoreError('store POST /v1/jobs/register answered 403: forbidden', 403)
      }
    }
    const api = new FakeApi()
    await expect(
      runGate(
        settingsFor({ 'store-url': 'https://store.example', 'store-token': 't', wait: 'none' }),
        deps(api, { store: refused })
      )
    ).rejects.toThrow(/^store-token: the store refused the read token while registering 3 submitted jobs/)
    const log = memoryLog()
    const flaky: GateStore = {
      ...refused,
      register: async () => {
        throw new StoreError('no answer from the store', 0)
      }
    }
    const report = await runGate(
      settingsFor({ 'store-url': 'https://store.example', 'store-token': 't', wait: 'none' }),
      deps(new FakeApi(), { store: flaky, log })
    )
    expect(report.verdict).toBe('submitted')
    const warning = log.lines.find(l => l.startsWith('warning: Could not register'))
    expect(warning).toBe(
      'warning: Could not register 3 jobs with the store (no answer from the store); the store still records their webhooks by job id, and the wait reads them from it'
    )
    expect(log.lines.join('\n')).not.toContain('still works')
  })
})

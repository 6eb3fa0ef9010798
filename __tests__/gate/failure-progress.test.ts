/**
 * A run that fails after it submitted (the store rejects its read token mid-wait) is reported from what the run knew:
 * the judge, the batch, every submitted job with its id and the results already received, and the planned URLs,
 * without planning again. Real loopback servers stand in for Pique and the store; the JSON report is read back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { mapInputs, readSettings } from '../../src/config/settings.js'
import { CLI_SURFACE } from '../../src/config/surface.js'
import { GateError } from '../../src/gate/errors.js'
import { describeFailure, failureReport } from '../../src/gate/failure.js'
import { memoryLog } from '../../src/gate/log.js'
import { serializeResult } from '../../src/pique/results.js'
import { STORE_PATHS } from '../../src/store/protocol.js'
import type { JsonReport } from '../../src/report/json.js'
import {
  type Recorded,
  type ScriptedServer,
  judge,
  reply,
  scriptedServer,
  submitReply
} from '../pique/client-server.js'
import { FakeApi } from './fake-api.js'
import { itemName } from '../../src/model/index.js'

// Count plans: the report of a failed run must come from the run's own plan, not a second one.
const realPlan = await import('../../src/gate/plan.js')
const buildPlan = jest.fn(realPlan.buildPlan)
jest.unstable_mockModule('../../src/gate/plan.js', () => ({ ...realPlan, buildPlan }))
const { executeRun } = await import('../../src/run/execute.js')
const { newProgress, runGate } = await import('../../src/gate/run-gate.js')

const dir = mkdtempSync(join(tmpdir(), 'pique-gate-progress-'))
const servers: ScriptedServer[] = []
afterAll(async () => {
  await Promise.all(servers.map(s => s.close()))
  rmSync(dir, { recursive: true, force: true })
})

const URLS = ['https://v.example/a', 'https://v.example/b', 'https://v.example/c']
const JUDGE = judge(7)

async function start(route: (req: Recorded) => [number, unknown]): Promise<string> {
  const server = await scriptedServer((req, res) => {
    const [status, body] = route(req)
    return reply(status, body)(req, res)
  })
  servers.push(server)
  return server.url
}

describe('a run that fails after submitting', () => {
  it('reports the judge, the submitted jobs and the results so far, from its own plan', async () => {
    writeFileSync(join(dir, 'urls.txt'), `# clips\n${URLS.join('\n')}\n`)
    const pique = await start(req => {
      if (req.method === 'GET' && req.url === `/v1/judges/${JUDGE.id}`) return [200, JUDGE]
      if (req.method === 'POST' && req.url === '/v1/evaluations/social-media')
        return [202, submitReply(JSON.parse(req.body).video_urls)]
      return [404, { detail: 'Not found' }]
    })
    const jobIds = submitReply(URLS).jobs.map(j => j.job_id)
    let queries = 0
    const store = await start(req => {
      if (req.url === STORE_PATHS.register) return [200, { registered: 3 }]
      if (req.url !== STORE_PATHS.query) return [404, { detail: 'Not found' }]
      // The token check before submitting, then a long-poll that brings one result; then the store stops accepting
      // the token (rotated mid-run).
      if (++queries > 2) return [401, { detail: 'invalid token' }]
      const result = serializeResult(
        {
          event: 'evaluation.completed',
          jobId: jobIds[1],
          status: 'completed',
          outcome: 'completed',
          overallScore: 0.42,
          detectorResults: []
        },
        'webhook'
      )
      return [
        200,
        {
          jobs: [{ job_id: jobIds[1], status: 'completed', result, seq: 1, updated_at: '2026-11-23T12:00:00Z' }],
          missing: [],
          cursor: 1
        }
      ]
    })
    const reportPath = join(dir, 'report.json')
    const log = memoryLog()
    const printed: string[] = []
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => (printed.push(String(chunk)), true))
    let run: Awaited<ReturnType<typeof executeRun>>
    try {
      run = await executeRun(
        mapInputs({
          'api-key': 'pk_test_progress',
          'api-url': pique,
          'judge-id': JUDGE.id,
          urls: 'urls.txt',
          threshold: '0.7',
          wait: 'store',
          'store-url': store,
          'store-token': 'st_secret_token',
          'report-path': reportPath
        }),
        { surface: CLI_SURFACE, log, env: {}, cwd: dir }
      )
    } finally {
      out.mockRestore()
    }

    expect(buildPlan).toHaveBeenCalledTimes(1)
    expect(run.failure).toMatchObject({ kind: 'gate' })
    expect(run.report.reason).toMatch(/^The store rejected the read token \(store-token\)/)
    const json = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport
    expect(json.verdict).toBe('failed')
    expect(json.judge).toMatchObject({ id: JUDGE.id, origin: 'pinned', status: 'ready' })
    expect(json.batch_ids).toEqual([submitReply(URLS).batch_id])
    expect(json.urls.map(u => [u.url, u.job_id, u.batch_id, u.state, u.score])).toEqual([
      [URLS[0], jobIds[0], json.batch_ids[0], 'submitted', null],
      [URLS[1], jobIds[1], json.batch_ids[0], 'below_threshold', 0.42],
      [URLS[2], jobIds[2], json.batch_ids[0], 'submitted', null]
    ])
    expect(json.counts).toMatchObject({ total: 3, below_threshold: 1, submitted: 2 })
    expect(json.error?.planned_urls.map(u => [u.url, u.source.line])).toEqual(URLS.map((url, i) => [url, i + 2]))
    expect(json.error?.hint).toContain(`3 jobs had already been submitted to Pique in batch ${json.batch_ids[0]}`)
    // The terminal says what happened to the jobs it did not hear back about: not "not waited for".
    const terminal = printed.join('')
    expect(terminal).toContain(`submitted as job ${jobIds[0]}; the run stopped before its result`)
    expect(terminal).not.toContain('not waited for')
    expect(JSON.stringify(json)).not.toContain('st_secret_token')
  })
})

describe('a run whose judge fails preprocessing', () => {
  it('reports the judge it created, with its last status, and the planned URLs', async () => {
    writeFileSync(join(dir, 'urls.txt'), `${URLS.join('\n')}\n`)
    writeFileSync(
      join(dir, 'judge.yml'),
      [
        'name: Match',
        'description: d',
        'content_type: video',
        'detectors:',
        '  - detector_name: video_matching',
        '    config:',
        '      reference_videos: ["gs://pique-reference/launch.mp4"]',
        ''
      ].join('\n')
    )
    const api = new FakeApi()
    api.judgeStatusScript.set('judge-1', ['pending', 'failed'])
    const progress = newProgress()
    const settings = readSettings(
      mapInputs({ 'api-key': 'pk_test', judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7' })
    )
    const error = await runGate(settings, { api, log: memoryLog(), cwd: dir, env: {}, progress }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(GateError)
    const report = failureReport(describeFailure(error), {
      startedAt: new Date().toISOString(),
      threshold: 0.7,
      inputs: {},
      progress
    })
    expect(report.judge).toMatchObject({
      id: 'judge-1',
      origin: 'created',
      status: 'failed',
      detectors: ['video_matching']
    })
    expect(report.error?.plannedItems.map(itemName)).toEqual(URLS)
    expect(report.items).toEqual([])
    expect(report.error?.hint ?? '').not.toContain('submitted')
    expect(api.submits).toHaveLength(0)
  })
})

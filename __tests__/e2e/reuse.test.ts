/**
 * Result reuse, history and policy end to end: the bundled action and CLI against the emulator and a store started
 * here. What a run billed is read off the emulator's own job list (every job it created is an evaluation Pique bills).
 * Without a store: the CLI's cache folder, and the action's GitHub Actions cache through the real @actions/cache
 * client against a stand-in of the cache service.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { signatureHeader } from '../../src/pique/signature.js'
import { StoreClient } from '../../src/store/client.js'
import { STORE_PATHS } from '../../src/store/protocol.js'
import { type FakeActionsCache, startFakeActionsCache } from '../reuse/fake-actions-cache.js'
import { judgeYaml } from './fixtures.js'
import {
  API_KEY,
  type ActionRun,
  CLI_BUNDLE,
  type Environment,
  reportOf,
  runAction,
  spawnNode,
  startEnvironment
} from './harness.js'

const SCENARIO = [
  { match: 'https://clips.example/pass/*', score: 0.9 },
  { match: 'https://clips.example/good/*', score: 0.8 },
  { match: 'https://clips.example/check/*', score: 0.9, failDetectors: ['video_specs'] },
  { match: 'https://clips.example/minimum/*', score: 0.9, failDetectors: ['audio_noise'] },
  { match: 'https://clips.example/ignored/*', score: 0.9, failDetectors: ['lighting'] }
]

let env: Environment
beforeAll(async () => {
  env = await startEnvironment(SCENARIO)
})
afterAll(async () => {
  await env?.close()
})

const urls = (...paths: string[]) => `${paths.map(p => `https://clips.example/${p}`).join('\n')}\n`

/** Jobs the emulator has created so far: every one was billed. */
/** The fingerprint of the judge a run used (earlier results are filed under it). */
function judgeFingerprint(run: ActionRun): string {
  const fingerprint = reportOf(run).judge?.fingerprint
  if (!fingerprint) throw new Error('the report names no judge fingerprint')
  return fingerprint
}

async function billedJobs(): Promise<{ url: string; job_id: string }[]> {
  const res = await fetch(`${env.emulator.url}/_emulator/jobs`)
  return ((await res.json()) as { jobs: { url: string; job_id: string }[] }).jobs
}

/** A pull request run of the action through the store. */
const prRun = (judge: string, list: string, inputs: Record<string, string> = {}, extraEnv = {}) =>
  runAction(
    env,
    {
      judge: 'judge.yml',
      urls: 'urls.txt',
      threshold: '0.7',
      'store-url': env.store.url,
      'store-token': env.storeToken,
      ...inputs
    },
    { 'judge.yml': judge, 'urls.txt': list },
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_HEAD_REF: 'feature-x', GITHUB_BASE_REF: 'main', ...extraEnv }
  )

describe('reuse through the webhook store (action)', () => {
  it('a second run of the same pull request evaluates and bills nothing and passes with the same verdict', async () => {
    const judge = judgeYaml()
    const list = urls(`pass/${randomBytes(3).toString('hex')}`, `good/${randomBytes(3).toString('hex')}`)
    const before = (await billedJobs()).length
    const first = await prRun(judge, list)
    expect(first.code).toBe(0)
    expect((await billedJobs()).length).toBe(before + 2)
    expect(first.outputs).toMatchObject({ passed: 'true', reused: '0' })
    expect(first.summary).toContain('0 reused, 2 evaluated (billed)')

    const second = await prRun(judge, list)
    expect(second.code).toBe(0)
    expect((await billedJobs()).length).toBe(before + 2)
    expect(second.outputs).toMatchObject({ passed: 'true', reused: '2', 'batch-ids': '' })
    expect(second.report?.verdict).toBe(first.report?.verdict)
    expect(second.report?.reason).toBe(first.report?.reason)
    expect(second.summary).toContain('2 reused, 0 evaluated (billed)')
    // Each reused result is marked with its age and the job that produced it.
    const firstJobs = first.report!.urls.map(u => u.job_id)
    expect(second.report!.urls.map(u => u.job_id)).toEqual(firstJobs)
    // (Markdown writes the underscore in a job id as &#95;.)
    for (const id of firstJobs)
      expect(second.summary.replaceAll('&#95;', '_')).toMatch(new RegExp(`reused, \\d+ s old, job ${id}`))
    expect(second.stdout).toContain('2 earlier results reused, 0 items to evaluate')
  })

  it('evaluates a changed URL alone and reuses a URL that differs only by tracking parameters', async () => {
    const judge = judgeYaml()
    const kept = `https://clips.example/pass/${randomBytes(3).toString('hex')}`
    const first = await prRun(judge, `${kept}\nhttps://clips.example/good/a-${randomBytes(3).toString('hex')}\n`)
    expect(first.code).toBe(0)
    const before = await billedJobs()

    const changed = `https://clips.example/good/b-${randomBytes(3).toString('hex')}`
    const tracked = `${kept.replace('https://clips.example', 'HTTPS://Clips.Example:443')}/?utm_source=newsletter&si=abc`
    const second = await prRun(judge, `${tracked}\n${changed}\n`)
    expect(second.code).toBe(0)
    const after = await billedJobs()
    expect(after.slice(before.length).map(j => j.url)).toEqual([changed])
    expect(second.outputs).toMatchObject({ reused: '1', passed: 'true' })
    expect(second.summary).toContain('1 reused, 1 evaluated (billed)')
    const reusedRow = second.report!.urls.find(u => u.url === tracked)
    expect(reusedRow?.job_id).toBe(first.report!.urls.find(u => u.url === kept)?.job_id)
  })

  it('force-all and reuse-max-age 0 evaluate everything again', async () => {
    const judge = judgeYaml()
    const list = urls(`pass/${randomBytes(3).toString('hex')}`)
    expect((await prRun(judge, list)).code).toBe(0)
    const before = (await billedJobs()).length
    const forced = await prRun(judge, list, { 'force-all': 'true' })
    expect(forced.outputs.reused).toBe('0')
    expect(forced.stdout).toContain('(force-all: true)')
    const off = await prRun(judge, list, { 'reuse-max-age': '0' })
    expect(off.outputs.reused).toBe('0')
    expect((await billedJobs()).length).toBe(before + 2)
  })
})

describe('history, max-drop and policy (action, store)', () => {
  /** Records an earlier completed result for an item in the store, as a past run would have left it. */
  async function earlierResult(fingerprint: string, url: string, score: number, ref?: string): Promise<void> {
    const jobId = `job_earlier_${randomBytes(6).toString('hex')}`
    await new StoreClient({ baseUrl: env.store.url, token: env.storeToken }).register([
      {
        job_id: jobId,
        url,
        batch_id: 'batch_earlier',
        judge_id: fingerprint.split('@')[0],
        repository: 'acme/site',
        judge_fingerprint: fingerprint,
        identity: `url:${url}`,
        ...(ref ? { ref } : {})
      }
    ])
    const body = JSON.stringify({
      event: 'evaluation.completed',
      job_id: jobId,
      status: 'completed',
      overall_score: score,
      timestamp: new Date().toISOString(),
      results: [{ criterion_id: 'c1', detector_name: 'video_specs', pass_check: true, score }]
    })
    const res = await fetch(new URL(STORE_PATHS.ingest, env.store.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-pique-signature': signatureHeader(env.webhookSecret, Date.now() / 1000, body)
      },
      body
    })
    expect(res.status).toBe(200)
  }

  it('shows the change against the previous result and fails max-drop even above the threshold', async () => {
    const judge = judgeYaml()
    // A first run creates the judge, whose fingerprint the earlier results are filed under.
    const setup = await prRun(judge, urls(`pass/${randomBytes(3).toString('hex')}`))
    const fingerprint = judgeFingerprint(setup)
    const dropped = `https://clips.example/good/drop-${randomBytes(3).toString('hex')}`
    const steady = `https://clips.example/good/steady-${randomBytes(3).toString('hex')}`
    await earlierResult(fingerprint, dropped, 0.95)
    await earlierResult(fingerprint, steady, 0.85)

    const run = await prRun(judge, `${dropped}\n${steady}\n`, { 'max-drop': '0.1', 'reuse-max-age': '0' })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ passed: 'false', 'failed-count': '1' })
    expect(run.report?.reason).toBe('1 URL dropped by more than max-drop 0.1')
    expect(run.summary).toContain('0.95 → 0.80')
    expect(run.summary).toContain('0.85 → 0.80')
    expect(run.summary).toContain('score fell from 0.95 to 0.8 (−0.15), more than the allowed drop of 0.1')
    expect(run.summary).toContain('Score drop (max-drop): score fell from 0.95 to 0.8')
    expect(run.summary).toContain('🚫 0.80')
  })

  it("compares with the base branch's result when the store knows one", async () => {
    const judge = judgeYaml()
    const setup = await prRun(judge, urls(`pass/${randomBytes(3).toString('hex')}`))
    const fingerprint = judgeFingerprint(setup)
    const url = `https://clips.example/good/base-${randomBytes(3).toString('hex')}`
    await earlierResult(fingerprint, url, 0.99, 'main')
    await earlierResult(fingerprint, url, 0.82, 'feature-x')
    const run = await prRun(judge, urls(url.replace('https://clips.example/', '')), {
      'max-drop': '0.1',
      'reuse-max-age': '0'
    })
    expect(run.code).toBe(1)
    expect(run.summary).toContain('0.82 → 0.80')
    expect(run.summary).toContain('score fell from 0.99 on main to 0.8 (−0.19), more than the allowed drop of 0.1')
  })

  it('applies each policy rule, naming the rule and the reason in the summary', async () => {
    const judge = [
      `name: Policy ${randomBytes(4).toString('hex')}`,
      'description: Policy end-to-end judge',
      'content_type: video',
      'detectors:',
      '  - detector_name: video_specs',
      '    config: { min_width: 720 }',
      '  - detector_name: audio_noise',
      '    config: {}',
      '  - detector_name: lighting',
      '    config: {}',
      'policy:',
      '  require_pass_check: [video_specs]',
      '  min_scores: { "*": 0.75, audio_noise: 0.8 }',
      '  ignore: [lighting]',
      ''
    ].join('\n')
    const tag = randomBytes(3).toString('hex')
    const run = await prRun(judge, urls(`check/${tag}`, `minimum/${tag}`, `ignored/${tag}`, `pass/${tag}`))
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ passed: 'false', 'failed-count': '2' })
    expect(run.report?.reason).toBe("2 URLs broke the judge file's policy")
    const row = (path: string) => run.summary.split('\n').find(l => l.includes(`clips.example/${path}/${tag}`)) ?? ''
    expect(row('check')).toContain('🚫 0.90')
    expect(row('check').replaceAll('&#95;', '_')).toContain('failed the required video_specs check')
    expect(row('minimum').replaceAll('&#95;', '_')).toMatch(/audio_noise scored 0\.\d+, below its minimum 0\.8/)
    expect(row('ignored')).toContain('✅ 0.90')
    expect(row('pass')).toContain('✅ 0.90')
    const summary = run.summary.replaceAll('&#95;', '_')
    expect(summary).toContain('Required check (policy): failed the required video_specs check')
    expect(summary).toContain('Detector minimum (policy): video_specs scored 0.7, below its minimum 0.75')
    expect(summary).toContain('Detector minimum (policy): audio_noise scored 0.7, below its minimum 0.8')

    // Policy is not part of the judge: relaxing it creates no judge and evaluates nothing again.
    const before = (await billedJobs()).length
    const relaxed = await prRun(judge.replace(/policy:[\s\S]*$/, ''), urls(`check/${tag}`, `minimum/${tag}`))
    expect(relaxed.code).toBe(0)
    expect(relaxed.outputs).toMatchObject({ 'judge-created': 'false', reused: '2', passed: 'true' })
    expect((await billedJobs()).length).toBe(before)
  })
})

describe('reuse without a store', () => {
  let cacheService: FakeActionsCache
  beforeAll(async () => {
    cacheService = await startFakeActionsCache()
  })
  afterAll(async () => {
    await cacheService?.close()
  })

  it('the CLI keeps results in its cache folder: a second run bills nothing, tracking parameters are ignored', async () => {
    const dir = join(env.dir, `cli-${randomBytes(3).toString('hex')}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'judge.yml'), judgeYaml())
    const url = `https://clips.example/pass/${randomBytes(3).toString('hex')}`
    const cli = (list: string) => {
      writeFileSync(join(dir, 'urls.txt'), list)
      return spawnNode([CLI_BUNDLE, 'run', '--judge', 'judge.yml', '--urls', 'urls.txt', '--threshold', '0.7'], dir, {
        PATH: process.env.PATH ?? '',
        PIQUE_API_KEY: API_KEY,
        PIQUE_API_URL: env.emulator.url,
        PIQUE_GATE_CACHE_DIR: join(dir, 'cache')
      })
    }
    const first = await cli(`${url}\n`)
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('0 reused, 1 evaluated (billed)')
    const before = (await billedJobs()).length
    const second = await cli(`${url}/?utm_campaign=spring&si=xyz\n`)
    expect(second.code).toBe(0)
    expect((await billedJobs()).length).toBe(before)
    expect(second.stdout).toContain('1 reused, 0 evaluated (billed)')
    expect(second.stdout).toMatch(/reused, \d+ s old, job job_/)
  })

  it('the action keeps results in the GitHub Actions cache: restored on a fresh runner, a second run bills nothing', async () => {
    const runnerTemp = join(env.dir, `runner-temp-${randomBytes(3).toString('hex')}`)
    const judge = judgeYaml()
    const list = urls(`pass/${randomBytes(3).toString('hex')}`, `good/${randomBytes(3).toString('hex')}`)
    const run = () => {
      // Every run starts on a fresh runner: nothing on disk but what the cache service restores.
      rmSync(runnerTemp, { recursive: true, force: true })
      mkdirSync(runnerTemp, { recursive: true })
      return runAction(
        env,
        { judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7', wait: 'api' },
        { 'judge.yml': judge, 'urls.txt': list },
        { ...cacheService.env(), RUNNER_TEMP: runnerTemp, GITHUB_RUN_ID: String(Date.now()), GITHUB_RUN_ATTEMPT: '1' }
      )
    }
    const first = await run()
    expect(first.code).toBe(0)
    expect(first.summary).toContain('0 reused, 2 evaluated (billed)')
    expect(first.stdout).toContain('Results cache saved to the GitHub Actions cache')
    expect(cacheService.keys()).toHaveLength(1)
    const before = (await billedJobs()).length

    const second = await run()
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('Results cache restored from the GitHub Actions cache')
    expect((await billedJobs()).length).toBe(before)
    expect(second.outputs).toMatchObject({ reused: '2', passed: 'true' })
    expect(second.summary).toContain('2 reused, 0 evaluated (billed)')
    expect(second.report?.verdict).toBe(first.report?.verdict)
  })
})

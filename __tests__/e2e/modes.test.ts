/**
 * The bundled action in store and api modes (same verdict for the same scenario), 45 URLs in 3 batches,
 * the timeout with partial results; the bundled CLI's `run` exit codes and `demo`.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  API_KEY,
  CLI_BUNDLE,
  type Environment,
  LOSE_EVERY_WEBHOOK,
  runAction,
  spawnNode,
  startEnvironment
} from './harness.js'
import { SCENARIO, judgeYaml, urlList } from './fixtures.js'

let env: Environment
beforeAll(async () => {
  env = await startEnvironment(SCENARIO)
})
afterAll(async () => {
  await env?.close()
})

const judge = judgeYaml()
const storeInputs = () => ({ wait: 'store', 'store-url': env.store.url, 'store-token': env.storeToken })
const gate = (urls: string, inputs: Record<string, string>) =>
  runAction(
    env,
    { judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7', ...inputs },
    { 'judge.yml': judge, 'urls.txt': urls }
  )

describe('wait modes', () => {
  it('reaches the same verdict in store and api modes', async () => {
    const urls = urlList('pass/1', 'low/2', 'fail/3', 'slow/4', 'good/5')
    const viaStore = await gate(urls, storeInputs())
    const viaApi = await gate(urls, { wait: 'api', 'poll-interval-seconds': '0.05' })
    for (const run of [viaStore, viaApi]) {
      expect(run.code).toBe(1)
      expect(run.outputs).toMatchObject({ passed: 'false', evaluated: '5', 'failed-count': '2', 'min-score': '0.4' })
    }
    const states = (r: typeof viaApi) =>
      (JSON.parse(r.outputs.results) as { url: string; state: string; score: number | null }[]).map(
        ({ url, state, score }) => ({ url, state, score })
      )
    expect(states(viaStore)).toEqual(states(viaApi))
    expect(viaStore.report?.reason).toBe(viaApi.report?.reason)
    expect(viaStore.stdout).toContain('(store mode)')
    expect(viaApi.stdout).toContain('(api mode)')
  })

  it('submits 45 URLs as 3 batches and waits for all of them through the store', async () => {
    const paths = Array.from({ length: 45 }, (_, i) => `pass/${i + 1}`)
    const run = await gate(urlList(...paths), { ...storeInputs(), 'max-concurrency': '3' })
    expect(run.code).toBe(0)
    expect(run.outputs['batch-ids'].split(',')).toHaveLength(3)
    expect(run.outputs).toMatchObject({ passed: 'true', evaluated: '45', 'failed-count': '0' })
    expect(new Set(run.report?.urls.map(u => u.job_id)).size).toBe(45)
  })

  it.each([['api'], ['store']])(
    'fails at the deadline with the pending URLs and the partial results (%s mode)',
    async mode => {
      const inputs = mode === 'store' ? storeInputs() : { wait: 'api' }
      const started = Date.now()
      const run = await gate(urlList('pass/1', 'never/2', 'good/3'), { ...inputs, 'timeout-minutes': '0.03' })
      expect(Date.now() - started).toBeLessThan(15_000)
      expect(run.code).toBe(1)
      expect(run.outputs).toMatchObject({ passed: 'false', evaluated: '2', 'failed-count': '1', 'min-score': '0.8' })
      expect(run.report?.urls.map(u => u.state)).toEqual(['passed', 'pending', 'passed'])
      expect(run.stdout).toContain('1 unfinished at the deadline (timeout-minutes)')
      expect(run.stdout).toMatch(
        /Unfinished at the deadline[\s\S]*https:\/\/clips.example\/never\/2 \(urls.txt:3, job job_/
      )
    }
  )
})

describe('lost webhooks', () => {
  it('do not fail the gate in store mode: the stragglers are looked up on the results endpoint near the deadline', async () => {
    const lossy = await startEnvironment(SCENARIO, { faults: LOSE_EVERY_WEBHOOK })
    try {
      const run = await runAction(
        lossy,
        {
          judge: 'judge.yml',
          urls: 'urls.txt',
          threshold: '0.7',
          wait: 'store',
          'store-url': lossy.store.url,
          'store-token': lossy.storeToken,
          'timeout-minutes': '0.05'
        },
        { 'judge.yml': judge, 'urls.txt': urlList('pass/1', 'good/2') }
      )
      expect(run.code).toBe(0)
      expect(run.outputs).toMatchObject({ passed: 'true', evaluated: '2' })
      expect(run.stdout).toContain(
        '2 jobs have no result in the store near the deadline; looking them up on the results endpoint once'
      )
    } finally {
      await lossy.close()
    }
  })
})

describe('the CLI (dist/cli/index.js)', () => {
  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawnNode([CLI_BUNDLE, ...args], env.dir, { PATH: process.env.PATH ?? '', HOME: env.dir, ...extraEnv })

  it('run exits 0 on a pass, 1 on a failed gate, 2 on a usage or config error', async () => {
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(env.dir, 'judge.yml'), judge)
    writeFileSync(join(env.dir, 'good.txt'), urlList('pass/1', 'good/2'))
    writeFileSync(join(env.dir, 'mixed.txt'), urlList('pass/1', 'low/2'))
    const common = [
      'run',
      '--judge',
      'judge.yml',
      '--threshold',
      '0.7',
      '--api-url',
      env.emulator.url,
      '--poll-interval-seconds',
      '0.05'
    ]
    const keyEnv = { PIQUE_API_KEY: API_KEY }

    const pass = await cli([...common, '--urls', 'good.txt', '--report-path', 'pass.json'], keyEnv)
    expect(pass.code).toBe(0)
    expect(pass.stdout).toContain('https://clips.example/good/2')

    const fail = await cli([...common, '--urls', 'mixed.txt', '--report-path', 'fail.json'], keyEnv)
    expect(fail.code).toBe(1)
    expect(fail.stdout).toContain('https://clips.example/low/2')

    // Earlier tests in this file evaluated these URLs through the same store: without --reuse-max-age 0 their
    // results would be reused and nothing waited for.
    const viaStore = await cli(
      [...common, '--urls', 'mixed.txt', '--report-path', 'store.json', '--reuse-max-age', '0'],
      {
        ...keyEnv,
        PIQUE_STORE_URL: env.store.url,
        PIQUE_STORE_TOKEN: env.storeToken
      }
    )
    expect(viaStore.code).toBe(1)
    expect(viaStore.stderr).toContain('(store mode)')

    const noKey = await cli([...common, '--urls', 'good.txt'])
    expect(noKey.code).toBe(2)
    expect(noKey.stdout).toContain('no API key: pass --api-key or set PIQUE_API_KEY')

    // Skipping without a key, on the command line: nothing about GitHub secrets or forks.
    const skipped = await cli([...common, '--urls', 'good.txt', '--on-missing-key', 'skip'])
    expect(skipped.code).toBe(0)
    expect(skipped.stdout).toContain('PIQUE GATE SKIPPED: Evaluation skipped: no API key (--api-key or PIQUE_API_KEY).')
    expect(skipped.stderr).toContain(
      'no API key (--api-key or PIQUE_API_KEY); evaluation skipped after validating the files'
    )
    expect(skipped.stdout + skipped.stderr).not.toMatch(/secret|fork|Dependabot/)

    const badFlag = await cli([...common, '--urls', 'good.txt', '--threshold', '7'], keyEnv)
    expect(badFlag.code).toBe(2)
    expect(badFlag.stdout).toContain('--threshold: expected a number from 0 to 1, got "7"')

    const missingFile = await cli([...common, '--urls', 'nope.txt'], keyEnv)
    expect(missingFile.code).toBe(2)
    expect(missingFile.stdout).toMatch(/^ {2}nope\.txt: /m)
  })

  it('demo runs the gate through an emulator and a store it starts, and says what the verdict means', async () => {
    const demo = await spawnNode([CLI_BUNDLE, 'demo'], process.cwd(), { PATH: process.env.PATH ?? '', HOME: env.dir })
    expect(demo.code).toBe(0)
    expect(demo.stdout).toContain('the gate FAILED, as the demo scenario intends')
    expect(demo.stdout).toContain('https://www.instagram.com/reel/C9z8Y7x6W5v/')
    expect(demo.stderr).toContain('(store mode)')
  })
})

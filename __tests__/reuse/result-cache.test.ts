/**
 * The results cache without a store: the folder file (CLI) and the same file carried by the real @actions/cache
 * client through a stand-in of the Actions cache service.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serializeResult, type EvaluationResult } from '../../src/pique/results.js'
import { actionsCacheHistory, actionsCacheKeyPrefix } from '../../src/reuse/actions-cache.js'
import type { NewResult } from '../../src/reuse/history.js'
import { cacheFileName, folderResultCache } from '../../src/reuse/result-cache.js'
import { type FakeActionsCache, startFakeActionsCache } from './fake-actions-cache.js'

const FP = 'judge_1@sha256:abcd'

function completed(jobId: string, score: number): EvaluationResult {
  return {
    event: 'evaluation.completed',
    jobId,
    status: 'completed',
    outcome: 'completed',
    overallScore: score,
    detectorResults: [{ id: 'c1', detectorName: 'video_specs', passCheck: true, score: 1 }]
  }
}
const entry = (identity: string, result: EvaluationResult): NewResult => ({
  identity,
  url: identity.slice(4),
  result,
  body: serializeResult(result, 'webhook')
})

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pique-cache-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('folder results cache', () => {
  it('reuses what a previous run remembered, keeps the result before it, never a failed one', async () => {
    const folder = join(dir, 'a')
    const first = folderResultCache({ dir: folder, judgeFingerprint: FP })
    const failed: EvaluationResult = {
      ...completed('job_f', 0),
      status: 'failed',
      outcome: 'failed',
      event: 'evaluation.failed'
    }
    await first.remember([entry('url:https://x.com/a', completed('job_1', 0.82)), entry('url:https://x.com/f', failed)])
    await folderResultCache({ dir: folder, judgeFingerprint: FP }).remember([
      entry('url:https://x.com/a', completed('job_2', 0.71))
    ])
    const history = await folderResultCache({ dir: folder, judgeFingerprint: FP }).lookup({
      identities: ['url:https://x.com/a', 'url:https://x.com/f', 'url:https://x.com/new'],
      maxAgeSeconds: 3600
    })
    expect([...history.keys()]).toEqual(['url:https://x.com/a'])
    const a = history.get('url:https://x.com/a')!
    expect(a.reusable).toMatchObject({ jobId: 'job_2', result: { overallScore: 0.71 } })
    expect(a.reusable!.ageSeconds).toBeLessThan(5)
    expect(a.previous).toMatchObject({ jobId: 'job_1', result: { overallScore: 0.82 } })
  })

  it('does not reuse results older than the max age, and keeps judges apart', async () => {
    const folder = join(dir, 'b')
    const then = new Date(Date.now() - 3 * 86_400_000)
    await folderResultCache({ dir: folder, judgeFingerprint: FP, now: () => then }).remember([
      entry('url:https://x.com/a', completed('job_1', 0.9))
    ])
    const later = folderResultCache({ dir: folder, judgeFingerprint: FP })
    const old = await later.lookup({ identities: ['url:https://x.com/a'], maxAgeSeconds: 86_400 })
    expect(old.get('url:https://x.com/a')).toEqual({ previous: expect.objectContaining({ jobId: 'job_1' }) })
    const other = folderResultCache({ dir: folder, judgeFingerprint: 'judge_2@sha256:ef' })
    expect((await other.lookup({ identities: ['url:https://x.com/a'], maxAgeSeconds: 10 ** 9 })).size).toBe(0)
  })

  it('sets an unreadable file aside with a warning instead of failing the run', async () => {
    const folder = join(dir, 'c')
    const problems: string[] = []
    const cache = folderResultCache({ dir: folder, judgeFingerprint: FP, onProblem: p => problems.push(p) })
    await cache.remember([entry('url:https://x.com/a', completed('job_1', 0.9))])
    writeFileSync(join(folder, cacheFileName(FP)), '{not json')
    const fresh = folderResultCache({ dir: folder, judgeFingerprint: FP, onProblem: p => problems.push(p) })
    expect((await fresh.lookup({ identities: ['url:https://x.com/a'], maxAgeSeconds: 60 })).size).toBe(0)
    expect(problems).toEqual([expect.stringContaining('is not a pique-gate results cache for this judge')])
  })
})

describe('GitHub Actions results cache (real @actions/cache against a stand-in service)', () => {
  let service: FakeActionsCache
  const saved: Record<string, string | undefined> = {}
  beforeAll(async () => {
    service = await startFakeActionsCache()
    // @actions/cache keeps its archives under RUNNER_TEMP.
    for (const [k, v] of Object.entries({ ...service.env(), RUNNER_TEMP: join(dir, 'runner-temp') })) {
      saved[k] = process.env[k]
      process.env[k] = v
    }
  })
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    await service.close()
  })

  it('restores before the first lookup and saves after remembering, under the judge key prefix', async () => {
    const log: string[] = []
    const runner = (n: number) => {
      const temp = join(dir, `runner-${n}`)
      return actionsCacheHistory({
        judgeFingerprint: FP,
        env: { RUNNER_TEMP: temp, GITHUB_RUN_ID: String(n), GITHUB_RUN_ATTEMPT: '1' },
        info: m => log.push(m),
        warning: m => log.push(`warning: ${m}`)
      })
    }
    // The same path on every runner, as GitHub's is: the folder is part of the cache version.
    const one = runner(1)
    expect((await one.lookup({ identities: ['url:https://x.com/a'], maxAgeSeconds: 60 })).size).toBe(0)
    await one.remember([entry('url:https://x.com/a', completed('job_1', 0.88))])
    expect(service.keys()).toEqual([expect.stringMatching(new RegExp(`^${actionsCacheKeyPrefix(FP)}1-1-`))])

    // A fresh runner: nothing on disk until the restore.
    rmSync(join(dir, 'runner-1'), { recursive: true, force: true })
    const two = runner(1)
    const history = await two.lookup({ identities: ['url:https://x.com/a'], maxAgeSeconds: 60 })
    expect(history.get('url:https://x.com/a')?.reusable).toMatchObject({
      jobId: 'job_1',
      result: { overallScore: 0.88 }
    })
    expect(log.filter(l => l.startsWith('warning'))).toEqual([])
    expect(readdirSync(join(dir, 'runner-1', 'pique-gate-results'))).toEqual([cacheFileName(FP)])
  })
})

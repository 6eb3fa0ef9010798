import { afterEach, describe, expect, it } from '@jest/globals'
import { JOB_STATUSES } from '../../src/pique/limits.js'
import { parseResultBody } from '../../src/pique/results.js'
import type { RunningEmulator, ScenarioRule } from '../../src/emulator/options.js'
import { call, fastEmulator, until, videoJudge, waitForResult } from './helpers.js'

let emu: RunningEmulator | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

async function submit(urls: string[], scenario: ScenarioRule[] = [], timings = {}) {
  emu = await fastEmulator({
    scenario,
    timings: { judgeReadyMs: 30, awaitingUploadMs: 40, pendingMs: 40, processingMs: 40, ...timings }
  })
  const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge())
  const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', { judge_id: judge.body.id, video_urls: urls })
  return { base: emu.url, judgeId: judge.body.id as string, jobs: r.body.jobs as { job_id: string }[] }
}

describe('job lifecycle', () => {
  it('moves awaiting_upload → pending → processing → completed, visible on the results endpoint', async () => {
    // Stages long enough for a poll to see each one, even on a busy machine.
    const { base, judgeId, jobs } = await submit(['https://a.example/1'], [], {
      awaitingUploadMs: 150,
      pendingMs: 150,
      processingMs: 150
    })
    const seen: string[] = []
    const done = await until(async () => {
      const r = await call(base, 'GET', `/v1/evaluations/results/${jobs[0].job_id}`)
      if (seen[seen.length - 1] !== r.body.status) seen.push(r.body.status)
      if (r.body.status !== 'completed') {
        // Unfinished: the pending event, its status, no score.
        expect(r.body).toMatchObject({ event: 'evaluation.pending', job_id: jobs[0].job_id, judge_id: judgeId })
        expect(r.body.overall_score).toBeUndefined()
        return undefined
      }
      return r
    })
    expect(seen).toEqual(['awaiting_upload', 'pending', 'processing', 'completed'])
    expect(seen.every(s => (JOB_STATUSES as readonly string[]).includes(s))).toBe(true)
    expect(done.body).toMatchObject({
      event: 'evaluation.completed',
      status: 'completed',
      judge_id: judgeId,
      overall_score: expect.any(Number)
    })
    // The results endpoint spells detector results `detector_results` + `detector_config_id`.
    expect(done.body.results).toBeUndefined()
    expect(done.body.detector_results).toHaveLength(3)
    expect(Object.keys(done.body.detector_results[0])).toEqual(
      expect.arrayContaining(['detector_config_id', 'detector_name', 'pass_check', 'score', 'rationale', 'metrics'])
    )
    expect(parseResultBody(done.body).ok).toBe(true)
  })

  it("fails a job with the scenario's error, and keeps a `never` job processing", async () => {
    const { base, jobs } = await submit(
      ['https://www.tiktok.com/@bot/video/1', 'https://stuck.example/v'],
      [
        { match: '*tiktok.com/@bot/*', fail: 'Failed to download video: bot detection' },
        { match: '/stuck\\.example/', never: true }
      ]
    )
    const failed = await waitForResult(base, jobs[0].job_id)
    expect(failed.body).toMatchObject({
      event: 'evaluation.failed',
      status: 'failed',
      error: 'Failed to download video: bot detection'
    })
    expect(failed.body.overall_score).toBeUndefined()
    await new Promise(resolve => setTimeout(resolve, 250))
    const stuck = await call(base, 'GET', `/v1/evaluations/results/${jobs[1].job_id}`)
    expect(stuck.body).toMatchObject({ event: 'evaluation.pending', status: 'processing' })
  })

  it("delays a job by the scenario's delayMs", async () => {
    const { base, jobs } = await submit(
      ['https://slow.example/v', 'https://fast.example/v'],
      [{ match: 'https://slow.example/*', delayMs: 300 }]
    )
    await waitForResult(base, jobs[1].job_id)
    expect((await call(base, 'GET', `/v1/evaluations/results/${jobs[0].job_id}`)).body.status).toBe('processing')
    expect((await waitForResult(base, jobs[0].job_id)).body.status).toBe('completed')
  })
})

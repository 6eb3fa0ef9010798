import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEFAULT_EMULATOR_API_KEY, type RunningEmulator } from '../../src/emulator/options.js'
import { call, fastEmulator, videoJudge, waitForResult } from './helpers.js'

let emu: RunningEmulator
beforeAll(async () => {
  emu = await fastEmulator()
})
afterAll(() => emu.close())

describe('inspection under /_emulator/', () => {
  it('lists received requests (method, path, status, time) without the API key, and jobs', async () => {
    const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge())
    await call(emu.url, 'GET', '/v1/judges?limit=5')
    await call(emu.url, 'GET', '/v1/judges', undefined, 'pk_wrong_key_value')
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judge.body.id,
      video_urls: ['https://a.example/v']
    })
    await waitForResult(emu.url, r.body.jobs[0].job_id)

    const log = await call(emu.url, 'GET', '/_emulator/requests', undefined, null)
    expect(log.status).toBe(200)
    const first = log.body.requests.slice(0, 4)
    expect(first.map((e: { method: string; path: string; status: number }) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/v1/judges', 201],
      ['GET', '/v1/judges?limit=5', 200],
      ['GET', '/v1/judges', 401],
      ['POST', '/v1/evaluations/social-media', 202]
    ])
    expect(first[0]).toMatchObject({
      time: expect.stringMatching(/Z$/),
      endpoint: 'createJudge',
      organization: 'org_emulator'
    })
    const text = JSON.stringify(log.body)
    expect(text).not.toContain(DEFAULT_EMULATOR_API_KEY)
    expect(text).not.toContain('pk_wrong_key_value')
    // Inspection reads are not recorded.
    expect(text).not.toContain('/_emulator/requests')

    const jobs = await call(emu.url, 'GET', '/_emulator/jobs', undefined, null)
    expect(jobs.body.jobs).toEqual([
      expect.objectContaining({
        job_id: r.body.jobs[0].job_id,
        url: 'https://a.example/v',
        status: 'completed',
        overall_score: expect.any(Number)
      })
    ])
    const index = await call(emu.url, 'GET', '/_emulator/', undefined, null)
    expect(index.body.endpoints).toHaveProperty('reset')
  })

  it('resets judges, jobs and logs', async () => {
    const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge())
    const reset = await call(emu.url, 'POST', '/_emulator/reset', undefined, null)
    expect(reset.status).toBe(200)
    expect((await call(emu.url, 'GET', `/v1/judges/${judge.body.id}`)).status).toBe(404)
    expect((await call(emu.url, 'GET', '/_emulator/jobs', undefined, null)).body.jobs).toEqual([])
    const log = (await call(emu.url, 'GET', '/_emulator/requests', undefined, null)).body.requests
    expect(log.map((e: { path: string }) => e.path)).toEqual(['/v1/judges/' + judge.body.id])
    expect((await call(emu.url, 'GET', '/_emulator/webhooks', undefined, null)).body.deliveries).toEqual([])
  })
})

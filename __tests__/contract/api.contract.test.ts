/**
 * The Pique API contract (../shared/pique-api.md), checked against the emulator by default and against the
 * real service with PIQUE_API_URL + PIQUE_API_KEY (read-only unless PIQUE_CONTRACT_SPEND=1).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ID_FORMATS, type JobStatus, isJobStatus, isTerminalJobStatus, jobStatusRank } from '../../src/pique/limits.js'
import { parseResultBody } from '../../src/pique/results.js'
import {
  createJudgeResponseSchema,
  describeApiError,
  judgeSchema,
  listJudgesResponseSchema,
  presignedUploadResponseSchema,
  referenceContentResponseSchema,
  socialMediaResponseSchema
} from '../../src/pique/schema.js'
import { type ContractTarget, contractTarget, request } from './target.js'

/** Validation errors: 400 per the reference; FastAPI answers 422 for malformed input, which readers accept. */
const VALIDATION = [400, 422]
const JOB_ID = new RegExp(`^${ID_FORMATS.jobPrefix}[A-Za-z0-9_-]+$`)

let t: ContractTarget
beforeAll(async () => {
  t = await contractTarget()
})
afterAll(() => t.close())

const spending = (name: string, fn: () => Promise<void>) =>
  it(name, async () => {
    if (!t.spend) return // read-only mode against the real service
    await fn()
  })

function expectDetail(body: unknown): void {
  expect(typeof describeApiError(body)).toBe('string')
}

describe('read-only', () => {
  it('answers 401 with a detail without a key and with a wrong key', async () => {
    for (const key of [null, 'pk_contract_test_wrong_key']) {
      const r = await request(t, 'GET', '/v1/judges', undefined, key)
      expect(r.status).toBe(401)
      expectDetail(r.body)
    }
  })

  it('lists judges as {judges, total, has_more}, honouring limit', async () => {
    const r = await request(t, 'GET', '/v1/judges?limit=2&offset=0')
    expect(r.status).toBe(200)
    const list = listJudgesResponseSchema.parse(r.body)
    expect(list.judges.length).toBeLessThanOrEqual(2)
    // The gate reads drifted listings too; the contract run reports any drift from the documented shape.
    expect(typeof r.body === 'object' && r.body !== null && 'total' in r.body && 'has_more' in r.body).toBe(true)
    for (const j of list.judges) expect({ id: j.id, problems: j.problems }).toEqual({ id: j.id, problems: [] })
    const total = list.total ?? 0
    expect(total).toBeGreaterThanOrEqual(list.judges.length)
    expect(list.has_more).toBe(total > list.judges.length)
    // Newest first.
    const created = list.judges.map(j => Date.parse(j.created_at ?? ''))
    expect(created).toEqual([...created].sort((a, b) => b - a))
    for (const j of list.judges) {
      const one = await request(t, 'GET', `/v1/judges/${j.id}`)
      expect(one.status).toBe(200)
      expect(judgeSchema.parse(one.body).id).toBe(j.id)
    }
  })

  it('picks the real service only when both PIQUE_API_URL and PIQUE_API_KEY are set, read-only by default', async () => {
    const real = await contractTarget({ PIQUE_API_URL: 'https://api-sandbox.getpique.ai/', PIQUE_API_KEY: 'pk_x' })
    expect(real).toMatchObject({ base: 'https://api-sandbox.getpique.ai', real: true, spend: false })
    expect(
      (await contractTarget({ PIQUE_API_URL: 'https://x', PIQUE_API_KEY: 'k', PIQUE_CONTRACT_SPEND: '1' })).spend
    ).toBe(true)
  })

  it('rejects an out-of-range list limit', async () => {
    const r = await request(t, 'GET', '/v1/judges?limit=0')
    expect(VALIDATION).toContain(r.status)
    expectDetail(r.body)
  })

  it('answers 404 with a detail for an unknown judge and an unknown job', async () => {
    const judge = await request(t, 'GET', '/v1/judges/00000000-0000-4000-8000-000000000000')
    expect(judge.status).toBe(404)
    expectDetail(judge.body)
    const job = await request(t, 'GET', '/v1/evaluations/results/job_0000000000000000')
    expect(job.status).toBe(404)
    expectDetail(job.body)
  })
})

describe('spending (emulator always; real service only with PIQUE_CONTRACT_SPEND=1)', () => {
  let judgeId: string

  spending('creates a video judge and reads it back', async () => {
    const body = {
      name: `pique-gate contract ${new Date().toISOString()}`,
      description: 'Created by the pique-gate contract tests',
      content_type: 'video',
      detectors: [{ detector_name: 'video_specs', config: { min_width: 320, min_fps: 1 } }]
    }
    const created = await request(t, 'POST', '/v1/judges', body)
    expect(created.status).toBeGreaterThanOrEqual(200)
    expect(created.status).toBeLessThan(300)
    judgeId = createJudgeResponseSchema.parse(created.body).id
    const judge = judgeSchema.parse((await request(t, 'GET', `/v1/judges/${judgeId}`)).body)
    expect(judge).toMatchObject({ id: judgeId, name: body.name, content_type: 'video' })
    expect(judge.detector_configs.map(d => d.detector_name)).toEqual(['video_specs'])
  })

  spending('hands out a reference content upload', async () => {
    const r = await request(t, 'POST', '/v1/judges/reference_content', { file_extension: 'mp4' })
    expect(r.status).toBe(200)
    expect(referenceContentResponseSchema.parse(r.body).reference_content_uri).toMatch(/^gs:\/\//)
  })

  spending('rejects bad submissions: empty list, more than 20, non-http URL (400), unknown judge (404)', async () => {
    const cases: [unknown, number[]][] = [
      [{ judge_id: judgeId, video_urls: [] }, VALIDATION],
      [
        { judge_id: judgeId, video_urls: Array.from({ length: 21 }, (_, i) => `https://example.com/v/${i}`) },
        VALIDATION
      ],
      [{ judge_id: judgeId, video_urls: ['ftp://example.com/v.mp4'] }, VALIDATION],
      [{ judge_id: '00000000-0000-4000-8000-000000000000', video_urls: ['https://example.com/v'] }, [404]]
    ]
    for (const [body, statuses] of cases) {
      const r = await request(t, 'POST', '/v1/evaluations/social-media', body)
      expect(statuses).toContain(r.status)
      expectDetail(r.body)
    }
  })

  spending('uploads the smallest video fixture directly (presigned upload) and reads its result', async () => {
    const bytes = readFileSync(join(process.cwd(), 'fixtures', 'video', 'square-720x720-24fps.mov'))
    const r = await request(t, 'POST', '/v1/evaluations/presigned-upload', {
      judge_id: judgeId,
      content_type: 'video',
      filename: 'square-720x720-24fps.mov',
      file_size_bytes: bytes.length
    })
    expect(r.status).toBeGreaterThanOrEqual(200)
    expect(r.status).toBeLessThan(300)
    const slot = presignedUploadResponseSchema.parse(r.body)
    expect(slot.job_id).toMatch(JOB_ID)
    expect(Number.isNaN(Date.parse(slot.expires_at))).toBe(false)
    const waiting = parseResultBody((await request(t, 'GET', `/v1/evaluations/results/${slot.job_id}`)).body)
    expect(waiting).toMatchObject({ ok: true, result: { status: 'awaiting_upload' } })
    // Storage, not the API: exactly the returned headers, never the key.
    const put = await fetch(slot.upload_url, { method: 'PUT', body: bytes, headers: slot.upload_headers })
    expect(put.status).toBeGreaterThanOrEqual(200)
    expect(put.status).toBeLessThan(300)
    const deadline = Date.now() + (t.real ? 120_000 : 5_000)
    let status = 'awaiting_upload'
    while (!isTerminalJobStatus(status) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, t.real ? 2000 : 20))
      const parsed = parseResultBody((await request(t, 'GET', `/v1/evaluations/results/${slot.job_id}`)).body)
      expect(parsed.ok).toBe(true)
      if (parsed.ok) status = parsed.result.status
    }
    // Once uploaded the job has left awaiting_upload; the emulator measures the clip (720x720, 1:1).
    expect(status).not.toBe('awaiting_upload')
    if (!t.real) expect(status).toBe('completed')
  })

  spending('accepts a submission (202, one job per URL in order) and reports its result', async () => {
    const urls = ['https://www.youtube.com/watch?v=dQw4w9WgXcQ']
    const r = await request(t, 'POST', '/v1/evaluations/social-media', { judge_id: judgeId, video_urls: urls })
    expect(r.status).toBe(202)
    const reply = socialMediaResponseSchema.parse(r.body)
    expect(reply.total_videos).toBe(1)
    expect(reply.jobs.map(j => j.url)).toEqual(urls)
    expect(reply.jobs[0].job_id).toMatch(JOB_ID)
    const deadline = Date.now() + (t.real ? 60_000 : 5_000)
    const seen: JobStatus[] = []
    let body: Record<string, unknown> | undefined
    for (;;) {
      const result = await request(t, 'GET', `/v1/evaluations/results/${reply.jobs[0].job_id}`)
      expect(result.status).toBe(200)
      const parsed = parseResultBody(result.body)
      expect(parsed).toMatchObject({ ok: true })
      if (!parsed.ok) return
      body = result.body as Record<string, unknown>
      // The gate reads an undocumented status as "not finished"; the contract run reports it as a difference.
      expect({ status: parsed.result.status, documented: isJobStatus(parsed.result.status) }).toMatchObject({
        documented: true
      })
      if (!isJobStatus(parsed.result.status)) return
      if (seen.at(-1) !== parsed.result.status) seen.push(parsed.result.status)
      if (isTerminalJobStatus(parsed.result.status)) break
      // Unfinished: the pending event, no score.
      expect(body).toMatchObject({ event: 'evaluation.pending', job_id: reply.jobs[0].job_id })
      expect(body.overall_score ?? undefined).toBeUndefined()
      if (Date.now() > deadline) break
      await new Promise(resolve => setTimeout(resolve, t.real ? 2000 : 20))
    }
    // The lifecycle only moves forward.
    expect(seen.map(jobStatusRank)).toEqual([...seen.map(jobStatusRank)].sort((a, b) => a - b))
    // The real service may take longer than the loop waits; the emulator's timings are tens of milliseconds.
    if (!t.real) expect(isTerminalJobStatus(seen.at(-1) ?? '')).toBe(true)
    if (body?.status === 'completed') {
      // The results endpoint's spelling: detector_results with detector_config_id.
      expect(body).toMatchObject({ event: 'evaluation.completed', overall_score: expect.any(Number) })
      expect((body.detector_results as Record<string, unknown>[])[0]).toHaveProperty('detector_config_id')
    }
  })
})

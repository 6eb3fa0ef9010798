import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ID_FORMATS, LIMITS } from '../../src/pique/limits.js'
import { DEFAULT_ORGANIZATION, type RunningEmulator } from '../../src/emulator/options.js'
import { call, fastEmulator, until, videoJudge, waitForResult } from './helpers.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const suffix = `[${ID_FORMATS.suffixAlphabet}]{${ID_FORMATS.suffixLength}}`
const JOB_ID = new RegExp(`^${ID_FORMATS.jobPrefix}${suffix}$`)
const OTHER_KEY = 'pk_other_org_key'

let emu: RunningEmulator
beforeAll(async () => {
  emu = await fastEmulator({
    organizations: [DEFAULT_ORGANIZATION, { id: 'org_other', apiKeys: [OTHER_KEY], webhookSecret: 'other-secret' }]
  })
})
afterAll(() => emu.close())

describe('authentication', () => {
  it('answers 401 with a detail for a missing or wrong key, and never echoes the key', async () => {
    const missing = await call(emu.url, 'GET', '/v1/judges', undefined, null)
    expect(missing.status).toBe(401)
    expect(missing.body.detail).toMatch(/X-API-Key/)
    const wrong = await call(emu.url, 'GET', '/v1/judges', undefined, 'pk_not_a_real_key_123')
    expect(wrong.status).toBe(401)
    expect(JSON.stringify(wrong.body)).not.toContain('pk_not_a_real_key_123')
  })
})

describe('judges', () => {
  it('creates a judge (201, ready without matching detectors) and returns it with detector_configs', async () => {
    const created = await call(emu.url, 'POST', '/v1/judges', videoJudge('Get me'))
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ id: expect.stringMatching(UUID), status: 'ready' })
    const got = await call(emu.url, 'GET', `/v1/judges/${created.body.id}`)
    expect(got.status).toBe(200)
    expect(got.body).toMatchObject({
      id: created.body.id,
      name: 'Get me',
      content_type: 'video',
      status: 'ready',
      is_active: true
    })
    expect(got.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    expect(got.body.detector_configs).toEqual([
      {
        id: expect.stringMatching(UUID),
        detector_name: 'video_specs',
        config: { min_width: 720, allowed_aspect_ratios: ['9:16'], min_fps: 24 },
        weight: 1
      },
      { id: expect.stringMatching(UUID), detector_name: 'audio_noise', config: {}, weight: 3 },
      { id: expect.stringMatching(UUID), detector_name: 'language', config: { accepted_languages: ['en'] }, weight: 1 }
    ])
  })

  it('rejects invalid bodies with 400 and a readable detail', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...videoJudge(), name: '' }, /^name: /],
      [{ ...videoJudge(), name: 'x'.repeat(LIMITS.judgeName.max + 1) }, /^name: /],
      [{ ...videoJudge(), content_type: 'podcast' }, /^content_type: /],
      [{ ...videoJudge(), detectors: [] }, /^detectors: /],
      [
        { ...videoJudge(), detectors: [{ detector_name: 'video_specs', config: { min_fps: 'fast' } }] },
        /detectors\[0\]\.config\.min_fps/
      ],
      [[1, 2], /^body: /]
    ]
    for (const [body, detail] of cases) {
      const r = await call(emu.url, 'POST', '/v1/judges', body)
      expect([r.status, r.body.detail]).toEqual([400, expect.stringMatching(detail)])
    }
    const notJson = await call(emu.url, 'POST', '/v1/judges', '{"name": ')
    expect(notJson).toMatchObject({ status: 400, body: { detail: 'Request body is not valid JSON' } })
  })

  it('keeps a judge with matching detectors pending until preprocessing is done', async () => {
    const ref = await call(emu.url, 'POST', '/v1/judges/reference_content', { file_extension: 'mp4' })
    expect((await fetch(ref.body.upload_url, { method: 'PUT', body: 'reference bytes' })).status).toBe(200)
    const body = videoJudge('Matching', [
      { detector_name: 'video_matching', config: { reference_videos: [ref.body.reference_content_uri] } }
    ])
    const created = await call(emu.url, 'POST', '/v1/judges', body)
    expect(created.body.status).toBe('pending')
    await until(async () => (await call(emu.url, 'GET', `/v1/judges/${created.body.id}`)).body.status === 'ready')
  })

  it('accepts a matching detector with a non-gs:// reference and fails the judge in preprocessing', async () => {
    const body = videoJudge('Bad reference', [
      { detector_name: 'video_matching', config: { reference_videos: ['https://example.com/ref.mp4'] } }
    ])
    const created = await call(emu.url, 'POST', '/v1/judges', body)
    expect(created).toMatchObject({ status: 201, body: { status: 'pending' } })
    await until(async () => (await call(emu.url, 'GET', `/v1/judges/${created.body.id}`)).body.status === 'failed')
    const judge = await call(emu.url, 'GET', `/v1/judges/${created.body.id}`)
    expect(judge.body.detector_configs[0].config).toEqual({ reference_videos: ['https://example.com/ref.mp4'] })
    const submit = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: created.body.id,
      video_urls: ['https://a.example/v']
    })
    expect(submit.status).toBe(400)
  })

  it('lists newest first with limit, offset, content_type, total and has_more; bad queries are 400', async () => {
    const fresh = await fastEmulator()
    try {
      const ids: string[] = []
      for (let i = 0; i < 5; i++) ids.push((await call(fresh.url, 'POST', '/v1/judges', videoJudge(`J${i}`))).body.id)
      const image = await call(fresh.url, 'POST', '/v1/judges', {
        ...videoJudge('Image'),
        content_type: 'image',
        detectors: [{ detector_name: 'image_sharpness', config: {} }]
      })
      const all = await call(fresh.url, 'GET', '/v1/judges')
      expect(all.body.judges.map((j: { id: string }) => j.id)).toEqual([image.body.id, ...ids.reverse()])
      expect(all.body).toMatchObject({ total: 6, has_more: false })
      const page = await call(fresh.url, 'GET', '/v1/judges?limit=2&offset=1&content_type=video')
      expect(page.body.judges.map((j: { id: string }) => j.id)).toEqual(ids.slice(1, 3))
      expect(page.body).toMatchObject({ total: 5, has_more: true })
      const last = await call(fresh.url, 'GET', '/v1/judges?limit=2&offset=4&content_type=video')
      expect(last.body).toMatchObject({ total: 5, has_more: false })
      expect(last.body.judges).toHaveLength(1)
      for (const q of [
        'limit=0',
        `limit=${LIMITS.listLimit.max + 1}`,
        'offset=-1',
        'content_type=audio',
        'limit=abc'
      ]) {
        const r = await call(fresh.url, 'GET', `/v1/judges?${q}`)
        expect([q, r.status, typeof r.body.detail]).toEqual([q, 400, 'string'])
      }
    } finally {
      await fresh.close()
    }
  })

  it("keeps organizations apart: another organization's judge is 404 and not listed", async () => {
    const mine = await call(emu.url, 'POST', '/v1/judges', videoJudge('Mine'))
    const theirs = await call(emu.url, 'GET', `/v1/judges/${mine.body.id}`, undefined, OTHER_KEY)
    expect(theirs).toMatchObject({ status: 404, body: { detail: expect.any(String) } })
    const list = await call(emu.url, 'GET', '/v1/judges', undefined, OTHER_KEY)
    expect(list.body.judges.map((j: { id: string }) => j.id)).not.toContain(mine.body.id)
    const submit = await call(
      emu.url,
      'POST',
      '/v1/evaluations/social-media',
      { judge_id: mine.body.id, video_urls: ['https://a.example/v'] },
      OTHER_KEY
    )
    expect(submit.status).toBe(404)
  })

  it('hands out reference content upload URLs and gs:// URIs', async () => {
    const r = await call(emu.url, 'POST', '/v1/judges/reference_content', { file_extension: 'mp4' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      upload_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
      reference_content_uri: expect.stringMatching(/^gs:\/\/.+\.mp4$/)
    })
    const put = await fetch(r.body.upload_url, { method: 'PUT', body: 'bytes' })
    expect(put.status).toBe(200)
    const bad = await call(emu.url, 'POST', '/v1/judges/reference_content', { file_extension: '' })
    expect(bad.status).toBe(400)
  })
})

describe('social-media submissions', () => {
  let judgeId: string
  beforeAll(async () => {
    judgeId = (await call(emu.url, 'POST', '/v1/judges', videoJudge('Submit'))).body.id
  })

  it('answers 202 with one awaiting_upload job per URL, in order', async () => {
    const urls = [
      'https://www.tiktok.com/@u/video/1',
      'https://www.youtube.com/watch?v=2',
      'https://www.instagram.com/reel/3/'
    ]
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', { judge_id: judgeId, video_urls: urls })
    expect(r.status).toBe(202)
    expect(r.body.batch_id).toMatch(new RegExp(`^${ID_FORMATS.batchPrefix}${suffix}$`))
    expect(r.body.total_videos).toBe(3)
    expect(r.body.jobs).toEqual(
      urls.map(url => ({ job_id: expect.stringMatching(JOB_ID), url, status: 'awaiting_upload', error_message: null }))
    )
    expect(new Set(r.body.jobs.map((j: { job_id: string }) => j.job_id)).size).toBe(3)
    // No webhook configured for the organization or the batch.
    expect(r.body.webhook_id).toBeNull()
    const withHook = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judgeId,
      video_urls: urls.slice(0, 1),
      webhook_url: 'http://127.0.0.1:9/hook'
    })
    expect(withHook.body.webhook_id).toMatch(new RegExp(`^${ID_FORMATS.webhookPrefix}${suffix}$`))
  })

  it('answers 400 for 0 or more than 20 URLs, a non-http(s) URL and a non-video judge; 404 for an unknown judge', async () => {
    const tooMany = Array.from({ length: LIMITS.urlsPerBatch.max + 1 }, (_, i) => `https://a.example/${i}`)
    const cases: [unknown, number][] = [
      [{ judge_id: judgeId, video_urls: [] }, 400],
      [{ judge_id: judgeId, video_urls: tooMany }, 400],
      [{ judge_id: judgeId, video_urls: ['ftp://a.example/v.mp4'] }, 400],
      [{ judge_id: judgeId, video_urls: ['not a url'] }, 400],
      [{ video_urls: ['https://a.example/v'] }, 400],
      [{ judge_id: '00000000-0000-4000-8000-000000000000', video_urls: ['https://a.example/v'] }, 404]
    ]
    for (const [body, status] of cases) {
      const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', body)
      expect([r.status, typeof r.body.detail]).toEqual([status, 'string'])
    }
    const max = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judgeId,
      video_urls: tooMany.slice(1)
    })
    expect(max.status).toBe(202)
    const image = await call(emu.url, 'POST', '/v1/judges', {
      ...videoJudge('Img'),
      content_type: 'image',
      detectors: [{ detector_name: 'image_sharpness', config: {} }]
    })
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: image.body.id,
      video_urls: ['https://a.example/v']
    })
    expect(r.status).toBe(400)
    expect(r.body.detail).toMatch(/video/)
  })

  it("reports 404 for an unknown job and for another organization's job", async () => {
    expect((await call(emu.url, 'GET', '/v1/evaluations/results/job_0000000000000000')).status).toBe(404)
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judgeId,
      video_urls: ['https://a.example/x']
    })
    const other = await call(emu.url, 'GET', `/v1/evaluations/results/${r.body.jobs[0].job_id}`, undefined, OTHER_KEY)
    expect(other.status).toBe(404)
  })
})

describe('direct upload', () => {
  it('creates a job that waits for its file, then evaluates it', async () => {
    const clip = readFileSync(join(process.cwd(), 'fixtures', 'video', 'vertical-1080x1920-30fps.mp4'))
    const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge('Upload'))
    const r = await call(emu.url, 'POST', '/v1/evaluations/presigned-upload', {
      judge_id: judge.body.id,
      content_type: 'video',
      filename: 'clip.mp4',
      file_size_bytes: clip.length
    })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      job_id: expect.stringMatching(JOB_ID),
      upload_url: expect.any(String),
      upload_headers: expect.any(Object),
      expires_at: expect.any(String)
    })
    expect((await call(emu.url, 'GET', `/v1/evaluations/results/${r.body.job_id}`)).body.status).toBe('awaiting_upload')
    const put = await fetch(r.body.upload_url, { method: 'PUT', body: clip, headers: r.body.upload_headers })
    expect(put.status).toBe(200)
    const done = await waitForResult(emu.url, r.body.job_id)
    expect(done.body.status).toBe('completed')
    const bad = await call(emu.url, 'POST', '/v1/evaluations/presigned-upload', {
      judge_id: judge.body.id,
      content_type: 'text',
      filename: 'a.txt',
      file_size_bytes: 1
    })
    expect(bad.status).toBe(400)
  })
})

describe('routing', () => {
  it('answers 404 for unknown paths and 405 for a wrong method, with a detail', async () => {
    expect(await call(emu.url, 'GET', '/v1/nothing-here')).toMatchObject({ status: 404, body: { detail: 'Not Found' } })
    const wrong = await call(emu.url, 'DELETE', '/v1/judges')
    expect(wrong).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } })
    // As FastAPI (Starlette) answers: the methods the path takes.
    expect(wrong.headers.get('allow')).toBe('GET, POST')
    expect((await call(emu.url, 'PUT', '/v1/evaluations/results/job_1')).headers.get('allow')).toBe('GET')
  })
})

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunningEmulator } from '../../src/emulator/options.js'
import { DEFAULT_EMULATOR_OPTIONS, DEFAULT_ORGANIZATION } from '../../src/emulator/options.js'
import { call, fastEmulator, until, videoJudge, waitForResult } from './helpers.js'

const FIXTURES = join(process.cwd(), 'fixtures')
const fixture = (path: string) => readFileSync(join(FIXTURES, path))
const OTHER_KEY = 'pk_other_org_for_uploads'

let emu: RunningEmulator
beforeAll(async () => {
  emu = await fastEmulator({
    organizations: [DEFAULT_ORGANIZATION, { id: 'org_other', apiKeys: [OTHER_KEY], webhookSecret: 'other-secret' }]
  })
})
afterAll(() => emu.close())

const imageJudge = (config: Record<string, unknown>) => ({
  name: 'Thumbnails',
  description: 'Checks thumbnails',
  content_type: 'image',
  detectors: [{ detector_name: 'image_specs', config }]
})

async function judge(body: unknown, key?: string): Promise<string> {
  const r = await call(emu.url, 'POST', '/v1/judges', body, key)
  expect(r.status).toBe(201)
  return r.body.id
}

async function slot(judgeId: string, contentType: string, filename: string, size: number) {
  const r = await call(emu.url, 'POST', '/v1/evaluations/presigned-upload', {
    judge_id: judgeId,
    content_type: contentType,
    filename,
    file_size_bytes: size
  })
  expect(r.status).toBe(200)
  return r.body as { job_id: string; upload_url: string; upload_headers: Record<string, string>; expires_at: string }
}

const put = (url: string, body: Uint8Array, headers: Record<string, string>) =>
  fetch(url, { method: 'PUT', body, headers }).then(async r => ({ status: r.status, text: await r.text(), r }))

const status = async (jobId: string) =>
  (await call(emu.url, 'GET', `/v1/evaluations/results/${jobId}`)).body.status as string

describe('presigned upload slots', () => {
  it('sign a concrete Content-Type and measure the uploaded clip for video_specs', async () => {
    const bytes = fixture('video/vertical-1080x1920-30fps.mp4')
    const id = await judge(
      videoJudge('Upload specs', [{ detector_name: 'video_specs', config: { min_width: 1080, min_height: 1920 } }])
    )
    const s = await slot(id, 'video', 'launch.mp4', bytes.length)
    expect(s.upload_headers).toEqual({ 'Content-Type': 'video/mp4' })
    expect(new Date(s.expires_at).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000)
    expect(await status(s.job_id)).toBe('awaiting_upload')
    expect((await put(s.upload_url, bytes, s.upload_headers)).status).toBe(200)
    const done = await waitForResult(emu.url, s.job_id)
    expect(done.body.status).toBe('completed')
    const specs = done.body.detector_results[0]
    expect(specs.pass_check).toBe(true)
    expect(specs.metrics.video_specs).toMatchObject({ width: 1080, height: 1920, fps: 30, audio_sample_rate: 44100 })
  })

  it('fails a 1280x720 clip against a 1080x1920 requirement with the measured size', async () => {
    const bytes = fixture('video/landscape-1280x720-30fps.mp4')
    const id = await judge(
      videoJudge('Upload wrong size', [
        { detector_name: 'video_specs', config: { min_width: 1080, min_height: 1920, allowed_aspect_ratios: ['9:16'] } }
      ])
    )
    const s = await slot(id, 'video', 'wide.mp4', bytes.length)
    expect((await put(s.upload_url, bytes, s.upload_headers)).status).toBe(200)
    const done = await waitForResult(emu.url, s.job_id)
    const specs = done.body.detector_results[0]
    expect(specs.pass_check).toBe(false)
    expect(specs.rationale).toContain('1280x720')
    expect(specs.metrics.video_specs).toMatchObject({ width: 1280, height: 720, aspect_ratio: '16:9' })
  })

  it('refuse an altered Content-Type, a wrong size and the API key with storage XML; the job keeps waiting', async () => {
    const bytes = fixture('video/vertical-1080x1920-30fps.mp4')
    const id = await judge(videoJudge('Upload refusals'))
    const s = await slot(id, 'video', 'clip.mp4', bytes.length)
    const altered = await put(s.upload_url, bytes, { 'Content-Type': 'video/quicktime' })
    expect(altered.status).toBe(403)
    expect(altered.r.headers.get('content-type')).toMatch(/application\/xml/)
    expect(altered.text).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/)
    const missing = await put(s.upload_url, bytes, {})
    expect([missing.status, missing.text]).toEqual([403, expect.stringContaining('SignatureDoesNotMatch')])
    const shorter = await put(s.upload_url, bytes.subarray(1), s.upload_headers)
    expect([shorter.status, shorter.text]).toEqual([400, expect.stringContaining('file_size_bytes')])
    const withKey = await put(s.upload_url, bytes, {
      ...s.upload_headers,
      'X-API-Key': 'pk_emulator_local_development_key'
    })
    expect([withKey.status, withKey.text]).toEqual([400, expect.stringContaining('never send the API key')])
    expect(withKey.text).not.toContain('pk_emulator_local_development_key')
    expect(await status(s.job_id)).toBe('awaiting_upload')
    // The slot is still good after refusals, and single-use once it succeeded.
    expect((await put(s.upload_url, bytes, s.upload_headers)).status).toBe(200)
    expect((await put(s.upload_url, bytes, s.upload_headers)).status).toBe(403)
  })

  it('expire: a late upload is refused 403 and the job stays awaiting_upload', async () => {
    const short = await fastEmulator({ uploads: { ...DEFAULT_EMULATOR_OPTIONS.uploads, evaluationUrlLifetimeMs: 50 } })
    try {
      const id = (await call(short.url, 'POST', '/v1/judges', videoJudge('Expiry'))).body.id
      const bytes = fixture('video/vertical-1080x1920-30fps.mp4')
      const s = (
        await call(short.url, 'POST', '/v1/evaluations/presigned-upload', {
          judge_id: id,
          content_type: 'video',
          filename: 'late.mp4',
          file_size_bytes: bytes.length
        })
      ).body
      await new Promise(resolve => setTimeout(resolve, 120))
      const late = await put(s.upload_url, bytes, s.upload_headers)
      expect([late.status, late.text]).toEqual([403, expect.stringContaining('<Code>ExpiredToken</Code>')])
      const r = await call(short.url, 'GET', `/v1/evaluations/results/${s.job_id}`)
      expect(r.body).toMatchObject({ status: 'awaiting_upload', event: 'evaluation.pending' })
    } finally {
      await short.close()
    }
  })

  it("refuse a content type that is not the judge's", async () => {
    const id = await judge(imageJudge({ min_width: 100 }))
    const r = await call(emu.url, 'POST', '/v1/evaluations/presigned-upload', {
      judge_id: id,
      content_type: 'video',
      filename: 'clip.mp4',
      file_size_bytes: 10
    })
    expect([r.status, r.body.detail]).toEqual([400, expect.stringMatching(/of type 'image', not 'video'/)])
  })

  it('fail a job whose file is not media, or not the kind declared', async () => {
    const id = await judge(videoJudge('Not media'))
    const junk = Buffer.from('this is not a video at all')
    const s = await slot(id, 'video', 'junk.mp4', junk.length)
    expect((await put(s.upload_url, junk, s.upload_headers)).status).toBe(200)
    expect((await waitForResult(emu.url, s.job_id)).body).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/Failed to process video/)
    })
    const png = fixture('image/vertical-1080x1920.png')
    const t = await slot(id, 'video', 'frame.mp4', png.length)
    expect((await put(t.upload_url, png, t.upload_headers)).status).toBe(200)
    expect((await waitForResult(emu.url, t.job_id)).body.error).toMatch(/is image, not video/)
  })
})

describe('image and audio uploads', () => {
  it('measure a PNG and a JPEG for image_specs', async () => {
    const id = await judge(imageJudge({ min_width: 1000, allowed_aspect_ratios: ['9:16'] }))
    const png = fixture('image/vertical-1080x1920.png')
    const s = await slot(id, 'image', 'cover.png', png.length)
    expect(s.upload_headers).toEqual({ 'Content-Type': 'image/png' })
    expect((await put(s.upload_url, png, s.upload_headers)).status).toBe(200)
    const ok = (await waitForResult(emu.url, s.job_id)).body
    expect(ok.detector_results[0]).toMatchObject({
      detector_name: 'image_specs',
      pass_check: true,
      metrics: { image_specs: { width: 1080, height: 1920, aspect_ratio: '9:16', megapixels: 2.07 } }
    })
    const jpeg = fixture('image/landscape-640x360.jpg')
    const t = await slot(id, 'image', 'thumb.jpg', jpeg.length)
    expect(t.upload_headers).toEqual({ 'Content-Type': 'image/jpeg' })
    expect((await put(t.upload_url, jpeg, t.upload_headers)).status).toBe(200)
    const low = (await waitForResult(emu.url, t.job_id)).body
    expect(low.detector_results[0].pass_check).toBe(false)
    expect(low.detector_results[0].rationale).toMatch(/640x360/)
  })

  it('evaluate WAV and MP3 voice-overs for an audio judge', async () => {
    const id = await judge({
      name: 'Voice-over',
      description: 'Checks voice-overs',
      content_type: 'audio',
      detectors: [{ detector_name: 'language', config: { accepted_languages: ['en'] } }]
    })
    for (const [file, mime] of [
      ['audio/tone-16000hz-1s.wav', 'audio/wav'],
      ['audio/tone-44100hz-1s.mp3', 'audio/mpeg']
    ]) {
      const bytes = fixture(file)
      const s = await slot(id, 'audio', file.split('/')[1], bytes.length)
      expect(s.upload_headers).toEqual({ 'Content-Type': mime })
      expect((await put(s.upload_url, bytes, s.upload_headers)).status).toBe(200)
      expect((await waitForResult(emu.url, s.job_id)).body.status).toBe('completed')
    }
  })
})

describe('reference content', () => {
  const matching = (uri: string) =>
    videoJudge('Matching', [{ detector_name: 'video_matching', config: { reference_videos: [uri] } }])
  const judgeStatus = async (id: string, key?: string) =>
    (await call(emu.url, 'GET', `/v1/judges/${id}`, undefined, key)).body.status as string

  it("is remembered per organization: a judge naming a URI never uploaded, or another organization's, fails", async () => {
    const ref = await call(emu.url, 'POST', '/v1/judges/reference_content', { file_extension: 'mp4' })
    expect(ref.body.reference_content_uri).toMatch(/^gs:\/\/.+\.mp4$/)
    const notYet = await judge(matching(ref.body.reference_content_uri))
    await until(async () => (await judgeStatus(notYet)) === 'failed')

    const bytes = fixture('video/vertical-1080x1920-30fps.mp4')
    expect((await put(ref.body.upload_url, bytes, {})).status).toBe(200)
    const uploaded = await judge(matching(ref.body.reference_content_uri))
    expect(await judgeStatus(uploaded)).toBe('pending')
    await until(async () => (await judgeStatus(uploaded)) === 'ready')

    const other = await judge(matching(ref.body.reference_content_uri), OTHER_KEY)
    await until(async () => (await judgeStatus(other, OTHER_KEY)) === 'failed')
    const invented = await judge(matching('gs://somewhere/never-uploaded.mp4'))
    await until(async () => (await judgeStatus(invented)) === 'failed')
  })

  it('refuses a reference upload after its short lifetime', async () => {
    const short = await fastEmulator({ uploads: { ...DEFAULT_EMULATOR_OPTIONS.uploads, referenceUrlLifetimeMs: 50 } })
    try {
      const ref = await call(short.url, 'POST', '/v1/judges/reference_content', { file_extension: 'mp4' })
      await new Promise(resolve => setTimeout(resolve, 120))
      const late = await put(ref.body.upload_url, Buffer.from('x'), {})
      expect([late.status, late.text]).toEqual([403, expect.stringContaining('ExpiredToken')])
    } finally {
      await short.close()
    }
  })
})

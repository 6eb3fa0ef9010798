import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_EMULATOR_API_KEY, DEFAULT_EMULATOR_OPTIONS, type RunningEmulator } from '../../src/emulator/options.js'
import { startEmulator } from '../../src/emulator/server.js'
import type { PiqueApi } from '../../src/pique/api.js'
import { PiqueClient } from '../../src/pique/client.js'
import { DirectUploadError, uploadForEvaluation, uploadReference } from '../../src/pique/direct-upload.js'
import { UploadError, uploadFile } from '../../src/pique/upload.js'

const CLIP = join(process.cwd(), 'fixtures', 'video', 'vertical-1080x1920-30fps.mp4')
const SIZE = statSync(CLIP).size
const FAST = { judgeReadyMs: 20, awaitingUploadMs: 5, pendingMs: 5, processingMs: 10 }

let emu: RunningEmulator
let client: PiqueClient
let judgeId: string
beforeAll(async () => {
  emu = await startEmulator({ timings: FAST })
  client = new PiqueClient({ baseUrl: emu.url, apiKey: DEFAULT_EMULATOR_API_KEY })
  judgeId = (
    await client.createJudge({
      name: 'Uploads',
      description: 'Upload tests',
      content_type: 'video',
      detectors: [{ detector_name: 'video_specs', config: { min_width: 1080 } }]
    })
  ).id
})
afterAll(() => emu.close())

const request = (filename = 'clip.mp4') => ({
  judge_id: judgeId,
  content_type: 'video' as const,
  filename,
  file_size_bytes: SIZE
})

async function finalStatus(jobId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const r = await client.getResult(jobId)
    if (r.status === 'completed' || r.status === 'failed') return r.status
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return 'unfinished'
}

describe('uploadFile', () => {
  let storage: Server
  let seen: { headers: IncomingHttpHeaders; bytes: number }[] = []
  let answer: { status: number; body: string } = { status: 200, body: '' }
  let storageUrl: string
  beforeAll(async () => {
    storage = createServer((req, res) => {
      let bytes = 0
      req.on('data', (c: Buffer) => (bytes += c.length))
      req.on('end', () => {
        seen.push({ headers: req.headers, bytes })
        res.writeHead(answer.status, { 'Content-Type': 'application/xml' }).end(answer.body)
      })
    })
    await new Promise<void>(resolve => storage.listen(0, '127.0.0.1', resolve))
    storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}/bucket/object?X-Goog-Signature=secretsig`
  })
  afterAll(() => new Promise(resolve => storage.close(resolve)))

  it('sends exactly the upload headers and Content-Length: no API key, no User-Agent, nothing of its own', async () => {
    seen = []
    answer = { status: 200, body: '' }
    await uploadFile({ upload_url: storageUrl, upload_headers: { 'Content-Type': 'video/mp4' } }, CLIP, SIZE)
    expect(seen).toHaveLength(1)
    expect(seen[0].bytes).toBe(SIZE)
    const names = Object.keys(seen[0].headers).sort()
    expect(names).toEqual(['connection', 'content-length', 'content-type', 'host'])
    expect(seen[0].headers['content-type']).toBe('video/mp4')
    expect(seen[0].headers['content-length']).toBe(String(SIZE))
  })

  it("reads storage's XML error, says whether a fresh URL helps, and never prints the URL's signature", async () => {
    answer = {
      status: 403,
      body: '<?xml version="1.0"?><Error><Code>ExpiredToken</Code><Message>Expired</Message></Error>'
    }
    const expired = await uploadFile({ upload_url: storageUrl }, CLIP, SIZE).catch((e: unknown) => e)
    expect(expired).toBeInstanceOf(UploadError)
    expect(expired).toMatchObject({ status: 403, code: 'ExpiredToken', freshSlotHelps: true })
    expect((expired as Error).message).toMatch(/storage answered 403: ExpiredToken: Expired \(expired or refused/)
    expect((expired as Error).message).not.toContain('secretsig')
    answer = {
      status: 400,
      body: '<Error><Code>InvalidArgument</Code><Message>Content-Type &#34;video/mp4&#34; &amp; size &lt;&#x31;&gt; &#39;x&apos;</Message></Error>'
    }
    const bad = await uploadFile({ upload_url: storageUrl }, CLIP, SIZE).catch((e: unknown) => e)
    expect(bad).toMatchObject({ status: 400, freshSlotHelps: false })
    // The message reads as text: storage's XML entities undone.
    expect((bad as Error).message).toContain(`InvalidArgument: Content-Type "video/mp4" & size <1> 'x'`)
  })

  it('stops at the deadline', async () => {
    const late = await uploadFile({ upload_url: storageUrl }, CLIP, SIZE, { deadline: Date.now() - 1 }).catch(
      (e: unknown) => e
    )
    expect(late).toMatchObject({ deadline: true, freshSlotHelps: false })
  })
})

describe('uploadForEvaluation against the emulator', () => {
  it('creates the job, uploads with the signed headers, and the evaluation starts', async () => {
    const up = await uploadForEvaluation(client, request(), CLIP)
    expect(up).toMatchObject({ attempts: 1, abandonedJobIds: [] })
    expect(await finalStatus(up.jobId)).toBe('completed')
  })

  it('gets a fresh slot when the first upload URL is refused, and reports the abandoned job', async () => {
    let calls = 0
    const flaky: PiqueApi = Object.create(client) as PiqueApi
    flaky.createPresignedUpload = async (body, options) => {
      const slot = await client.createPresignedUpload(body, options)
      // The first URL is tampered with, as if its signature were wrong: storage refuses it with 403.
      return ++calls === 1 ? { ...slot, upload_url: slot.upload_url.replace(/uploads\/[^?]+/, 'uploads/forged') } : slot
    }
    const retries: string[] = []
    const up = await uploadForEvaluation(flaky, request(), CLIP, { onRetry: r => retries.push(r.reason) })
    expect(up.attempts).toBe(2)
    expect(up.abandonedJobIds).toHaveLength(1)
    expect(retries[0]).toMatch(/403: AccessDenied/)
    expect(await finalStatus(up.jobId)).toBe('completed')
    expect((await client.getResult(up.abandonedJobIds[0])).status).toBe('awaiting_upload')
  })

  it('gives up after the bounded number of slots, naming the jobs left awaiting_upload', async () => {
    const expiring = await startEmulator({
      timings: FAST,
      uploads: { ...DEFAULT_EMULATOR_OPTIONS.uploads, evaluationUrlLifetimeMs: 0 }
    })
    try {
      const c = new PiqueClient({ baseUrl: expiring.url, apiKey: DEFAULT_EMULATOR_API_KEY })
      const id = (
        await c.createJudge({
          name: 'Expiring',
          description: 'd',
          content_type: 'video',
          detectors: [{ detector_name: 'audio_noise', config: {} }]
        })
      ).id
      // A zero lifetime: every URL has expired by the time the PUT arrives.
      const failed = await uploadForEvaluation(c, { ...request(), judge_id: id }, CLIP, { attempts: 3 }).catch(
        (e: unknown) => e
      )
      expect(failed).toBeInstanceOf(DirectUploadError)
      expect((failed as DirectUploadError).message).toMatch(/ExpiredToken.*after 3 upload URLs/)
      expect((failed as DirectUploadError).abandonedJobIds).toHaveLength(3)
    } finally {
      await expiring.close()
    }
  })

  it('uploads reference content and returns its gs:// URI', async () => {
    const ref = await uploadReference(client, 'mp4', CLIP, SIZE)
    expect(ref.uri).toMatch(/^gs:\/\/.+\.mp4$/)
  })
})

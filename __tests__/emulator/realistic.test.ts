/**
 * The realistic profile: production-like timing, per-platform download failures, single URLs refused at submit, and
 * replies that drift from the docs; all seeded, so a seed replays exactly. Also the `failAtSubmit` scenario rule.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { DEFAULT_EMULATOR_WEBHOOK_SECRET, type RunningEmulator } from '../../src/emulator/options.js'
import {
  DOWNLOAD_ERRORS,
  PLATFORMS,
  RealisticProfile,
  STAGE_SECONDS,
  platformOf
} from '../../src/emulator/realistic.js'
import { WEBHOOK } from '../../src/pique/limits.js'
import { parseResultBody } from '../../src/pique/results.js'
import { verifySignature } from '../../src/pique/signature.js'
import { call, fastEmulator, videoJudge, waitForResult } from './helpers.js'
import { type Receiver, startReceiver } from './receiver.js'

let emulator: RunningEmulator | undefined
let receiver: Receiver | undefined
afterEach(async () => {
  await emulator?.close()
  await receiver?.close()
  emulator = receiver = undefined
})

const HOSTS = ['www.youtube.com/watch?v=', 'www.tiktok.com/@a/video/', 'www.instagram.com/reel/', 'x.com/a/status/']
/** `n` URLs spread over the platforms. */
const urls = (n: number, tag = 'r') =>
  Array.from({ length: n }, (_, i) => `https://${HOSTS[i % HOSTS.length]}${tag}${i}`)

describe('the realistic profile’s draws', () => {
  it('names platforms by host', () => {
    expect(
      [
        'https://youtu.be/x',
        'https://m.youtube.com/shorts/x',
        'https://vm.tiktok.com/x',
        'https://www.instagram.com/reel/x',
        'https://twitter.com/a/status/1',
        'https://fb.watch/x',
        'https://clips.example/x',
        'not a url'
      ].map(platformOf)
    ).toEqual(['youtube', 'youtube', 'tiktok', 'instagram', 'x', 'facebook', 'other', 'other'])
    expect(PLATFORMS).toContain('other')
  })

  it('spreads stage times over seconds to minutes, scaled, and replays them for a seed', () => {
    const scaled = new RealisticProfile(7, 0.001)
    const times = urls(400).map(u => scaled.stageMs(u, 'processing'))
    const [lo, hi] = STAGE_SECONDS.processing
    expect(Math.min(...times)).toBeGreaterThanOrEqual(lo)
    expect(Math.max(...times)).toBeLessThanOrEqual(hi)
    // Log-uniform: some jobs take seconds, some minutes (before scaling).
    expect(times.filter(t => t < 20).length).toBeGreaterThan(40)
    expect(times.filter(t => t > 120).length).toBeGreaterThan(40)
    expect(urls(400).map(u => new RealisticProfile(7, 0.001).stageMs(u, 'processing'))).toEqual(times)
    expect(new RealisticProfile(7, 1).stageMs(urls(1)[0], 'processing')).toBeGreaterThanOrEqual(lo * 1000)
  })

  it('fails downloads per platform with real-world messages, some at submit and some while processing', () => {
    const p = new RealisticProfile(3, 1)
    const many = Array.from({ length: 2000 }, (_, i) => `https://www.instagram.com/reel/${i}`)
    const failures = many.map(u => p.downloadFailure(u)).filter(f => f !== undefined)
    // Instagram's rate is 20 %.
    expect(failures.length).toBeGreaterThan(300)
    expect(failures.length).toBeLessThan(500)
    expect(new Set(failures.map(f => f.at))).toEqual(new Set(['submit', 'processing']))
    const patterns = DOWNLOAD_ERRORS.map(e => e.replace('{platform}', 'Instagram'))
    for (const f of failures) expect(patterns).toContain(f.error)
    const youtube = Array.from({ length: 2000 }, (_, i) => `https://youtu.be/${i}`).filter(u => p.downloadFailure(u))
    expect(youtube.length).toBeLessThan(failures.length / 2)
  })
})

describe('an emulator with the realistic profile', () => {
  it('replays the same final outcomes for a seed, drifting replies the gate still reads', async () => {
    const finals = async (seed: number) => {
      receiver = await startReceiver()
      emulator = await fastEmulator({ profile: 'realistic', timeScale: 0.005, seed })
      const judge = await call(emulator.url, 'POST', '/v1/judges', videoJudge())
      const list = urls(12)
      const submitted = await call(emulator.url, 'POST', '/v1/evaluations/social-media', {
        judge_id: judge.body.id,
        video_urls: list,
        webhook_url: receiver.url
      })
      const bodies: unknown[] = []
      const base = emulator.url
      if (submitted.status === 202) {
        // Every job polled at once, so each is seen in its early (non-final) stages too.
        await Promise.all(
          submitted.body.jobs.map(async (job: { job_id: string }) => {
            for (;;) {
              const r = await call(base, 'GET', `/v1/evaluations/results/${job.job_id}`)
              bodies.push(r.body)
              if (r.body.status === 'completed' || r.body.status === 'failed') return
              await new Promise(resolve => setTimeout(resolve, 10))
            }
          })
        )
      }
      const jobs = (await call(emulator.url, 'GET', '/_emulator/jobs')).body.jobs as Record<string, unknown>[]
      // Let the final webhooks land before the receiver closes.
      await new Promise(resolve => setTimeout(resolve, 100))
      const received = receiver.received
      await emulator.close()
      await receiver.close()
      emulator = receiver = undefined
      return {
        reply: submitted.status === 202 ? submitted.body.jobs.map((j: { status: string }) => j.status) : submitted.body,
        finals: jobs.map(j => [j.url, j.status, j.overall_score, j.error]),
        bodies,
        received
      }
    }
    const first = await finals(11)
    // Submit replies list some jobs in an undocumented status.
    expect(first.reply).toContain('queued')
    const again = await finals(11)
    expect(again.finals).toEqual(first.finals)
    expect(again.reply).toEqual(first.reply)

    // Every reply the results endpoint sent reads, and what drifted is visible.
    for (const body of first.bodies) expect(parseResultBody(body)).toMatchObject({ ok: true })
    const statuses = new Set(first.bodies.map(b => (b as { status: string }).status))
    expect([...statuses].some(s => ['queued', 'downloading', 'analyzing'].includes(s))).toBe(true)
    expect(first.bodies.every(b => 'api_version' in (b as object))).toBe(true)
    // Completed results come in both spellings, each list with its own id key.
    const spellings = new Set(
      first.bodies
        .filter(b => (b as { status: string }).status === 'completed')
        .map(b => {
          const body = b as { results?: Record<string, unknown>[]; detector_results?: Record<string, unknown>[] }
          if (body.results) return body.results.every(d => 'criterion_id' in d) ? 'results' : 'results, other id'
          return body.detector_results?.every(d => 'detector_config_id' in d) ? 'detector_results' : 'other'
        })
    )
    expect(spellings).toEqual(new Set(['results', 'detector_results']))

    // Webhooks: non-final ones too, under both header names, each strictly signed and readable.
    const names = new Set<string>()
    for (const r of first.received) {
      const name = WEBHOOK.signatureHeaders.find(h => r.headers[h.toLowerCase()] !== undefined)
      expect(name).toBeDefined()
      names.add(name as string)
      const header = r.headers[(name as string).toLowerCase()] as string
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},alg=sha256$/)
      expect(
        verifySignature({ header, rawBody: r.raw, secrets: [DEFAULT_EMULATOR_WEBHOOK_SECRET], toleranceSeconds: 300 })
      ).toMatchObject({ ok: true })
      expect(parseResultBody(r.json)).toMatchObject({ ok: true })
    }
    expect(names).toEqual(new Set(WEBHOOK.signatureHeaders))
    expect(first.received.some(r => !['completed', 'failed'].includes(r.json.status))).toBe(true)

    const other = await finals(12)
    expect(other.finals.map(f => f.slice(1))).not.toEqual(first.finals.map(f => f.slice(1)))
  })

  it('refuses a whole submit naming the URL it will not take, as the service validates', async () => {
    // Find a URL the seed refuses (2 % of URLs), then submit it among others.
    const p = new RealisticProfile(5, 1)
    const refused = urls(500, 'x').find(u => p.submitRejection(u))
    expect(refused).toBeDefined()
    emulator = await fastEmulator({ profile: 'realistic', timeScale: 0.001, seed: 5 })
    const judge = await call(emulator.url, 'POST', '/v1/judges', videoJudge())
    const r = await call(emulator.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judge.body.id,
      video_urls: ['https://youtu.be/fine', refused]
    })
    expect(r.status).toBe(400)
    expect(r.body.detail).toBe(`video_urls[1]: ${p.submitRejection(refused as string)}`)
    expect((await call(emulator.url, 'GET', '/_emulator/jobs')).body.jobs).toEqual([])
  })
})

describe('direct uploads under the realistic profile', () => {
  it('never fail a download: the file was uploaded, not scraped', async () => {
    emulator = await fastEmulator({ profile: 'realistic', timeScale: 0.0005, seed: 2, measureVideos: false })
    const base = emulator.url
    const judge = await call(base, 'POST', '/v1/judges', videoJudge())
    // At the 4 % rate of sites that are not platforms, 80 scraped URLs would fail about three times.
    const statuses = await Promise.all(
      Array.from({ length: 80 }, async (_, i) => {
        const r = await call(base, 'POST', '/v1/evaluations/presigned-upload', {
          judge_id: judge.body.id,
          content_type: 'video',
          filename: `clip-${i}.mp4`,
          file_size_bytes: 5
        })
        await fetch(r.body.upload_url, { method: 'PUT', body: 'hello', headers: r.body.upload_headers })
        return (await waitForResult(base, r.body.job_id, undefined, 10_000)).body.status
      })
    )
    expect(new Set(statuses)).toEqual(new Set(['completed']))
  })
})

describe('the failAtSubmit scenario rule (any profile)', () => {
  it('lists the job failed with its error_message in the submit reply, and the job stays failed', async () => {
    emulator = await fastEmulator({
      scenario: [{ match: '*private*', failAtSubmit: 'Video unavailable: this video is private' }]
    })
    const judge = await call(emulator.url, 'POST', '/v1/judges', videoJudge())
    const r = await call(emulator.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judge.body.id,
      video_urls: ['https://clips.example/ok', 'https://clips.example/private']
    })
    expect(r.status).toBe(202)
    expect(r.body.jobs.map((j: Record<string, unknown>) => [j.status, j.error_message])).toEqual([
      ['awaiting_upload', null],
      ['failed', 'Video unavailable: this video is private']
    ])
    const result = await call(emulator.url, 'GET', `/v1/evaluations/results/${r.body.jobs[1].job_id}`)
    expect(result.body).toMatchObject({
      event: 'evaluation.failed',
      status: 'failed',
      error: 'Video unavailable: this video is private'
    })
  })
})

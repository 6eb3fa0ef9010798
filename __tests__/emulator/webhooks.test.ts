import { afterEach, describe, expect, it } from '@jest/globals'
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/options.js'
import { DEFAULT_EMULATOR_API_KEY } from '../../src/emulator/options.js'
import { call, fastEmulator, until, videoJudge, waitForResult } from './helpers.js'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MAX_DELIVERIES_IN_FLIGHT } from '../../src/emulator/webhooks.js'
import { type Receiver, type Received, startReceiver } from './receiver.js'

const SECRET = 'whsec_test_secret'
const closers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map(c => c.close()))
})

/** Independent of src/pique/signature.ts: HMAC-SHA256 over `<t>.<raw body>`, checked in constant time. */
function verifyIndependently(r: Received, secret: string): boolean {
  const header = r.headers['x-pique-signature']
  if (typeof header !== 'string') return false
  const parts = Object.fromEntries(header.split(',').map(p => p.split('=') as [string, string]))
  if (parts.alg !== 'sha256' || !/^\d+$/.test(parts.t ?? '')) return false
  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false
  const expected = createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${parts.t}.`, 'utf8'), r.raw]))
    .digest()
  const given = Buffer.from(parts.v1 ?? '', 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

async function setup(receiver: Receiver, options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  closers.push(receiver)
  const emu = await fastEmulator({
    organizations: [
      { id: 'org_hooks', apiKeys: [DEFAULT_EMULATOR_API_KEY], webhookSecret: SECRET, webhookUrl: receiver.url }
    ],
    webhookRetry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 1000, timeoutMs: 400 },
    ...options
  })
  closers.push(emu)
  return emu
}

async function submitTo(emu: RunningEmulator, urls: string[], webhookUrl?: string): Promise<string[]> {
  const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge())
  const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
    judge_id: judge.body.id,
    video_urls: urls,
    webhook_url: webhookUrl
  })
  return r.body.jobs.map((j: { job_id: string }) => j.job_id)
}

describe('webhooks', () => {
  it('signs every delivery, retried ones included (timeout, then 500, then 200), with backoff', async () => {
    // Per job: the first attempt hangs past the timeout, the second gets 500, the third 200.
    const receiver = await startReceiver((r, before) => {
      const n = before.filter(b => b.json.job_id === r.json.job_id).length
      return n === 0 ? 'hang' : n === 1 ? 500 : 200
    })
    const emu = await setup(receiver, { scenario: [{ match: '*/broken', fail: 'Failed to process video' }] })
    const jobs = await submitTo(emu, ['https://a.example/ok', 'https://a.example/broken'])
    await until(() => receiver.received.length >= 6 || undefined)

    for (const r of receiver.received) {
      expect(verifyIndependently(r, SECRET)).toBe(true)
      expect(verifyIndependently(r, 'another-secret')).toBe(false)
      expect(r.headers['content-type']).toBe('application/json')
    }
    const ok = receiver.received.filter(r => r.json.job_id === jobs[0])
    expect(ok).toHaveLength(3)
    // Webhooks use the seed's spelling: `results` + `criterion_id`.
    expect(ok[2].json).toMatchObject({ event: 'evaluation.completed', status: 'completed', results: expect.any(Array) })
    expect((ok[2].json.results as Record<string, unknown>[])[0]).toHaveProperty('criterion_id')
    expect(ok[2].json).not.toHaveProperty('detector_results')
    // Every attempt carries the same body; backoff doubles (50 ms, then 100 ms).
    expect(new Set(ok.map(r => r.raw.toString())).size).toBe(1)
    expect(ok[2].at - ok[1].at).toBeGreaterThanOrEqual(95)
    const failed = receiver.received.filter(r => r.json.job_id === jobs[1])
    expect(failed[2].json).toMatchObject({
      event: 'evaluation.failed',
      status: 'failed',
      error: 'Failed to process video'
    })

    // The same body the results endpoint reports, in the other spelling.
    const viaApi = await waitForResult(emu.url, jobs[0])
    expect(viaApi.body.overall_score).toBe(ok[2].json.overall_score)

    const log = await until(async () => {
      const d = (await call(emu.url, 'GET', '/_emulator/webhooks', undefined, null)).body.deliveries
      return d.length >= 6 ? d : undefined
    })
    const attempts = log
      .filter((d: { job_id: string }) => d.job_id === jobs[0])
      .map((d: { attempt: number; status: number | null; url: string }) => [d.attempt, d.status, d.url])
    expect(attempts).toEqual([
      [1, null, receiver.url],
      [2, 500, receiver.url],
      [3, 200, receiver.url]
    ])
  })

  it('stops after the configured attempts', async () => {
    const receiver = await startReceiver(() => 503)
    const emu = await setup(receiver, {
      webhookRetry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 1000 }
    })
    await submitTo(emu, ['https://a.example/v'])
    await until(() => receiver.received.length >= 2 || undefined)
    await new Promise(resolve => setTimeout(resolve, 150))
    expect(receiver.received).toHaveLength(2)
  })

  it('sends to the batch webhook_url instead of the organization default, signed with the organization secret', async () => {
    const orgReceiver = await startReceiver()
    const batchReceiver = await startReceiver()
    closers.push(batchReceiver)
    const emu = await setup(orgReceiver)
    const [job] = await submitTo(emu, ['https://a.example/v'], batchReceiver.url)
    await until(() => batchReceiver.received.length >= 1 || undefined)
    expect(batchReceiver.received[0].json.job_id).toBe(job)
    expect(verifyIndependently(batchReceiver.received[0], SECRET)).toBe(true)
    expect(orgReceiver.received).toHaveLength(0)
  })
})

describe('webhook faults', () => {
  it('duplicates deliveries (both signed) and drops them, as configured', async () => {
    const receiver = await startReceiver()
    const emu = await setup(receiver, {
      faults: {
        endpoints: {},
        webhooks: { dropRate: 0, duplicateRate: 1, delayRate: 0, delayMs: 0, reorderWindowMs: 0 }
      }
    })
    const [job] = await submitTo(emu, ['https://a.example/v'])
    await until(() => receiver.received.length >= 2 || undefined)
    expect(receiver.received.map(r => r.json.job_id)).toEqual([job, job])
    expect(receiver.received.every(r => verifyIndependently(r, SECRET))).toBe(true)

    const quiet = await startReceiver()
    const dropping = await setup(quiet, {
      faults: {
        endpoints: {},
        webhooks: { dropRate: 1, duplicateRate: 0, delayRate: 0, delayMs: 0, reorderWindowMs: 0 }
      }
    })
    const [dropped] = await submitTo(dropping, ['https://a.example/v'])
    await waitForResult(dropping.url, dropped)
    const log = await until(async () => {
      const d = (await call(dropping.url, 'GET', '/_emulator/webhooks', undefined, null)).body.deliveries
      return d.length ? d : undefined
    })
    expect(log).toEqual([expect.objectContaining({ job_id: dropped, dropped: true, attempt: 0, status: null })])
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(quiet.received).toHaveLength(0)
  })

  it('reorders deliveries due within the window, and delays held-back ones', async () => {
    const receiver = await startReceiver()
    const emu = await setup(receiver, {
      scenario: [
        { match: '*/b', delayMs: 30 },
        { match: '*/c', delayMs: 60 }
      ],
      faults: {
        endpoints: {},
        webhooks: { dropRate: 0, duplicateRate: 0, delayRate: 0, delayMs: 0, reorderWindowMs: 300 }
      }
    })
    const jobs = await submitTo(emu, ['https://x.example/a', 'https://x.example/b', 'https://x.example/c'])
    await until(() => receiver.received.length >= 3 || undefined)
    expect(receiver.received.map(r => r.json.job_id)).toEqual([...jobs].reverse())

    const late = await startReceiver()
    const delaying = await setup(late, {
      faults: {
        endpoints: {},
        webhooks: { dropRate: 0, duplicateRate: 0, delayRate: 1, delayMs: 300, reorderWindowMs: 0 }
      }
    })
    const [job] = await submitTo(delaying, ['https://x.example/a'])
    await waitForResult(delaying.url, job)
    expect(late.received).toHaveLength(0)
    await until(() => late.received.length >= 1 || undefined)
  })

  it('sends a burst of webhooks through a bounded pool: the rest queue, none is lost', async () => {
    // A receiver that holds every delivery until told: how many are open at once is the emulator's pool.
    const held: ServerResponse[] = []
    let open = 0
    let most = 0
    let done = 0
    const server = createServer((req, res) => {
      open++
      most = Math.max(most, open)
      req.resume()
      req.on('end', () => held.push(res))
      res.on('finish', () => {
        open--
        done++
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    closers.push({
      close: () =>
        new Promise<void>(resolve => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
    })
    const emu = await setup(
      { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received: [], close: async () => {} },
      { webhookRetry: { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 1000, timeoutMs: 20_000 } }
    )
    const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge())
    const total = MAX_DELIVERIES_IN_FLIGHT + 44
    for (let b = 0; b < total / 20; b++) {
      const urls = Array.from({ length: 20 }, (_, i) => `https://a.example/burst/${b * 20 + i}`)
      await call(emu.url, 'POST', '/v1/evaluations/social-media', { judge_id: judge.body.id, video_urls: urls })
    }
    await until(() => (held.length >= MAX_DELIVERIES_IN_FLIGHT ? true : undefined), 10_000)
    await new Promise(r => setTimeout(r, 300)) // every job has finished by now: the rest wait for a slot
    expect(most).toBe(MAX_DELIVERIES_IN_FLIGHT)
    // Answer as they come: the queued ones follow, each once.
    const answer = setInterval(() => held.splice(0).forEach(r => r.writeHead(200).end()), 10)
    try {
      await until(() => (done >= total ? true : undefined), 10_000)
    } finally {
      clearInterval(answer)
    }
    expect(done).toBe(total)
    expect(most).toBe(MAX_DELIVERIES_IN_FLIGHT)
  })
})

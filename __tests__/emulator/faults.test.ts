import { afterEach, describe, expect, it } from '@jest/globals'
import type { EmulatorFaults, RunningEmulator } from '../../src/emulator/options.js'
import { call, fastEmulator } from './helpers.js'

const running: RunningEmulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map(e => e.close()))
})

async function emulator(options: Parameters<typeof fastEmulator>[0]) {
  const emu = await fastEmulator(options)
  running.push(emu)
  return emu
}

const faults = (f: Partial<EmulatorFaults>): EmulatorFaults => ({
  endpoints: {},
  webhooks: { dropRate: 0, duplicateRate: 0, delayRate: 0, delayMs: 0, reorderWindowMs: 0 },
  ...f
})

describe('rate limit', () => {
  it('sends X-RateLimit-* on every request and answers 429 with Retry-After past the per-key limit', async () => {
    const emu = await emulator({ rateLimitPerMinute: 3 })
    // Windows are calendar minutes: keep the four requests inside one.
    if (Date.now() % 60_000 > 58_000)
      await new Promise(resolve => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 10))
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await call(emu.url, 'GET', '/v1/judges'))
    expect(answers.map(a => a.status)).toEqual([200, 200, 200, 429])
    expect(answers.map(a => a.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0'])
    for (const a of answers) {
      expect(a.headers.get('x-ratelimit-limit')).toBe('3')
      const reset = Number(a.headers.get('x-ratelimit-reset'))
      // Epoch seconds of the end of the current minute window.
      expect(reset % 60).toBe(0)
      expect(reset - Date.now() / 1000).toBeGreaterThan(0)
      expect(reset - Date.now() / 1000).toBeLessThanOrEqual(60)
    }
    const retryAfter = Number(answers[3].headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(answers[3].body.detail).toMatch(/Rate limit/)
  })

  it('sends the headers on error answers too', async () => {
    const emu = await emulator({ rateLimitPerMinute: 50 })
    const bad = await call(emu.url, 'POST', '/v1/judges', '{not json')
    expect(bad.status).toBe(400)
    expect(bad.headers.get('x-ratelimit-limit')).toBe('50')
  })

  it('sends no rate-limit headers when no limit is configured (the API documents none)', async () => {
    const emu = await emulator({})
    expect((await call(emu.url, 'GET', '/v1/judges')).headers.get('x-ratelimit-limit')).toBeNull()
  })

  it('injects reproducible 429 bursts with Retry-After and X-RateLimit-* headers', async () => {
    const sequence = async () => {
      const emu = await emulator({
        seed: 5,
        faults: faults({ rateLimitBurst: { rate: 0.3, length: 2, retryAfterSeconds: 2 } })
      })
      const statuses: number[] = []
      for (let i = 0; i < 20; i++) {
        const r = await call(emu.url, 'GET', '/v1/judges')
        statuses.push(r.status)
        if (r.status === 429) {
          expect(r.headers.get('retry-after')).toBe('2')
          expect(r.headers.get('x-ratelimit-remaining')).toBe('0')
          expect(r.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/)
          // The reset agrees with Retry-After: in the second its wait ends, never later (a client reading
          // both must not wait longer than Retry-After asks).
          const reset = Number(r.headers.get('x-ratelimit-reset'))
          expect(reset).toBeGreaterThan(Date.now() / 1000)
          expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 2000)
          expect(reset * 1000).toBeGreaterThan(Date.now() + 2000 - 1000 - 200)
        }
      }
      return statuses
    }
    const first = await sequence()
    expect(first).toContain(429)
    expect(first).toContain(200)
    // Bursts come in runs of the configured length (the last may be cut off by the end of the sequence).
    const runs: number[] = []
    first.forEach((status, i) => {
      if (status !== 429) return
      if (first[i - 1] === 429) runs[runs.length - 1]++
      else runs.push(1)
    })
    expect(runs.slice(0, -1).every(n => n % 2 === 0)).toBe(true)
    expect(await sequence()).toEqual(first)
  })
})

describe('endpoint faults', () => {
  it('injects seeded errors per endpoint, the same sequence in every run, and leaves other endpoints alone', async () => {
    const sequence = async (seed: number) => {
      const emu = await emulator({
        seed,
        faults: faults({ endpoints: { listJudges: { errorRate: 0.5, errorStatus: 503 } } })
      })
      const statuses: number[] = []
      for (let i = 0; i < 16; i++) statuses.push((await call(emu.url, 'GET', '/v1/judges')).status)
      const other = await call(emu.url, 'GET', '/v1/judges/00000000-0000-4000-8000-000000000000')
      expect(other.status).toBe(404)
      return statuses
    }
    const a = await sequence(9)
    expect(new Set(a)).toEqual(new Set([200, 503]))
    // The detail names the injected status, not a generic server error.
    const emu = await emulator({ faults: faults({ endpoints: { listJudges: { errorRate: 1, errorStatus: 503 } } }) })
    expect(await call(emu.url, 'GET', '/v1/judges')).toMatchObject({
      status: 503,
      body: { detail: 'Service Unavailable (emulated fault on listJudges)' }
    })
    expect(await sequence(9)).toEqual(a)
  })

  it('closes promptly while a request waits out injected latency', async () => {
    const emu = await fastEmulator({ faults: faults({ endpoints: { listJudges: { latencyMs: 150 } } }) })
    const pending = call(emu.url, 'GET', '/v1/judges')
    await new Promise(resolve => setTimeout(resolve, 20))
    const closing = Date.now()
    await emu.close()
    // The request in flight is still answered, and close ends with it, not after the 2 s grace for stuck requests.
    expect((await pending).status).toBe(200)
    expect(Date.now() - closing).toBeLessThan(1500)
  })

  it('answers injected errors with a detail, and a per-endpoint latency adds to the error rate of `*`', async () => {
    const emu = await emulator({
      faults: faults({ endpoints: { '*': { errorRate: 1 }, getJudge: { latencyMs: 120 } } })
    })
    const failed = await call(emu.url, 'GET', '/v1/judges')
    expect(failed).toMatchObject({ status: 500, body: { detail: expect.stringMatching(/emulated fault/) } })
    const started = Date.now()
    // Its own latency entry does not cancel the error rate every endpoint has: slow, and still failing.
    const slow = await call(emu.url, 'GET', '/v1/judges/00000000-0000-4000-8000-000000000000')
    expect(slow).toMatchObject({ status: 500, body: { detail: expect.stringMatching(/emulated fault on getJudge/) } })
    expect(Date.now() - started).toBeGreaterThanOrEqual(115)
  })

  it('lets an endpoint override one field of `*` and keep the others (own error rate, shared latency)', async () => {
    const emu = await emulator({
      faults: faults({ endpoints: { '*': { errorRate: 1, latencyMs: 100 }, listJudges: { errorRate: 0 } } })
    })
    const started = Date.now()
    expect((await call(emu.url, 'GET', '/v1/judges')).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(95)
  })
})

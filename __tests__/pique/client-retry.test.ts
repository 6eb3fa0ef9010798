import { afterEach, describe, expect, it } from '@jest/globals'
import { PiqueClient, type RetryInfo } from '../../src/pique/client.js'
import { PiqueApiError, PiqueDeadlineError, PiqueNetworkError } from '../../src/pique/errors.js'
import { DEFAULT_EMULATOR_API_KEY, NO_FAULTS } from '../../src/emulator/options.js'
import { startEmulator } from '../../src/emulator/server.js'
import {
  backoffDelayMs,
  parseRateLimitHeaders,
  parseRetryAfter,
  rateLimitWaitMs,
  resolveRetryPolicy,
  retryDelay
} from '../../src/pique/retry.js'
import {
  FAST_RETRY,
  type ScriptedServer,
  closedPort,
  hang,
  judge,
  reply,
  scriptedServer,
  submitReply
} from './client-server.js'
// The client as the action connects it: its hints name the action's inputs.
import { ACTION_SURFACE } from '../../src/config/surface.js'

const KEY = 'pk_test_retry_Zx81'
const URLS = ['https://www.tiktok.com/@a/video/1']
const SMALL_JUDGE = {
  name: 'n',
  description: 'd',
  content_type: 'video' as const,
  detectors: [{ detector_name: 'framing', config: {} }]
}
let server: ScriptedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function clientFor(baseUrl: string, extra: Partial<ConstructorParameters<typeof PiqueClient>[0]> = {}) {
  const retries: RetryInfo[] = []
  const client = new PiqueClient({
    baseUrl,
    apiKey: KEY,
    settingNames: ACTION_SURFACE.clientNames,
    retry: FAST_RETRY,
    timeoutMs: 5_000,
    onRetry: i => retries.push(i),
    ...extra
  })
  return { client, retries }
}
const gap = (s: ScriptedServer, i: number) => s.requests[i].at - s.requests[i - 1].at

describe('retry timing helpers', () => {
  const now = Date.parse('2026-11-23T12:00:00Z')
  it('reads Retry-After as seconds (decimals too) or an HTTP date', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('0.25', now)).toBe(250)
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:05 GMT', now)).toBe(5_000)
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('Monday, 23-Nov-26 12:00:05 GMT', now)).toBe(5_000)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    // Not a delay: these must not read as "retry at once" (Date.parse takes them for dates in 2001).
    expect(parseRetryAfter('-1', now)).toBeUndefined()
    expect(parseRetryAfter('Retry 5', now)).toBeUndefined()
    expect(parseRetryAfter('5 seconds', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })
  it('reads X-RateLimit-* with the reset in epoch seconds (a small value as seconds from now)', () => {
    expect(
      parseRateLimitHeaders(
        { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) },
        now
      )
    ).toEqual({
      limit: 100,
      remaining: 0,
      resetAt: now + 30_000
    })
    expect(parseRateLimitHeaders({ 'x-ratelimit-reset': '30' }, now)).toEqual({ resetAt: now + 30_000 })
    expect(parseRateLimitHeaders({ 'x-ratelimit-reset': String(now + 30_000) }, now)).toEqual({ resetAt: now + 30_000 })
    expect(parseRateLimitHeaders({}, now)).toBeUndefined()
    expect(rateLimitWaitMs({ remaining: 0, resetAt: now + 500 }, now)).toBe(500)
    expect(rateLimitWaitMs({ remaining: 3, resetAt: now + 500 }, now)).toBe(0)
  })
  it('backs off exponentially with full jitter under the cap, and prefers the server-given wait', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 })
    expect([1, 2, 3, 4, 5].map(r => backoffDelayMs(r, policy, () => 1))).toEqual([100, 200, 400, 800, 1_000])
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0)
    expect(retryDelay(1, policy, { retryAfterMs: 7_000 }, now)).toEqual({ delayMs: 7_000, serverSaid: true })
    expect(retryDelay(1, policy, { rateLimit: { remaining: 0, resetAt: now + 2_000 } }, now)).toEqual({
      delayMs: 2_000,
      serverSaid: true
    })
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts must be at least 1/)
  })
})

describe('PiqueClient retries', () => {
  it('waits out 429 + Retry-After, then succeeds (GET and submit alike)', async () => {
    server = await scriptedServer([
      reply(429, { detail: 'Too many requests' }, { 'retry-after': '0.3' }),
      reply(200, judge(1)),
      reply(429, { detail: 'Too many requests' }, { 'retry-after': '0.2' }),
      reply(202, submitReply(URLS))
    ])
    const { client, retries } = clientFor(server.url)
    expect((await client.getJudge('j')).id).toBe(judge(1).id)
    expect(gap(server, 1)).toBeGreaterThanOrEqual(290)
    expect((await client.submitSocialMedia({ judge_id: 'j', video_urls: URLS })).batch_id).toMatch(/^batch_/)
    expect(gap(server, 3)).toBeGreaterThanOrEqual(190)
    expect(server.requests.map(r => r.method)).toEqual(['GET', 'GET', 'POST', 'POST'])
    expect(retries).toEqual([
      {
        method: 'GET',
        path: '/v1/judges/j',
        attempt: 2,
        delayMs: 300,
        reason: 'HTTP 429 (wait set by the server)',
        rateLimited: true
      },
      {
        method: 'POST',
        path: '/v1/evaluations/social-media',
        attempt: 2,
        delayMs: 200,
        reason: 'HTTP 429 (wait set by the server)',
        rateLimited: true
      }
    ])
  })

  it('waits until X-RateLimit-Reset on a 429, and holds off before the next request when none remain', async () => {
    const resetIn = (ms: number) => ({
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': ((Date.now() + ms) / 1000).toFixed(3)
    })
    server = await scriptedServer([
      (req, res) => reply(429, { detail: 'slow down' }, resetIn(300))(req, res),
      (req, res) => reply(200, judge(1), resetIn(400))(req, res),
      reply(200, judge(2), { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '99' })
    ])
    const { client, retries } = clientFor(server.url)
    await client.getJudge('a')
    expect(gap(server, 1)).toBeGreaterThanOrEqual(250)
    expect(client.rateLimit).toMatchObject({ limit: 100, remaining: 0 })
    expect(client.rateLimit.resetAt).toBeGreaterThan(Date.now())
    await client.getJudge('b') // proactively waits for the reset instead of earning a 429
    expect(gap(server, 2)).toBeGreaterThanOrEqual(350)
    expect(client.rateLimit).toEqual({ limit: 100, remaining: 99 })
    expect(retries.map(r => r.reason)).toEqual([
      'HTTP 429 (wait set by the server)',
      'rate limit: no requests remaining until the reset'
    ])
  })

  it('retries a GET after 500 and after a timeout, then succeeds', async () => {
    server = await scriptedServer([reply(500, { detail: 'boom' }), hang, reply(200, judge(3))])
    const { client, retries } = clientFor(server.url, { timeoutMs: 500 })
    expect((await client.getJudge('j')).id).toBe(judge(3).id)
    expect(server.requests).toHaveLength(3)
    expect(retries.map(r => r.reason)).toEqual(['HTTP 500', 'no complete answer within 500ms'])
  })

  it('does not retry a submit that timed out after the server received it, and says it may have been accepted', async () => {
    server = await scriptedServer(hang)
    const { client, retries } = clientFor(server.url, { timeoutMs: 500 })
    const err = await client.submitSocialMedia({ judge_id: 'j', video_urls: URLS }).catch(e => e)
    expect(err).toBeInstanceOf(PiqueNetworkError)
    expect(err.maybeAccepted).toBe(true)
    expect(err.message).toBe(
      `submit social-media batch: POST /v1/evaluations/social-media to ${server.url}: no complete answer within 500ms after the request was sent. ` +
        'The batch may have been accepted by Pique (jobs may exist and be billed). It was not retried automatically: re-running submits the batch again, so check before re-running.'
    )
    expect(server.requests).toHaveLength(1)
    expect(JSON.parse(server.requests[0].body).video_urls).toEqual(URLS)
    expect(retries).toEqual([])
  })

  it('does not retry a submit or a create-judge answered 500/502; retries a 503 with Retry-After', async () => {
    server = await scriptedServer([
      reply(502, 'Bad Gateway'),
      reply(500, { detail: 'internal' }),
      reply(503, { detail: 'maintenance' }, { 'retry-after': '0.05' }),
      reply(202, submitReply(URLS))
    ])
    const { client } = clientFor(server.url)
    const e1 = await client.submitSocialMedia({ judge_id: 'j', video_urls: URLS }).catch(e => e)
    expect(e1).toBeInstanceOf(PiqueApiError)
    expect(e1).toMatchObject({ status: 502, maybeAccepted: true })
    expect(e1.message).toMatch(
      /^submit social-media batch: Pique answered 502 to POST \/v1\/evaluations\/social-media: Bad Gateway\. The batch may have been accepted by Pique \(jobs may exist and be billed\)\./
    )
    const e2 = await client.createJudge(SMALL_JUDGE).catch(e => e)
    expect(e2.message).toMatch(
      /The judge may have been created by Pique\. It was not retried automatically: re-running creates another judge/
    )
    expect(await client.submitSocialMedia({ judge_id: 'j', video_urls: URLS })).toMatchObject({ total_videos: 1 })
    expect(server.requests).toHaveLength(4)
  })

  it('retries a refused connection (nothing was sent), then throws a PiqueNetworkError', async () => {
    const base = `http://127.0.0.1:${await closedPort()}`
    const { client, retries } = clientFor(base)
    const err = await client.submitSocialMedia({ judge_id: 'j', video_urls: URLS }).catch(e => e)
    expect(err).toBeInstanceOf(PiqueNetworkError)
    expect(err).toMatchObject({ code: 'ECONNREFUSED', maybeAccepted: false, attempts: FAST_RETRY.maxAttempts })
    expect(err.message).toMatch(
      new RegExp(
        `^submit social-media batch: POST /v1/evaluations/social-media to ${base}: could not connect \\(connect ECONNREFUSED .*\\): check the api-url and the network\\. \\(gave up after 4 attempts in \\d+`
      )
    )
    expect(retries.map(r => r.attempt)).toEqual([2, 3, 4])
  })

  it('bounds the total retry time, and never sleeps past the budget for a long Retry-After', async () => {
    server = await scriptedServer(reply(503, { detail: 'down' }, { 'retry-after': '0.1' }))
    const { client } = clientFor(server.url, {
      retry: { maxAttempts: 100, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 450 }
    })
    const started = Date.now()
    const err = await client.getJudge('j').catch(e => e)
    expect(Date.now() - started).toBeLessThan(1_500)
    expect(server.requests.length).toBeGreaterThanOrEqual(2)
    expect(server.requests.length).toBeLessThanOrEqual(6)
    expect(err.message).toMatch(
      /^get judge: Pique answered 503 to GET \/v1\/judges\/j: down\. Pique service error: retry later\. \(gave up after \d attempts in/
    )

    await server.close()
    server = await scriptedServer(reply(429, { detail: 'quota' }, { 'retry-after': '3600' }))
    const { client: c2, retries } = clientFor(server.url)
    const t2 = Date.now()
    const e2 = await c2.listJudges().catch(e => e)
    expect(Date.now() - t2).toBeLessThan(1_000)
    expect(e2).toMatchObject({ status: 429, maybeAccepted: false })
    expect(e2.message).toContain('quota. Rate limited by Pique (it asks to wait 3600s): retry later')
    expect(retries).toEqual([])
    expect(c2.rateLimit.remaining).toBe(0)
  })

  it('does not count 429s against the attempts meant for errors: waits them out while the deadline allows', async () => {
    // More 429 bursts in a row than maxAttempts (4), with a 500 among them: the call still succeeds.
    const limited = reply(429, { detail: 'Too many requests' }, { 'retry-after': '0.05' })
    server = await scriptedServer([
      limited,
      limited,
      limited,
      reply(500, { detail: 'boom' }),
      limited,
      limited,
      limited,
      reply(200, judge(4))
    ])
    const { client, retries } = clientFor(server.url)
    const got = await client.getJudge('j', { deadline: Date.now() + 10_000 })
    expect(got.id).toBe(judge(4).id)
    expect(server.requests).toHaveLength(8)
    expect(retries.filter(r => r.rateLimited)).toHaveLength(6)
    expect(retries.filter(r => !r.rateLimited).map(r => r.reason)).toEqual(['HTTP 500'])
  })

  it('stops at once when a 429 asks to wait past the deadline, naming the wait', async () => {
    server = await scriptedServer(reply(429, { detail: 'quota' }, { 'retry-after': '30' }))
    const { client } = clientFor(server.url)
    const started = Date.now()
    const err = await client.getResult('job-1', { deadline: Date.now() + 2_000 }).catch(e => e)
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(err).toBeInstanceOf(PiqueDeadlineError)
    expect(err.message).toMatch(/rate limited: the next attempt would wait 30s \(set by the server\) with \d/)
  })

  it('waits out 429s for longer than the error budget when the deadline allows it', async () => {
    const limited = reply(429, { detail: 'Too many requests' }, { 'retry-after': '0.2' })
    server = await scriptedServer([limited, limited, limited, reply(200, judge(5))])
    // An error budget of 300 ms would end the call; three 200 ms rate-limit waits are not charged to it.
    const { client } = clientFor(server.url, { retry: { ...FAST_RETRY, maxTotalMs: 300 } })
    expect((await client.getJudge('j', { deadline: Date.now() + 5_000 })).id).toBe(judge(5).id)
    // Without a deadline the same waits are bounded by the budget: the call gives up with the 429.
    await server.close()
    server = await scriptedServer([limited, limited, limited, reply(200, judge(5))])
    const { client: bounded } = clientFor(server.url, { retry: { ...FAST_RETRY, maxTotalMs: 300 } })
    expect(await bounded.getJudge('j').catch(e => e)).toMatchObject({ status: 429 })
  })

  it('retries a paid submit answered 5xx only with retryAmbiguousSubmits, and says the first may be billed', async () => {
    server = await scriptedServer([reply(502, 'Bad Gateway'), reply(202, submitReply(URLS))])
    const told: RetryInfo[] = []
    const { client, retries } = clientFor(server.url, { retryAmbiguousSubmits: true })
    const batch = await client.submitSocialMedia({ judge_id: 'j', video_urls: URLS }, { onRetry: i => told.push(i) })
    expect(batch.total_videos).toBe(1)
    expect(server.requests).toHaveLength(2)
    expect(retries).toHaveLength(1)
    expect(told).toEqual(retries)
    expect(told[0]).toMatchObject({
      maybeAccepted: true,
      reason: expect.stringMatching(/^HTTP 502 .*may have been accepted and billed/)
    })
    // A judge is not billed: creating one stays unretried (a second judge is worse than a re-run).
    await server.close()
    server = await scriptedServer([reply(500, { detail: 'internal' }), reply(201, { id: 'j2', status: 'ready' })])
    const { client: c2 } = clientFor(server.url, { retryAmbiguousSubmits: true })
    const err = await c2.createJudge(SMALL_JUDGE).catch(e => e)
    expect(err).toMatchObject({ status: 500, maybeAccepted: true })
    expect(server.requests).toHaveLength(1)
  })

  it('waits no longer than Retry-After for the emulator 429 bursts (their reset agrees)', async () => {
    const emu = await startEmulator({
      seed: 3,
      faults: { ...NO_FAULTS, rateLimitBurst: { rate: 0.3, length: 1, retryAfterSeconds: 1 } }
    })
    try {
      const { client, retries } = clientFor(emu.url, { apiKey: DEFAULT_EMULATOR_API_KEY })
      let limitedCalls = 0
      for (let i = 0; i < 12 && limitedCalls < 2; i++) {
        const before = retries.length
        const started = Date.now()
        await client.listJudges({}, { deadline: Date.now() + 30_000 })
        const waits = retries.slice(before).filter(r => r.rateLimited)
        if (waits.length === 0) continue
        limitedCalls++
        // One wait of Retry-After per 429, and no second hold for a reset that would end later.
        expect(waits.map(w => w.delayMs)).toEqual(waits.map(() => 1000))
        expect(Date.now() - started).toBeLessThan(waits.length * 1000 + 400)
      }
      expect(limitedCalls).toBeGreaterThan(0)
    } finally {
      await emu.close()
    }
  })
})

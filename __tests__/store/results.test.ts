// The results lookup: reuse by judge fingerprint + identity, max age, failed results never reused, history for
// deltas, the base branch's result; on both backends, one request for many items.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'node:http'
import { StoreClient } from '../../src/store/client.js'
import { MAX_IDENTITY_CHARS, MAX_LOOKUP_IDENTITIES } from '../../src/store/protocol.js'
import type { RunningStore } from '../../src/store/options.js'
import { startStore } from '../../src/store/server.js'
import { TOKEN, backends, completedBody, deliver, jobId, read } from './helpers.js'

const FP = 'judge_1@sha256:aaaa'
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

describe.each(backends())('results lookup on $name', backend => {
  let store: RunningStore
  let client: StoreClient

  beforeAll(async () => {
    await backend.setup()
    store = await startStore(backend.options())
    client = new StoreClient({ baseUrl: store.url, token: TOKEN })
  })
  afterAll(async () => {
    await store?.close()
    await backend.teardown()
  })

  /** Registers a job for `identity` and delivers its result. */
  async function evaluate(
    identity: string,
    score: number | 'failed',
    extra: { ref?: string; repository?: string; fingerprint?: string } = {}
  ): Promise<string> {
    const id = jobId()
    await client.register([
      {
        job_id: id,
        url: identity.replace(/^url:/, ''),
        batch_id: 'b1',
        judge_id: 'judge_1',
        judge_fingerprint: extra.fingerprint ?? FP,
        identity,
        repository: extra.repository ?? 'org/repo',
        ...(extra.ref ? { ref: extra.ref } : {})
      }
    ])
    const body =
      score === 'failed'
        ? { event: 'evaluation.failed', job_id: id, status: 'failed', error: 'could not download' }
        : completedBody(id, score)
    expect((await deliver(store.url, body)).status).toBe(200)
    return id
  }

  it('answers which items have a reusable result, with the one before it, in one request', async () => {
    const a = `url:https://example.com/a-${jobId()}`
    const b = `url:https://example.com/b-${jobId()}`
    const never = `url:https://example.com/never-${jobId()}`
    const a1 = await evaluate(a, 0.82)
    await sleep(5)
    const a2 = await evaluate(a, 0.71)
    const b1 = await evaluate(b, 0.9)
    const answer = await client.lookupResults({
      judge_fingerprint: FP,
      identities: [a, b, never],
      max_age_seconds: 3600
    })
    const byId = Object.fromEntries(answer.items.map(i => [i.identity, i]))
    expect(Object.keys(byId).sort()).toEqual([a, b].sort())
    expect(byId[a].reusable).toMatchObject({ job_id: a2, result: { overall_score: 0.71 }, repository: 'org/repo' })
    expect(byId[a].previous).toMatchObject({ job_id: a1, result: { overall_score: 0.82 } })
    expect(byId[b].reusable?.job_id).toBe(b1)
    expect(byId[b].previous).toBeNull()
    expect(Date.parse(answer.now) - Date.parse(byId[b].reusable!.completed_at)).toBeGreaterThanOrEqual(0)
  })

  it('never reuses a failed result, nor one older than max_age_seconds; 0 gives history only', async () => {
    const failed = `url:https://example.com/f-${jobId()}`
    await evaluate(failed, 'failed')
    const old = `url:https://example.com/o-${jobId()}`
    const o1 = await evaluate(old, 0.8)
    await sleep(1100)
    const answer = await client.lookupResults({ judge_fingerprint: FP, identities: [failed, old], max_age_seconds: 1 })
    expect(answer.items.map(i => i.identity)).toEqual([old])
    expect(answer.items[0]).toMatchObject({ reusable: null, previous: { job_id: o1 } })
    const none = await client.lookupResults({ judge_fingerprint: FP, identities: [old], max_age_seconds: 0 })
    expect(none.items[0]).toMatchObject({ reusable: null, previous: { job_id: o1 } })
  })

  it('keeps judges apart: another fingerprint sees nothing', async () => {
    const item = `url:https://example.com/j-${jobId()}`
    await evaluate(item, 0.9)
    const other = await client.lookupResults({
      judge_fingerprint: 'judge_2@sha256:bbbb',
      identities: [item],
      max_age_seconds: 3600
    })
    expect(other.items).toEqual([])
  })

  it("names the base branch's newest result, apart from the reused one", async () => {
    const item = `url:https://example.com/base-${jobId()}`
    const onMain = await evaluate(item, 0.95, { ref: 'main' })
    await sleep(5)
    await evaluate(item, 0.9, { ref: 'other-repo-main', repository: 'org/other' })
    await sleep(5)
    const onPr = await evaluate(item, 0.6, { ref: 'feature-x' })
    const answer = await client.lookupResults({
      judge_fingerprint: FP,
      identities: [item],
      max_age_seconds: 3600,
      base: { repository: 'org/repo', ref: 'main' }
    })
    expect(answer.items[0].reusable?.job_id).toBe(onPr)
    expect(answer.items[0].base).toMatchObject({ job_id: onMain, ref: 'main', result: { overall_score: 0.95 } })
  })

  it('takes a whole run of identities in one request and refuses bad bodies with the field', async () => {
    // The most identities, long enough that the body is well over the store's 1 MiB default limit for other reads.
    const many = Array.from(
      { length: MAX_LOOKUP_IDENTITIES },
      (_, i) => `url:https://www.tiktok.com/@a-brand-with-a-long-handle/video/${i}?lang=en&q=${'x'.repeat(80)}`
    )
    const body = JSON.stringify({ judge_fingerprint: FP, identities: many, max_age_seconds: 60 })
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024)
    const answer = await client.lookupResults({ judge_fingerprint: FP, identities: many, max_age_seconds: 60 })
    expect(answer.items).toEqual([])
    // Sent as curl sends a large body (Expect: 100-continue): the store lets it come instead of refusing it unseen.
    expect(await postExpectingContinue(store.url, '/v1/results/lookup', body)).toEqual({ continued: true, status: 200 })
    const tooLong = await read(store.url, '/v1/results/lookup', {
      body: {
        judge_fingerprint: FP,
        identities: [`url:https://a.example/${'y'.repeat(MAX_IDENTITY_CHARS)}`],
        max_age_seconds: 60
      }
    })
    expect(tooLong.status).toBe(400)
    expect(String(tooLong.json.error)).toMatch(/identities/)
    const bad = await read(store.url, '/v1/results/lookup', { body: { judge_fingerprint: FP, identities: [] } })
    expect(bad.status).toBe(400)
    expect(String(bad.json.error)).toMatch(/identities/)
    expect((await read(store.url, '/v1/results/lookup', { token: 'wrong', body: {} })).status).toBe(401)
  })
})

/** A POST with `Expect: 100-continue`: whether the store said 100 Continue before the body, and its final status. */
function postExpectingContinue(
  base: string,
  path: string,
  body: string
): Promise<{ continued: boolean; status: number }> {
  return new Promise((resolve, reject) => {
    let continued = false
    const req = request(new URL(path, base), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue'
      }
    })
    req.on('continue', () => {
      continued = true
      req.end(body)
    })
    req.on('response', res => {
      res.resume()
      res.on('end', () => resolve({ continued, status: res.statusCode ?? 0 }))
      if (!continued) req.destroy()
    })
    req.on('error', reject)
  })
}

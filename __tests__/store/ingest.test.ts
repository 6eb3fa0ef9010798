// Ingest against a real SQLite file and the real PostgreSQL: verification, body checks, idempotency, ordering.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RunningStore } from '../../src/store/options.js'
import { startStore } from '../../src/store/server.js'
import {
  OLD_SECRET,
  SECRET,
  backends,
  completedBody,
  deliver,
  jobId,
  nowSeconds,
  pendingBody,
  read
} from './helpers.js'

describe.each(backends())('ingest on $name', backend => {
  let store: RunningStore

  beforeAll(async () => {
    await backend.setup()
    store = await startStore({ ...backend.options(), webhookSecrets: [SECRET, OLD_SECRET], bodyLimitBytes: 16 * 1024 })
  })
  afterAll(async () => {
    await store?.close()
    await backend.teardown()
  })

  const stored = async (id: string) => read(store.url, `/v1/jobs/${id}`)

  it('accepts a valid signed delivery and stores the body as received', async () => {
    const id = jobId()
    const res = await deliver(store.url, completedBody(id))
    expect(res).toEqual({ status: 200, json: { ok: true, job_id: id, outcome: 'applied' } })
    const job = await stored(id)
    expect(job.status).toBe(200)
    expect(job.json).toMatchObject({ job_id: id, status: 'completed', result: completedBody(id) })
  })

  it('accepts the alternative X-Webhook-Signature header name', async () => {
    const res = await deliver(store.url, completedBody(jobId()), { headerName: 'X-Webhook-Signature' })
    expect(res.status).toBe(200)
  })

  it('rejects a tampered body with 401 and stores nothing', async () => {
    const id = jobId()
    const raw = JSON.stringify(completedBody(id, 0.2))
    const res = await deliver(store.url, raw, { sendInstead: raw.replace('0.2', '0.9') })
    expect(res).toEqual({ status: 401, json: { error: 'signature does not match' } })
    expect((await stored(id)).status).toBe(404)
  })

  it('rejects a delivery signed with a secret the store does not have', async () => {
    const res = await deliver(store.url, completedBody(jobId()), { secrets: ['whsec_someone_else'] })
    expect(res).toEqual({ status: 401, json: { error: 'signature does not match' } })
  })

  it('accepts the previous secret during rotation, and a header carrying several v1 values', async () => {
    expect((await deliver(store.url, completedBody(jobId()), { secrets: [OLD_SECRET] })).status).toBe(200)
    expect((await deliver(store.url, completedBody(jobId()), { secrets: ['whsec_retired', SECRET] })).status).toBe(200)
  })

  it('rejects stale and future timestamps and malformed headers with a short reason', async () => {
    const body = completedBody(jobId())
    expect(await deliver(store.url, body, { t: nowSeconds() - 301 })).toEqual({
      status: 401,
      json: { error: 'signature timestamp too old' }
    })
    expect(await deliver(store.url, body, { t: nowSeconds() + 301 })).toEqual({
      status: 401,
      json: { error: 'signature timestamp in the future' }
    })
    expect(await deliver(store.url, body, { header: 'v1=abc' })).toEqual({
      status: 401,
      json: { error: 'signature header has no t=' }
    })
    expect(await deliver(store.url, body, { header: `t=soon,v1=${'0'.repeat(64)}` })).toEqual({
      status: 401,
      json: { error: 'signature timestamp does not parse' }
    })
    expect(await deliver(store.url, body, { header: `t=${nowSeconds()}` })).toEqual({
      status: 401,
      json: { error: 'signature header has no v1=' }
    })
    const missing = await fetch(new URL('/v1/webhooks/pique', store.url), {
      method: 'POST',
      body: JSON.stringify(body)
    })
    expect(missing.status).toBe(401)
    expect(await missing.json()).toEqual({ error: 'missing signature header' })
  })

  it('answers 400 for a signed body that is not a result body', async () => {
    const notJson = await deliver(store.url, 'not json at all')
    expect(notJson.status).toBe(400)
    const noJob = await deliver(store.url, { status: 'completed', overall_score: 0.5 })
    expect(noJob).toEqual({ status: 400, json: { error: 'not a result body: job_id: is required' } })
  })

  it('stores a completed body without a usable score as received: readers make it that job’s evaluation error', async () => {
    // Refusing it would only make Pique retry the same body for hours.
    const noScore = await deliver(store.url, { job_id: jobId(), status: 'completed', overall_score: null })
    expect(noScore).toMatchObject({ status: 200, json: { ok: true, outcome: 'applied' } })
  })

  it('answers 413 beyond the body limit', async () => {
    const body = { ...completedBody(jobId()), padding: 'x'.repeat(20 * 1024) }
    const res = await deliver(store.url, body)
    expect(res.status).toBe(413)
  })

  it('treats a repeated delivery as a duplicate that changes nothing', async () => {
    const id = jobId()
    expect((await deliver(store.url, completedBody(id))).json.outcome).toBe('applied')
    const before = await stored(id)
    expect((await deliver(store.url, completedBody(id))).json).toEqual({ ok: true, job_id: id, outcome: 'duplicate' })
    expect(await stored(id)).toEqual(before)
  })

  it('keeps a completed job completed when a late pending (or a second terminal) event arrives', async () => {
    const id = jobId()
    await deliver(store.url, completedBody(id, 0.9))
    const before = await stored(id)
    expect((await deliver(store.url, pendingBody(id))).json.outcome).toBe('stale')
    expect((await deliver(store.url, pendingBody(id, 'processing'))).json.outcome).toBe('stale')
    expect((await deliver(store.url, completedBody(id, 0.1))).json.outcome).toBe('stale')
    expect(await stored(id)).toEqual(before)
    expect((before.json.result as Record<string, unknown>).overall_score).toBe(0.9)
  })

  it('moves a job forward through its stages and never back', async () => {
    const id = jobId()
    await deliver(store.url, pendingBody(id))
    await deliver(store.url, pendingBody(id, 'processing'))
    expect((await deliver(store.url, pendingBody(id, 'pending'))).json.outcome).toBe('stale')
    expect((await stored(id)).json.status).toBe('processing')
    await deliver(store.url, {
      event: 'evaluation.failed',
      job_id: id,
      status: 'failed',
      error: 'Failed to process video'
    })
    expect((await stored(id)).json).toMatchObject({ status: 'failed', result: { error: 'Failed to process video' } })
  })

  it('keeps the newer of two events of the same stage, whatever order they arrive in', async () => {
    const id = jobId()
    const at = (second: number) => ({
      ...pendingBody(id, 'processing'),
      timestamp: `2026-11-23T10:00:0${second}.000000Z`
    })
    expect((await deliver(store.url, at(3))).json.outcome).toBe('applied')
    expect((await deliver(store.url, at(1))).json.outcome).toBe('stale')
    expect((await stored(id)).json.result).toEqual(at(3))
    expect((await deliver(store.url, at(5))).json.outcome).toBe('applied')
    expect((await stored(id)).json.result).toEqual(at(5))
  })

  it('commits concurrent deliveries together and acknowledges each one', async () => {
    const ids = Array.from({ length: 60 }, jobId)
    const answers = await Promise.all(ids.map(id => deliver(store.url, completedBody(id))))
    expect(answers.every(a => a.status === 200 && a.json.outcome === 'applied')).toBe(true)
    const res = await read(store.url, '/v1/jobs/query', { body: { job_ids: ids } })
    expect((res.json.jobs as unknown[]).length).toBe(60)
    expect(res.json.missing).toEqual([])
  })
})

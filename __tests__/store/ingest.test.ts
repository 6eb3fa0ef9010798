// Ingest against a real SQLite file and the real PostgreSQL: verification, body checks, idempotency, ordering.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RunningStore } from '../../src/store/options.js'
import { startStore } from '../../src/store/server.js'
import { request } from 'node:http'
import { verifyDelivery, signatureHeader } from '../../src/pique/signature.js'
import { MAX_JSON_DEPTH } from '../../src/store/body.js'
import {
  OLD_SECRET,
  SECRET,
  backends,
  completedBody,
  deliver,
  jobId,
  nowSeconds,
  pendingBody,
  post,
  read
} from './helpers.js'

/**
 * node:http POST of `size` bytes written in 64 KiB chunks as fast as the socket takes them (`declared`: with a
 * Content-Length; `ask`: with Expect: 100-continue, writing only after the 100). Resolves with the answer and any
 * error the request saw (EPIPE, ECONNRESET).
 */
function sendSlowly(
  baseUrl: string,
  size: number,
  declared: boolean,
  ask = false
): Promise<{ status?: number; body?: unknown; error?: string; sent?: number }> {
  return new Promise(resolve => {
    const out: { status?: number; body?: unknown; error?: string; sent?: number } = {}
    const headers: Record<string, string | number> = { 'x-pique-signature': `t=${nowSeconds()},v1=00` }
    if (declared) headers['content-length'] = size
    if (ask) headers.expect = '100-continue'
    const req = request(new URL('/v1/webhooks/pique', baseUrl), { method: 'POST', headers })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    let written = 0
    const pump = () => {
      while (written < size) {
        written += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      req.end()
    }
    req.on('continue', () => {
      out.sent = 0
      pump()
    })
    req.on('response', res => {
      out.status = res.statusCode
      const parts: Buffer[] = []
      res.on('data', (c: Buffer) => parts.push(c))
      res.on('end', () => {
        out.body = JSON.parse(Buffer.concat(parts).toString('utf8'))
        // Give a late EPIPE/ECONNRESET on the request the chance to show.
        setTimeout(() => resolve(out), 100)
      })
    })
    req.on('error', e => {
      out.error = e.message
      resolve(out)
    })
    if (!ask) pump()
  })
}

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

  it('answers 400 for a signed body that cannot be filed under a job, saying why', async () => {
    expect(await deliver(store.url, 'not json at all')).toEqual({
      status: 400,
      json: { error: 'body is not JSON: unexpected "not" at line 1, column 1' }
    })
    expect(await deliver(store.url, { status: 'completed', overall_score: 0.5 })).toEqual({
      status: 400,
      json: { error: 'not a result body: job_id: is required' }
    })
    expect(await deliver(store.url, { job_id: jobId() })).toEqual({
      status: 400,
      json: { error: 'not a result body: body: has neither status nor event' }
    })
  })

  it("keeps a completed body without a usable score as completed: readers report it as the job's error", async () => {
    // Refusing it would make Pique retry for hours; the gate turns it into the job's evaluation error.
    const id = jobId()
    const body = { event: 'evaluation.completed', job_id: id, status: 'completed', overall_score: null }
    expect(await deliver(store.url, body)).toEqual({ status: 200, json: { ok: true, job_id: id, outcome: 'applied' } })
    expect((await stored(id)).json).toMatchObject({ status: 'completed', result: body })
  })

  // Each tolerance below is built from the exact delivery it tolerates (issue 9).
  it('keeps a delivery with an undocumented status as received, marked unrecognised and not final', async () => {
    const id = jobId()
    const raw = `{"event":"evaluation.pending","job_id":"${id}","status":"queued","timestamp":"2026-11-23T10:00:00Z"}`
    expect(await deliver(store.url, raw)).toEqual({
      status: 200,
      json: { ok: true, job_id: id, outcome: 'applied', unrecognised: 'status "queued" is not a documented job status' }
    })
    expect((await stored(id)).json).toMatchObject({ status: 'unrecognised', result: JSON.parse(raw) })
    // Not final: a long-poll after it keeps waiting, and a documented stage then replaces it.
    const { cursor } = (await read(store.url, '/v1/jobs/query', { body: { job_ids: [id] } })).json
    const started = Date.now()
    const waited = await read(store.url, '/v1/jobs/query', { body: { job_ids: [id], wait_seconds: 1, after: cursor } })
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(waited.json.jobs).toEqual([expect.objectContaining({ status: 'unrecognised' })])
    expect((await deliver(store.url, completedBody(id))).json.outcome).toBe('applied')
    // A later undocumented delivery never displaces a known stage.
    const late = await deliver(store.url, raw.replace('10:00:00', '10:09:00'))
    expect(late.json).toMatchObject({ outcome: 'stale', unrecognised: expect.any(String) })
    expect((await stored(id)).json).toMatchObject({ status: 'completed', result: completedBody(id) })
  })

  it('keeps a delivery with an undocumented event (and a documented status) as unrecognised', async () => {
    const id = jobId()
    const body = { event: 'evaluation.progress', job_id: id, status: 'processing', progress: 0.4 }
    expect((await deliver(store.url, body)).json).toEqual({
      ok: true,
      job_id: id,
      outcome: 'applied',
      unrecognised: 'event "evaluation.progress" is not a documented event'
    })
    expect((await stored(id)).json).toMatchObject({ status: 'unrecognised', result: body })
    const audit = await backend.sql('SELECT status, outcome FROM events WHERE job_id = ?', [id])
    expect(audit).toEqual([{ status: 'unrecognised', outcome: 'applied' }])
  })

  it('accepts a delivery carrying both header names when either verifies', async () => {
    const id = jobId()
    const raw = JSON.stringify(completedBody(id))
    const res = await post(store.url, raw, {
      'X-Pique-Signature': signatureHeader('whsec_wrong', nowSeconds(), raw),
      'X-Webhook-Signature': signatureHeader(SECRET, nowSeconds(), raw)
    })
    expect(res).toEqual({ status: 200, json: { ok: true, job_id: id, outcome: 'applied' } })
  })

  it('refuses a body that is not valid UTF-8, and keeps a valid one byte for byte (signature still matches)', async () => {
    const id = jobId()
    const t = nowSeconds()
    const latin1 = Buffer.concat([
      Buffer.from(`{"job_id":"${id}","status":"failed","error":"caf`),
      Buffer.from([0xe9, 0x22, 0x7d])
    ])
    const bad = await post(store.url, latin1, { 'X-Pique-Signature': signatureHeader(SECRET, t, latin1) })
    expect(bad).toEqual({
      status: 400,
      json: { error: `body is not valid UTF-8 (first bad byte at offset ${latin1.length - 3})` }
    })
    expect((await stored(id)).status).toBe(404)
    // Non-ASCII text, an escaped NUL, a BOM and odd spacing: all kept exactly as signed.
    const exact = Buffer.from(
      `\ufeff{ "job_id":"${id}", "status":"failed",\n "error":"caf\u00e9 \\u0000 ✓ 😀" }`,
      'utf8'
    )
    const header = signatureHeader(SECRET, t, exact)
    expect((await post(store.url, exact, { 'X-Pique-Signature': header })).status).toBe(200)
    const [row] = await backend.sql('SELECT body, signed_at FROM events WHERE job_id = ?', [id])
    expect(Buffer.from(String(row.body), 'utf8').equals(exact)).toBe(true)
    expect(
      verifyDelivery({
        headers: { 'x-pique-signature': header },
        rawBody: Buffer.from(String(row.body)),
        secrets: [SECRET],
        nowSeconds: Number(row.signed_at)
      }).ok
    ).toBe(true)
    expect((await stored(id)).json).toMatchObject({ status: 'failed', result: { error: 'café \u0000 ✓ 😀' } })
  })

  it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels, and accepts and serves one at the limit`, async () => {
    // `depth` levels of arrays inside the body's own object.
    const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`
    const tooDeep = await deliver(store.url, `{"job_id":"${jobId()}","status":"pending","x":${nested(MAX_JSON_DEPTH)}}`)
    expect(tooDeep).toEqual({
      status: 400,
      json: { error: `body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects` }
    })
    const id = jobId()
    const atLimit = `{"job_id":"${id}","status":"pending","x":${nested(MAX_JSON_DEPTH - 1)}}`
    expect((await deliver(store.url, atLimit)).status).toBe(200)
    expect((await stored(id)).json.result).toEqual(JSON.parse(atLimit))
    // Brackets inside strings are text, not nesting.
    expect((await deliver(store.url, { job_id: jobId(), status: 'pending', note: '['.repeat(500) })).status).toBe(200)
  })

  it('never lets one unreadable stored body block reads or a long-poll of other jobs', async () => {
    // A row kept before the depth limit existed: 100 000 levels deep, which JSON.stringify cannot write back.
    const bad = jobId()
    const deep = `{"job_id":"${bad}","status":"completed","overall_score":0.5,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    await backend.sql(
      "INSERT INTO jobs (job_id, status, result_json, seq, updated_at) VALUES (?, 'completed', ?, 0, '2026-11-23T10:00:00Z')",
      [bad, deep]
    )
    const good = jobId()
    expect((await stored(bad)).json).toMatchObject({ job_id: bad, status: 'completed', result: null })
    const { cursor } = (await read(store.url, '/v1/jobs/query', { body: { job_ids: [bad, good] } })).json
    const poll = read(store.url, '/v1/jobs/query', { body: { job_ids: [bad, good], wait_seconds: 10, after: cursor } })
    await new Promise(r => setTimeout(r, 300))
    await deliver(store.url, completedBody(good))
    const answer = await poll
    expect(answer.status).toBe(200)
    expect(answer.json.jobs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ job_id: bad, result: null }),
        expect.objectContaining({ job_id: good, status: 'completed', result: completedBody(good) })
      ])
    )
  })

  it('records a replayed delivery (same signature and bytes) once, however often it arrives', async () => {
    const id = jobId()
    const raw = JSON.stringify(pendingBody(id))
    const header = { 'X-Pique-Signature': signatureHeader(SECRET, nowSeconds(), raw) }
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(store.url, raw, header)))
    expect(answers.every(a => a.status === 200)).toBe(true)
    for (let i = 0; i < 20; i++) expect((await post(store.url, raw, header)).status).toBe(200)
    expect(await backend.sql('SELECT outcome FROM events WHERE job_id = ?', [id])).toEqual([{ outcome: 'applied' }])
    // The same body signed at another moment is another delivery (a retry): it gets its own row.
    await deliver(store.url, raw, { t: nowSeconds() - 60 })
    expect(await backend.sql('SELECT outcome FROM events WHERE job_id = ? ORDER BY id', [id])).toEqual([
      { outcome: 'applied' },
      { outcome: 'duplicate' }
    ])
  })

  it('answers 413 beyond the body limit', async () => {
    const body = { ...completedBody(jobId()), padding: 'x'.repeat(20 * 1024) }
    const res = await deliver(store.url, body)
    expect(res.status).toBe(413)
  })

  it('answers 413 to a Node client still sending 8 MiB, which receives it instead of EPIPE', async () => {
    for (const declared of [true, false]) {
      const answer = await sendSlowly(store.url, 8 * 1024 * 1024, declared)
      expect(answer).toEqual({ status: 413, body: { error: `body larger than ${16 * 1024} bytes` }, error: undefined })
    }
  })

  it('answers 413 before the body is sent to a client that asks first (Expect: 100-continue)', async () => {
    const answer = await sendSlowly(store.url, 8 * 1024 * 1024, true, true)
    expect(answer).toEqual({ status: 413, body: { error: `body larger than ${16 * 1024} bytes` }, error: undefined })
    expect(answer.sent).toBeUndefined()
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

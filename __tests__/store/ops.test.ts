// Operations: health, readiness, metrics, JSON logs without secrets or bodies, migrations, the audit log, retention.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHmac } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import { signatureHeader } from '../../src/pique/signature.js'
import { MIGRATIONS } from '../../src/store/db/migrations.js'
import type { RunningStore } from '../../src/store/options.js'
import { startStore } from '../../src/store/server.js'
import {
  SECRET,
  TOKEN,
  completedBody,
  deliver,
  jobId,
  nowSeconds,
  pendingBody,
  post,
  read,
  sqliteBackend
} from './helpers.js'

describe('store operations (SQLite file)', () => {
  const backend = sqliteBackend()
  const logs: string[] = []
  let store: RunningStore
  const dbPath = () => backend.options().database!.slice('sqlite:'.length)
  const start = () => startStore({ ...backend.options(), logLevel: 'debug', logSink: line => logs.push(line) })

  beforeAll(async () => {
    await backend.setup()
    store = await start()
  })
  afterAll(async () => {
    await store?.close()
    await backend.teardown()
  })

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${store.url}/healthz`)).json()).toEqual({ ok: true })
    const ready = await fetch(`${store.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ok: true, database: 'sqlite' })
  })

  it('answers a wrong method on a known path with 405 and Allow, and only an unknown path with 404', async () => {
    const wrong = await fetch(`${store.url}/v1/webhooks/pique`, { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
    expect(await wrong.json()).toEqual({ error: 'DELETE is not allowed here; use POST' })
    const get = await fetch(`${store.url}/v1/jobs/job_1?x=1`, { method: 'PUT' })
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'GET'])
    const unknown = await fetch(`${store.url}/v1/nothing-here`, { method: 'DELETE' })
    expect([unknown.status, unknown.headers.get('allow'), await unknown.json()]).toEqual([
      404,
      null,
      { error: 'no such endpoint' }
    ])
  })

  it('counts deliveries by outcome and verification failures in Prometheus metrics', async () => {
    const id = jobId()
    await deliver(store.url, completedBody(id))
    await deliver(store.url, completedBody(id))
    await deliver(store.url, completedBody(jobId()), { secrets: ['nope'] })
    const res = await fetch(`${store.url}/metrics`)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await res.text()
    expect(text).toMatch(/pique_store_deliveries_total\{outcome="applied"\} [1-9]/)
    expect(text).toMatch(/pique_store_deliveries_total\{outcome="duplicate"\} [1-9]/)
    expect(text).toMatch(/pique_store_deliveries_total\{outcome="unauthorized"\} [1-9]/)
    expect(text).toMatch(/pique_store_signature_failures_total\{reason="no_match"\} [1-9]/)
    expect(text).toMatch(/pique_store_ingest_duration_seconds_count [1-9]/)
    expect(text).toMatch(/pique_store_waiters 0/)
  })

  it('labels signature failures with a small fixed set of reasons, whatever the header says', async () => {
    const t = nowSeconds()
    const rejected = [
      await deliver(store.url, completedBody(jobId()), { t: t - 3600 }),
      await deliver(store.url, completedBody(jobId()), { t: t + 3600 }),
      await deliver(store.url, completedBody(jobId()), { header: 't=soon,v1=abc' }),
      await deliver(store.url, completedBody(jobId()), { header: `t=${t},v1=abc,alg=md5-${jobId()}` }),
      await deliver(store.url, completedBody(jobId()), { headerName: 'X-Other-Signature' })
    ]
    // The sender still reads the short human reason.
    expect(rejected.map(r => [r.status, r.json.error])).toEqual([
      [401, 'signature timestamp too old'],
      [401, 'signature timestamp in the future'],
      [401, 'signature timestamp does not parse'],
      [401, expect.stringMatching(/^unsupported alg md5-job_/)],
      [401, 'missing signature header']
    ])
    const text = await (await fetch(`${store.url}/metrics`)).text()
    const counts = Object.fromEntries(
      [...text.matchAll(/^pique_store_signature_failures_total\{reason="([^"]*)"\} (\d+)$/gm)].map(m => [
        m[1],
        Number(m[2])
      ])
    )
    expect(Object.keys(counts).sort()).toEqual(['future', 'missing', 'no_match', 'not_enabled', 'stale', 'unparsable'])
    expect(counts).toMatchObject({ stale: 1, future: 1, unparsable: 2, missing: 1 })
  })

  it('writes one JSON object per log line, with no secrets, tokens or bodies', async () => {
    await deliver(store.url, { ...completedBody(jobId()), rationale_marker: 'BODY-MARKER' })
    await read(store.url, '/v1/jobs/query', { body: { job_ids: ['x'] }, token: 'wrong-token-value' })
    expect(logs.length).toBeGreaterThan(2)
    for (const line of logs) {
      const entry = JSON.parse(line) as Record<string, unknown>
      expect(entry).toEqual(
        expect.objectContaining({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) })
      )
      for (const secret of [SECRET, TOKEN, 'wrong-token-value', 'BODY-MARKER']) expect(line).not.toContain(secret)
    }
    expect(logs.some(l => l.includes('"msg":"delivery rejected"') && l.includes('signature does not match'))).toBe(true)
  })

  it('says which header and format arrived and which check failed, in metrics and the rejection log line', async () => {
    const body = completedBody(jobId())
    const raw = JSON.stringify(body)
    const bodyOnly = createHmac('sha256', SECRET).update(raw).digest('hex')
    logs.length = 0
    const res = await post(store.url, raw, {
      'X-Pique-Signature': signatureHeader(SECRET, nowSeconds() - 3600, raw),
      'X-Webhook-Signature': `sha256=${bodyOnly}`
    })
    expect(res).toEqual({
      status: 401,
      json: {
        error:
          'X-Pique-Signature: signature timestamp too old; X-Webhook-Signature: body-only signature (no timestamp) not accepted'
      }
    })
    const line = JSON.parse(logs.find(l => l.includes('delivery rejected'))!) as Record<string, unknown>
    expect(line).toMatchObject({
      failure: 'stale',
      signatures: 'X-Pique-Signature t_v1 stale, X-Webhook-Signature sha256 not_enabled'
    })
    for (const secret of [SECRET, bodyOnly, raw]) expect(JSON.stringify(logs)).not.toContain(secret)
    const text = await (await fetch(`${store.url}/metrics`)).text()
    expect(text).toMatch(
      /pique_store_signature_checks_total\{header="x-pique-signature",format="t_v1",result="stale"\} [1-9]/
    )
    expect(text).toMatch(
      /pique_store_signature_checks_total\{header="x-webhook-signature",format="sha256",result="not_enabled"\} 1/
    )
    // The sha256= header alone: the log line points at the opt-in.
    logs.length = 0
    await post(store.url, raw, { 'X-Webhook-Signature': `sha256=${bodyOnly}` })
    expect(logs.find(l => l.includes('delivery rejected'))).toContain('--accept-body-only-signatures')
  })

  it('counts deliveries kept as unrecognised and logs why, without the body', async () => {
    logs.length = 0
    const id = jobId()
    await deliver(store.url, { event: 'evaluation.pending', job_id: id, status: 'queued', marker: 'BODY-MARKER' })
    const text = await (await fetch(`${store.url}/metrics`)).text()
    expect(text).toMatch(/pique_store_unrecognised_deliveries_total [1-9]/)
    const line = logs.find(l => l.includes('delivery unrecognised'))!
    expect(JSON.parse(line)).toMatchObject({
      level: 'info',
      job_id: id,
      why: 'status "queued" is not a documented job status'
    })
    expect(line).not.toContain('BODY-MARKER')
  })

  it('keeps every accepted delivery, duplicates and stale ones included, in an append-only events log', async () => {
    const id = jobId()
    await deliver(store.url, completedBody(id))
    // Pique's retry is signed anew (another t): a second delivery of the same body, so a second row.
    await deliver(store.url, completedBody(id), { t: nowSeconds() - 100 })
    await deliver(store.url, pendingBody(id))
    const db = new DatabaseSync(dbPath())
    try {
      const rows = db.prepare('SELECT outcome, status, body FROM events WHERE job_id = ? ORDER BY id').all(id)
      expect(rows.map(r => r.outcome)).toEqual(['applied', 'duplicate', 'stale'])
      expect(JSON.parse(String(rows[0].body))).toEqual(completedBody(id))
      expect(() => db.prepare("UPDATE events SET outcome = 'applied' WHERE job_id = ?").run(id)).toThrow(/append-only/)
    } finally {
      db.close()
    }
  })

  it('applies migrations once and deletes events past retention at start', async () => {
    await store.close()
    const db = new DatabaseSync(dbPath())
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString()
    db.prepare(
      "INSERT INTO events (job_id, status, outcome, signed_at, received_at, body) VALUES ('job_old', 'completed', 'applied', 0, ?, '{}')"
    ).run(old)
    db.close()
    store = await startStore({ ...backend.options(), retentionDays: 30 })
    const after = new DatabaseSync(dbPath())
    const oldEvents = () => Number(after.prepare("SELECT count(*) AS n FROM events WHERE job_id = 'job_old'").get()?.n)
    try {
      // Retention runs in the background right after start.
      for (let i = 0; i < 100 && oldEvents() > 0; i++) await new Promise(r => setTimeout(r, 50))
      expect(oldEvents()).toBe(0)
      expect(Number(after.prepare('SELECT count(*) AS n FROM events').get()?.n)).toBeGreaterThan(0)
      expect(
        after
          .prepare('SELECT version FROM schema_migrations ORDER BY version')
          .all()
          .map(r => r.version)
      ).toEqual(MIGRATIONS.map(m => m.version))
    } finally {
      after.close()
    }
  })

  it('refuses to start without a webhook secret', async () => {
    await expect(startStore({ ...backend.options(), webhookSecrets: [] })).rejects.toThrow(/webhook secret/)
  })
})

describe('store shutdown', () => {
  const backend = sqliteBackend()
  beforeAll(() => backend.setup())
  afterAll(() => backend.teardown())

  it('answers parked long-polls at once on close, and counts waiters while they wait', async () => {
    const store = await startStore(backend.options())
    const id = jobId()
    await deliver(store.url, pendingBody(id))
    const first = await read(store.url, '/v1/jobs/query', { body: { job_ids: [id] } })
    const waiting = read(store.url, '/v1/jobs/query', {
      body: { job_ids: [id], wait_seconds: 20, after: first.json.cursor }
    })
    await new Promise(r => setTimeout(r, 200))
    expect(await (await fetch(`${store.url}/metrics`)).text()).toMatch(/pique_store_waiters 1/)
    const t0 = Date.now()
    await store.close()
    const answer = await waiting
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(answer.status).toBe(200)
    expect(answer.json.jobs).toEqual([expect.objectContaining({ job_id: id, status: 'pending' })])
  })
})

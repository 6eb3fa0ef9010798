// The read API through StoreClient and raw HTTP: auth, register + batch, long-poll wake-ups (one instance on
// each backend, and across two instances sharing one PostgreSQL database).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { StoreClient } from '../../src/store/client.js'
import type { RunningStore } from '../../src/store/options.js'
import { startStore } from '../../src/store/server.js'
import { TOKEN, backends, completedBody, deliver, jobId, pendingBody, postgresBackend, read } from './helpers.js'

const register = (id: string, batch: string) => ({
  job_id: id,
  url: `https://www.tiktok.com/@a/video/${id}`,
  batch_id: batch,
  judge_id: 'judge_1',
  repository: 'org/repo',
  commit: 'abc123'
})

describe.each(backends())('reads on $name', backend => {
  let store: RunningStore
  let client: StoreClient

  beforeAll(async () => {
    await backend.setup()
    store = await startStore({ ...backend.options(), readTokens: ['old-token', TOKEN] })
    client = new StoreClient({ baseUrl: store.url, token: TOKEN })
  })
  afterAll(async () => {
    await store?.close()
    await backend.teardown()
  })

  it('refuses reads without the bearer token or with a wrong one', async () => {
    const id = jobId()
    await deliver(store.url, completedBody(id))
    for (const token of [null, 'wrong', `${TOKEN}x`, '']) {
      expect(await read(store.url, `/v1/jobs/${id}`, { token })).toEqual({
        status: 401,
        json: { error: 'missing or wrong read token' }
      })
      expect((await read(store.url, '/v1/jobs/query', { token, body: { job_ids: [id] } })).status).toBe(401)
      expect((await read(store.url, '/v1/jobs/register', { token, body: { jobs: [register(id, 'b')] } })).status).toBe(
        401
      )
      expect((await read(store.url, '/v1/batches/b', { token })).status).toBe(401)
    }
    expect((await read(store.url, `/v1/jobs/${id}`, { token: 'old-token' })).status).toBe(200)
    await expect(new StoreClient({ baseUrl: store.url, token: 'wrong' }).query({ job_ids: [id] })).rejects.toThrow(
      /401.*check store-token/
    )
  })

  it('registers jobs and answers by batch, with results once webhooks arrive', async () => {
    const batch = `batch_${jobId()}`
    const [a, b] = [jobId(), jobId()]
    await client.register([register(a, batch), register(b, batch)])
    await deliver(store.url, completedBody(a, 0.7))
    const answer = await client.batch(batch)
    expect(answer?.batch_id).toBe(batch)
    const byId = Object.fromEntries((answer?.jobs ?? []).map(j => [j.job_id, j]))
    expect(byId[a]).toMatchObject({
      status: 'completed',
      batch_id: batch,
      judge_id: 'judge_1',
      repository: 'org/repo',
      commit: 'abc123'
    })
    expect(byId[a].result).toMatchObject({ overall_score: 0.7 })
    expect(byId[b]).toMatchObject({ status: 'unknown', result: null, seq: 0, url: register(b, batch).url })
    expect(await client.batch('batch_never_registered')).toBeUndefined()
    expect(await client.job('job_never_seen')).toBeUndefined()
  })

  it('rejects a malformed query with a one-line reason', async () => {
    const res = await read(store.url, '/v1/jobs/query', { body: { job_ids: [], wait_seconds: 99 } })
    expect(res.status).toBe(400)
    expect(res.json.error).toMatch(/^job_ids: /)
  })

  it('answers a query at once with known, missing and a cursor', async () => {
    const [a, missing] = [jobId(), jobId()]
    await deliver(store.url, pendingBody(a))
    const res = await client.query({ job_ids: [a, missing], wait_seconds: 5 })
    expect(res.missing).toEqual([missing])
    expect(res.jobs[0]).toMatchObject({ job_id: a, status: 'pending' })
    expect(res.cursor).toBe(res.jobs[0].seq)
  })

  it('wakes a long-poll as soon as a requested job changes after the cursor', async () => {
    const [a, b] = [jobId(), jobId()]
    await deliver(store.url, pendingBody(a))
    const first = await client.query({ job_ids: [a, b] })
    const started = Date.now()
    const waiting = client.query({ job_ids: [a, b], wait_seconds: 20, after: first.cursor })
    await new Promise(r => setTimeout(r, 300))
    await deliver(store.url, completedBody(jobId())) // an unrelated job does not answer the wait
    await new Promise(r => setTimeout(r, 200))
    await deliver(store.url, completedBody(b, 0.4))
    const woke = await waiting
    expect(Date.now() - started).toBeLessThan(5000)
    expect(woke.jobs.find(j => j.job_id === b)).toMatchObject({ status: 'completed' })
    expect(woke.cursor).toBeGreaterThan(first.cursor)
  })

  it('returns at once when every requested job is terminal, and after the wait when nothing changes', async () => {
    const a = jobId()
    await deliver(store.url, completedBody(a))
    const first = await client.query({ job_ids: [a] })
    const t0 = Date.now()
    await client.query({ job_ids: [a], wait_seconds: 20, after: first.cursor })
    expect(Date.now() - t0).toBeLessThan(2000)
    const pending = jobId()
    await deliver(store.url, pendingBody(pending))
    const p = await client.query({ job_ids: [pending] })
    const t1 = Date.now()
    const res = await client.query({ job_ids: [pending], wait_seconds: 1, after: p.cursor })
    expect(Date.now() - t1).toBeGreaterThanOrEqual(900)
    expect(res.cursor).toBe(p.cursor)
  })

  it('answers with only the jobs changed after the cursor when asked (changed_only)', async () => {
    const [a, b, c, never] = [jobId(), jobId(), jobId(), jobId()]
    await deliver(store.url, pendingBody(a))
    await deliver(store.url, pendingBody(b))
    await deliver(store.url, pendingBody(c))
    const all = await client.query({ job_ids: [a, b, c, never], changed_only: true })
    expect(all.jobs.map(j => j.job_id).sort()).toEqual([a, b, c].sort())
    expect(all.missing).toEqual([never])
    const waiting = client.query({ job_ids: [a, b, c, never], wait_seconds: 20, after: all.cursor, changed_only: true })
    await new Promise(r => setTimeout(r, 200))
    await deliver(store.url, completedBody(b, 0.4))
    const news = await waiting
    expect(news.jobs.map(j => j.job_id)).toEqual([b])
    expect(news.jobs[0]).toMatchObject({ status: 'completed', result: expect.objectContaining({ overall_score: 0.4 }) })
    expect(news.missing).toEqual([never])
    expect(news.cursor).toBe(news.jobs[0].seq)
    // Without the flag, the same question gets every known job, as before.
    const full = await client.query({ job_ids: [a, b, c, never], after: all.cursor })
    expect(full.jobs).toHaveLength(3)
  })

  it('answers a cursor from before its database was replaced with every change, not none', async () => {
    // A reader whose cursor came from an older, longer database (the store restored or recreated mid-run).
    const a = jobId()
    await deliver(store.url, completedBody(a, 0.6))
    const res = await client.query({ job_ids: [a], after: 1_000_000_000, changed_only: true, wait_seconds: 5 })
    expect(res.jobs.map(j => j.job_id)).toEqual([a])
    expect(res.cursor).toBeLessThan(1_000_000_000)
  })

  it('long-polls for a wait that is not a whole number of milliseconds', async () => {
    // The gate computes waits from deadlines and overdue times; a fractional one once made every query fail
    // ("delay must be an integer") and the run fell back to the results endpoint.
    const pending = jobId()
    await deliver(store.url, pendingBody(pending))
    const p = await client.query({ job_ids: [pending] })
    for (const wait_seconds of [0.0005, 0.3125, 1.0000001]) {
      const t0 = Date.now()
      const res = await client.query({ job_ids: [pending], wait_seconds, after: p.cursor })
      expect(res.jobs.map(j => j.job_id)).toEqual([pending])
      expect(Date.now() - t0).toBeGreaterThanOrEqual(Math.floor(wait_seconds * 1000) - 20)
    }
  })
})

describe('two store instances on one PostgreSQL database', () => {
  const backend = postgresBackend()
  let one: RunningStore
  let two: RunningStore

  beforeAll(async () => {
    await backend.setup()
    ;[one, two] = await Promise.all([startStore(backend.options()), startStore(backend.options())])
  })
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()])
    await backend.teardown()
  })

  it('wakes a waiter on one instance when the other ingests', async () => {
    const id = jobId()
    const onTwo = new StoreClient({ baseUrl: two.url, token: TOKEN })
    const first = await onTwo.query({ job_ids: [id] })
    expect(first.missing).toEqual([id])
    const t0 = Date.now()
    const waiting = onTwo.query({ job_ids: [id], wait_seconds: 20, after: first.cursor })
    await new Promise(r => setTimeout(r, 300))
    expect((await deliver(one.url, completedBody(id))).status).toBe(200)
    const woke = await waiting
    expect(Date.now() - t0).toBeLessThan(5000)
    expect(woke.jobs).toEqual([expect.objectContaining({ job_id: id, status: 'completed' })])
  })

  it('hands out cursors in commit order across instances, so a waiter never misses a change', async () => {
    const ids = Array.from({ length: 40 }, jobId)
    const clients = [one, two].map(s => new StoreClient({ baseUrl: s.url, token: TOKEN }))
    let cursor = (await clients[1].query({ job_ids: ids })).cursor
    const seen = new Set<string>()
    const sending = Promise.all(ids.map((id, i) => deliver([one, two][i % 2].url, completedBody(id))))
    while (seen.size < ids.length) {
      const res = await clients[1].query({ job_ids: ids, wait_seconds: 5, after: cursor })
      for (const j of res.jobs) if (j.seq > cursor) seen.add(j.job_id)
      expect(res.cursor).toBeGreaterThanOrEqual(cursor)
      cursor = res.cursor
      if (res.jobs.length === ids.length && res.jobs.every(j => j.status === 'completed')) break
    }
    await sending
    expect(seen.size).toBe(ids.length)
  })
})

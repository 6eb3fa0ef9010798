// Upgrading a database created by an earlier store: its rows survive and the new rules apply to new deliveries.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { DatabaseSync } from 'node:sqlite'
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from '../../src/store/db/migrations.js'
import { startStore } from '../../src/store/server.js'
import { PG_URL, SECRET, backends, completedBody, jobId, nowSeconds, post, read } from './helpers.js'
import { signatureHeader } from '../../src/pique/signature.js'

/** The schema as version 1 of the store left it, with two identical audit rows (replays were logged then). */
async function createVersion1(backend: ReturnType<typeof backends>[number], id: string): Promise<void> {
  const v1 = MIGRATIONS[0]
  const rows = `INSERT INTO events (job_id, status, outcome, signed_at, received_at, body)
    VALUES ('${id}', 'completed', 'applied', 1, '2026-11-20T00:00:00Z', '{}'), ('${id}', 'completed', 'duplicate', 1, '2026-11-20T00:00:00Z', '{}');
    INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, 'v1', '2026-11-20T00:00:00Z');`
  if (backend.name === 'sqlite') {
    const path = backend.options().database!.slice('sqlite:'.length)
    const db = new DatabaseSync(path)
    db.exec(`${MIGRATIONS_TABLE_SQL}; ${v1.sqlite}; ${rows}`)
    db.close()
  } else {
    const schema = backend.options().databaseSchema!
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    await client.query(
      `CREATE SCHEMA "${schema}"; SET search_path = "${schema}"; ${MIGRATIONS_TABLE_SQL}; ${v1.postgres}; ${rows}`
    )
    await client.end()
  }
}

describe.each(backends())('migration to one audit row per delivery on $name', backend => {
  beforeAll(() => backend.setup())
  afterAll(() => backend.teardown())

  it('keeps the old rows and records new replays once', async () => {
    const old = jobId()
    await createVersion1(backend, old)
    const store = await startStore(backend.options())
    try {
      expect(await backend.sql('SELECT outcome FROM events WHERE job_id = ? ORDER BY id', [old])).toEqual([
        { outcome: 'applied' },
        { outcome: 'duplicate' }
      ])
      const versions = await backend.sql('SELECT version FROM schema_migrations ORDER BY version')
      expect(versions.map(v => Number(v.version))).toEqual(MIGRATIONS.map(m => m.version))
      const id = jobId()
      const raw = JSON.stringify(completedBody(id))
      const header = { 'X-Pique-Signature': signatureHeader(SECRET, nowSeconds(), raw) }
      for (let i = 0; i < 5; i++) expect((await post(store.url, raw, header)).status).toBe(200)
      expect(await backend.sql('SELECT count(*) AS n FROM events WHERE job_id = ?', [id])).toEqual([
        { n: backend.name === 'sqlite' ? 1 : '1' }
      ])
      expect((await read(store.url, `/v1/jobs/${id}`)).json).toMatchObject({ status: 'completed' })
    } finally {
      await store.close()
    }
  })
})

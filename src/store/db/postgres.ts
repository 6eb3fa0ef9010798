/**
 * PostgreSQL backend (pg). Same tables and rules as SQLite; several store instances may share one database.
 * Each ingest group locks the single `store_state` row first, so sequences are handed out in commit order
 * across instances (a cursor never skips a change). A NOTIFY in the same transaction tells the other instances'
 * waiters to re-read; it is only a hint, the database is always read again.
 */
import pg from 'pg'
import type { ResultLookupRequest, StoredJob } from '../protocol.js'
import * as rules from './backend.js'
import type { IncomingEvent, IngestCommit, JobRow, RegisteredJob, StoreBackend } from './backend.js'
import { type HistoryRow, historySelect, identifiedJobs } from './history.js'
import { MIGRATIONS_TABLE_SQL, pendingMigrations } from './migrations.js'

/** NOTIFY payloads are capped at 8000 bytes; a larger change list becomes "anything changed". */
const MAX_NOTIFY_PAYLOAD = 7900
const RECONNECT_DELAY_MS = 500
/** An unreachable database fails requests (503, /readyz) in this time instead of hanging them. */
const CONNECT_TIMEOUT_MS = 5000

const historySql = (withBase: boolean) =>
  historySelect(withBase)
    .replace(':identity_filter', '= ANY($2::text[])')
    .replaceAll(':fingerprint', '$1')
    .replaceAll(':base_repository', '$3::text')
    .replaceAll(':base_ref', '$4::text')
const HISTORY_SQL = historySql(false)
const HISTORY_WITH_BASE_SQL = historySql(true)

export interface PostgresBackendOptions {
  url: string
  schema: string
  poolSize: number
  /** Told about listener trouble (never with the URL's password). */
  onListenerError?: (message: string) => void
}

export class PostgresBackend implements StoreBackend {
  readonly kind = 'postgres' as const
  /** The next group waits on the state-row lock while the previous one commits: no round trip is idle. */
  readonly groupConcurrency = 2
  private readonly pool: pg.Pool
  private readonly channel: string
  private listener: pg.Client | undefined
  private remoteListeners: ((jobIds: string[] | null) => void)[] = []
  private closed = false

  private constructor(private readonly options: PostgresBackendOptions) {
    this.channel = `pique_store.${options.schema}`
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      options: `-c search_path=${options.schema}`
    })
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => {})
  }

  static async open(options: PostgresBackendOptions): Promise<PostgresBackend> {
    const backend = new PostgresBackend(options)
    try {
      await backend.migrate()
      await backend.listen()
    } catch (error) {
      await backend.close()
      throw error
    }
    return backend
  }

  private async withTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      const out = await work(client)
      await client.query('COMMIT')
      return out
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  private async migrate(): Promise<void> {
    const schema = this.options.schema
    await this.withTransaction(async c => {
      // Instances starting together take turns; the lock is per schema.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pique_store_migrate.${schema}`])
      await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
      await c.query(MIGRATIONS_TABLE_SQL)
      const applied = (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        r => r.version
      )
      for (const m of pendingMigrations(applied)) {
        await c.query(m.postgres)
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          new Date().toISOString()
        ])
      }
    })
  }

  private async listen(): Promise<void> {
    if (this.closed) return
    const client = new pg.Client({ connectionString: this.options.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
    client.on('notification', msg => {
      if (msg.channel !== this.channel) return
      let ids: string[] | null = null
      try {
        const parsed: unknown = JSON.parse(msg.payload ?? '')
        if (Array.isArray(parsed)) ids = parsed.map(String)
      } catch {
        ids = null
      }
      for (const l of this.remoteListeners) l(ids)
    })
    const reconnect = (why: string) => {
      if (this.listener !== client || this.closed) return
      this.listener = undefined
      this.options.onListenerError?.(why)
      client.end().catch(() => {})
      setTimeout(() => {
        this.listen()
          // Changes may have been missed while disconnected: every waiter re-reads.
          .then(() => this.remoteListeners.forEach(l => l(null)))
          .catch((e: unknown) => reconnect(e instanceof Error ? e.message : String(e)))
      }, RECONNECT_DELAY_MS).unref()
    }
    client.on('error', e => reconnect(e.message))
    client.on('end', () => reconnect('listener connection ended'))
    this.listener = client
    try {
      await client.connect()
      await client.query(`LISTEN "${this.channel}"`)
    } catch (error) {
      if (this.listener === client) this.listener = undefined
      client.end().catch(() => {})
      throw error
    }
  }

  /** Four round trips: lock (with BEGIN), read the current rows, write everything in one statement, COMMIT. */
  async ingest(events: IncomingEvent[]): Promise<IngestCommit> {
    const client = await this.pool.connect()
    try {
      const [, locked] = (await client.query(
        'BEGIN; SELECT seq FROM store_state WHERE id = 1 FOR UPDATE'
      )) as unknown as pg.QueryResult<{ seq: string }>[]
      const seqBefore = Number(locked.rows[0].seq)
      // A new statement, so a new snapshot: it sees everything committed before the lock was granted.
      const rows = await client.query(`SELECT ${rules.CURRENT_JOB_COLUMNS} FROM jobs WHERE job_id = ANY($1::text[])`, [
        rules.uniqueSorted(events.map(e => e.jobId))
      ])
      const plan = rules.planIngest(rules.currentJobs(rows.rows), events, seqBefore)
      const ev = plan.events
      const js = plan.jobs
      const changed = JSON.stringify(js.map(j => j.jobId))
      await client.query(
        `WITH logged AS (
           INSERT INTO events (job_id, status, outcome, signed_at, received_at, body, body_sha256)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::text[], $17::text[])
           ON CONFLICT DO NOTHING
         ), changed AS (
           INSERT INTO jobs (job_id, status, result_json, event_timestamp, seq, updated_at)
           SELECT * FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::timestamptz[])
           ON CONFLICT (job_id) DO UPDATE SET status = excluded.status, result_json = excluded.result_json,
             event_timestamp = excluded.event_timestamp, seq = excluded.seq, updated_at = excluded.updated_at
         ), bumped AS (
           UPDATE store_state SET seq = $13 WHERE id = 1
         )
         SELECT pg_notify($14, $15) WHERE $16::boolean`,
        [
          ev.map(e => e.event.jobId),
          ev.map(e => e.event.status),
          ev.map(e => e.outcome),
          ev.map(e => e.event.signedAt),
          ev.map(e => e.event.receivedAt.toISOString()),
          ev.map(e => e.event.rawBody),
          js.map(j => j.jobId),
          js.map(j => j.status),
          js.map(j => j.resultJson),
          js.map(j => j.eventTimestamp),
          js.map(j => j.seq),
          js.map(j => j.updatedAt),
          plan.seq,
          this.channel,
          Buffer.byteLength(changed) <= MAX_NOTIFY_PAYLOAD ? changed : '*',
          js.length > 0,
          ev.map(e => e.event.bodySha256)
        ]
      )
      await client.query('COMMIT')
      return rules.commitOf(plan)
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  async getJobs(jobIds: string[]): Promise<StoredJob[]> {
    const { rows } = await this.pool.query<JobRow>(
      `SELECT ${rules.JOB_COLUMNS} FROM jobs WHERE job_id = ANY($1::text[])`,
      [jobIds]
    )
    return rows.map(rules.toStoredJob)
  }

  async jobStates(jobIds: string[]): Promise<Pick<StoredJob, 'job_id' | 'status' | 'seq'>[]> {
    const { rows } = await this.pool.query<Pick<JobRow, 'job_id' | 'status' | 'seq'>>(
      'SELECT job_id, status, seq FROM jobs WHERE job_id = ANY($1::text[])',
      [jobIds]
    )
    return rows.map(rules.toJobState)
  }

  async batch(batchId: string): Promise<StoredJob[]> {
    const { rows } = await this.pool.query<JobRow>(
      `SELECT ${rules.JOB_COLUMNS} FROM jobs WHERE batch_id = $1 ORDER BY job_id`,
      [batchId]
    )
    return rows.map(rules.toStoredJob)
  }

  async register(jobs: RegisteredJob[]): Promise<void> {
    // One row per job id (the last wins), sorted: a stable lock order with concurrent ingests.
    const byId = new Map(jobs.map(j => [j.job_id, j]))
    const js = rules.uniqueSorted(byId.keys()).map(id => byId.get(id)!)
    const known = identifiedJobs(js)
    const now = new Date().toISOString()
    await this.pool.query(
      `WITH registered AS (
         INSERT INTO jobs (job_id, status, seq, updated_at, url, batch_id, judge_id, repository, commit_sha, registered_at)
         SELECT j, 'unknown', 0, $7::timestamptz, u, b, g, r, c, $7::timestamptz
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(j, u, b, g, r, c)
         ON CONFLICT (job_id) DO UPDATE SET url = excluded.url, batch_id = excluded.batch_id, judge_id = excluded.judge_id,
           repository = coalesce(excluded.repository, jobs.repository), commit_sha = coalesce(excluded.commit_sha, jobs.commit_sha),
           registered_at = coalesce(jobs.registered_at, excluded.registered_at)
       )
       INSERT INTO job_identities (job_id, judge_fingerprint, identity, ref, registered_at)
       SELECT j, f, i, r, $7::timestamptz FROM unnest($8::text[], $9::text[], $10::text[], $11::text[]) AS t(j, f, i, r)
       ON CONFLICT (job_id) DO UPDATE SET judge_fingerprint = excluded.judge_fingerprint, identity = excluded.identity,
         ref = coalesce(excluded.ref, job_identities.ref)`,
      [
        js.map(j => j.job_id),
        js.map(j => j.url),
        js.map(j => j.batch_id ?? null),
        js.map(j => j.judge_id),
        js.map(j => j.repository ?? null),
        js.map(j => j.commit ?? null),
        now,
        known.map(j => j.job_id),
        known.map(j => j.judge_fingerprint),
        known.map(j => j.identity),
        known.map(j => j.ref ?? null)
      ]
    )
  }

  async historyRows(req: ResultLookupRequest): Promise<HistoryRow[]> {
    const params = [req.judge_fingerprint, req.identities]
    const { rows } = req.base
      ? await this.pool.query<HistoryRow>(HISTORY_WITH_BASE_SQL, [...params, req.base.repository, req.base.ref])
      : await this.pool.query<HistoryRow>(HISTORY_SQL, params)
    return rows
  }

  async resultBodies(jobIds: string[]): Promise<Map<string, string | null>> {
    const { rows } = await this.pool.query<{ job_id: string; result_json: string | null }>(
      'SELECT job_id, result_json FROM jobs WHERE job_id = ANY($1::text[])',
      [jobIds]
    )
    return new Map(rows.map(r => [r.job_id, r.result_json]))
  }

  async latestSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>('SELECT seq FROM store_state WHERE id = 1')
    return Number(rows[0]?.seq ?? 0)
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1')
  }

  async pruneEvents(before: Date): Promise<number> {
    return (await this.pool.query('DELETE FROM events WHERE received_at < $1', [before.toISOString()])).rowCount ?? 0
  }

  onRemoteChange(listener: (jobIds: string[] | null) => void): void {
    this.remoteListeners.push(listener)
  }

  async close(): Promise<void> {
    this.closed = true
    const listener = this.listener
    this.listener = undefined
    await listener?.end().catch(() => {})
    await this.pool.end().catch(() => {})
  }
}

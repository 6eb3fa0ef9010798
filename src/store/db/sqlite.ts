/**
 * SQLite backend (node:sqlite). WAL with synchronous=FULL: a COMMIT has reached the disk before it returns, so a
 * 200 survives power loss. Reads run on this thread (WAL readers never wait for the writer); writes go to the
 * writer thread (sqlite-writer.ts). One store process per SQLite file.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { ResultLookupRequest, StoredJob } from '../protocol.js'
import * as rules from './backend.js'
import type { IncomingEvent, IngestCommit, JobRow, RegisteredJob, StoreBackend } from './backend.js'
import { type HistoryRow, historySelect, identifiedJobs } from './history.js'
import { MIGRATIONS_TABLE_SQL, pendingMigrations } from './migrations.js'
import { SqliteWriter } from './sqlite-writer.js'

const PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000'

const SQL = {
  insertEvent: `INSERT INTO events (job_id, status, outcome, signed_at, received_at, body, body_sha256)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  upsertJob: `INSERT INTO jobs (job_id, status, result_json, event_timestamp, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (job_id) DO UPDATE SET status = excluded.status, result_json = excluded.result_json,
      event_timestamp = excluded.event_timestamp, seq = excluded.seq, updated_at = excluded.updated_at`,
  setSeq: 'UPDATE store_state SET seq = ? WHERE id = 1',
  register: `INSERT INTO jobs (job_id, status, seq, updated_at, url, batch_id, judge_id, repository, commit_sha, registered_at)
    VALUES (?, 'unknown', 0, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (job_id) DO UPDATE SET url = excluded.url, batch_id = excluded.batch_id, judge_id = excluded.judge_id,
      repository = coalesce(excluded.repository, jobs.repository), commit_sha = coalesce(excluded.commit_sha, jobs.commit_sha),
      registered_at = coalesce(jobs.registered_at, excluded.registered_at)`,
  registerIdentity: `INSERT INTO job_identities (job_id, judge_fingerprint, identity, ref, registered_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (job_id) DO UPDATE SET judge_fingerprint = excluded.judge_fingerprint, identity = excluded.identity,
      ref = coalesce(excluded.ref, job_identities.ref)`,
  prune: 'DELETE FROM events WHERE received_at < ?'
} as const

const historySql = (withBase: boolean) =>
  historySelect(withBase).replace(':identity_filter', 'IN (SELECT value FROM json_each(:identities))')

export class SqliteBackend implements StoreBackend {
  readonly kind = 'sqlite' as const
  /** One group at a time: the writer is serial anyway, and a group cut after the previous commit holds every
   * delivery that arrived during it (fewest fsyncs). Each group is planned on the state its predecessor left. */
  readonly groupConcurrency = 1
  private readonly db: DatabaseSync
  private readonly writer: SqliteWriter
  private readonly stmt: Record<
    'current' | 'seq' | 'jobs' | 'states' | 'batch' | 'history' | 'historyWithBase' | 'bodies',
    StatementSync
  >

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true })
    this.db = new DatabaseSync(path)
    this.db.exec(PRAGMAS)
    this.migrate()
    const p = (sql: string) => this.db.prepare(sql)
    this.stmt = {
      current: p(`SELECT ${rules.CURRENT_JOB_COLUMNS} FROM jobs WHERE job_id IN (SELECT value FROM json_each(?))`),
      seq: p('SELECT seq FROM store_state WHERE id = 1'),
      jobs: p(`SELECT ${rules.JOB_COLUMNS} FROM jobs WHERE job_id IN (SELECT value FROM json_each(?))`),
      states: p('SELECT job_id, status, seq FROM jobs WHERE job_id IN (SELECT value FROM json_each(?))'),
      batch: p(`SELECT ${rules.JOB_COLUMNS} FROM jobs WHERE batch_id = ? ORDER BY job_id`),
      history: p(historySql(false)),
      historyWithBase: p(historySql(true)),
      bodies: p('SELECT job_id, result_json FROM jobs WHERE job_id IN (SELECT value FROM json_each(?))')
    }
    this.writer = new SqliteWriter(path, PRAGMAS)
  }

  /** Runs on this thread before the writer starts: nothing else writes yet. */
  private migrate(): void {
    this.db.exec('BEGIN IMMEDIATE')
    try {
      this.db.exec(MIGRATIONS_TABLE_SQL)
      const applied = this.db
        .prepare('SELECT version FROM schema_migrations')
        .all()
        .map(r => Number(r.version))
      for (const m of pendingMigrations(applied)) {
        this.db.exec(m.sqlite)
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(m.version, m.name, new Date().toISOString())
      }
      this.db.exec('COMMIT')
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK')
      throw error
    }
  }

  async ingest(events: IncomingEvent[]): Promise<IngestCommit> {
    const current = rules.currentJobs(
      this.stmt.current.all(JSON.stringify(rules.uniqueSorted(events.map(e => e.jobId))))
    )
    const seqBefore = Number(this.stmt.seq.get()!.seq)
    const plan = rules.planIngest(current, events, seqBefore)
    await this.writer.run([
      [
        SQL.insertEvent,
        plan.events.map(({ event: e, outcome }) => [
          e.jobId,
          e.status,
          outcome,
          e.signedAt,
          e.receivedAt.toISOString(),
          e.rawBody,
          e.bodySha256
        ])
      ],
      [SQL.upsertJob, plan.jobs.map(j => [j.jobId, j.status, j.resultJson, j.eventTimestamp, j.seq, j.updatedAt])],
      [SQL.setSeq, plan.seq !== seqBefore ? [[plan.seq]] : []]
    ])
    return rules.commitOf(plan)
  }

  async getJobs(jobIds: string[]): Promise<StoredJob[]> {
    return this.stmt.jobs.all(JSON.stringify(jobIds)).map(r => rules.toStoredJob(r as unknown as JobRow))
  }

  async jobStates(jobIds: string[]): Promise<Pick<StoredJob, 'job_id' | 'status' | 'seq'>[]> {
    return this.stmt.states
      .all(JSON.stringify(jobIds))
      .map(r => rules.toJobState(r as unknown as Pick<JobRow, 'job_id' | 'status' | 'seq'>))
  }

  async batch(batchId: string): Promise<StoredJob[]> {
    return this.stmt.batch.all(batchId).map(r => rules.toStoredJob(r as unknown as JobRow))
  }

  async register(jobs: RegisteredJob[]): Promise<void> {
    const now = new Date().toISOString()
    const sorted = [...jobs].sort((a, b) => (a.job_id < b.job_id ? -1 : 1))
    await this.writer.run([
      [
        SQL.register,
        sorted.map(j => [
          j.job_id,
          now,
          j.url,
          j.batch_id ?? null,
          j.judge_id,
          j.repository ?? null,
          j.commit ?? null,
          now
        ])
      ],
      [
        SQL.registerIdentity,
        identifiedJobs(sorted).map(j => [j.job_id, j.judge_fingerprint, j.identity, j.ref ?? null, now])
      ]
    ])
  }

  async historyRows(req: ResultLookupRequest): Promise<HistoryRow[]> {
    const params = { fingerprint: req.judge_fingerprint, identities: JSON.stringify(req.identities) }
    const rows = req.base
      ? this.stmt.historyWithBase.all({ ...params, base_repository: req.base.repository, base_ref: req.base.ref })
      : this.stmt.history.all(params)
    return rows as unknown as HistoryRow[]
  }

  async resultBodies(jobIds: string[]): Promise<Map<string, string | null>> {
    const rows = this.stmt.bodies.all(JSON.stringify(jobIds)) as { job_id: string; result_json: string | null }[]
    return new Map(rows.map(r => [r.job_id, r.result_json]))
  }

  async latestSeq(): Promise<number> {
    return Number((this.stmt.seq.get() as { seq: number | bigint }).seq)
  }

  async ping(): Promise<void> {
    this.stmt.seq.get()
  }

  async pruneEvents(before: Date): Promise<number> {
    return this.writer.run([[SQL.prune, [[before.toISOString()]]]])
  }

  /** One process owns a SQLite file: every change is local. */
  onRemoteChange(): void {}

  async close(): Promise<void> {
    await this.writer.close()
    if (this.db.isOpen) this.db.close()
  }
}

/**
 * The storage interface both backends (SQLite, PostgreSQL) implement, and the rules they share: which event
 * changes a job (idempotent by job_id, a terminal status is final, an older event never wins) and how a row
 * becomes a `StoredJob`. Backends only move rows; they decide nothing themselves.
 */
import { type JobStatus, isTerminalJobStatus, jobStatusRank } from '../../pique/limits.js'
import { storedBodyJson } from '../body.js'
import {
  type IngestResponse,
  type RegisterRequest,
  type ResultLookupRequest,
  type StoredJob,
  UNRECOGNISED_STATUS
} from '../protocol.js'
import type { HistoryRow } from './history.js'

/** A verified, parsed delivery waiting to be committed. */
export interface IncomingEvent {
  jobId: string
  /** `unrecognised`: the body's status or event is not a documented one (not final; never outranks a known stage). */
  status: JobStatus | typeof UNRECOGNISED_STATUS
  /** The body exactly as received (UTF-8). */
  rawBody: string
  /** SHA-256 (hex) of the raw body: with `signedAt`, what makes a replay of the same delivery the same audit row. */
  bodySha256: string
  /** The body's own `timestamp`, when sent: orders two events of the same stage. */
  eventTimestamp?: string
  /** The signature's `t`; 0 for a body-only signature (it has none). */
  signedAt: number
  receivedAt: Date
}

/** applied: the job changed; duplicate: same body as stored; stale: older or after a terminal status. */
export type IngestOutcome = IngestResponse['outcome']

export interface IngestCommit {
  outcomes: IngestOutcome[]
  /** Job ids whose state changed (long-poll wake-ups). */
  changed: string[]
}

export type RegisteredJob = RegisterRequest['jobs'][number]

export interface StoreBackend {
  readonly kind: 'sqlite' | 'postgres'
  /** Ingest groups in flight at once. */
  readonly groupConcurrency: number
  /** One transaction for the whole group; resolves only once it is durably committed. */
  ingest(events: IncomingEvent[]): Promise<IngestCommit>
  getJobs(jobIds: string[]): Promise<StoredJob[]>
  /** The status and sequence of each known job: what a long-poll checks on every wake, without the bodies. */
  jobStates(jobIds: string[]): Promise<Pick<StoredJob, 'job_id' | 'status' | 'seq'>[]>
  register(jobs: RegisteredJob[]): Promise<void>
  batch(batchId: string): Promise<StoredJob[]>
  /** The rows a results lookup is answered from (history.ts decides which answer what), in one query. */
  historyRows(req: ResultLookupRequest): Promise<HistoryRow[]>
  /** The stored result bodies (`result_json`, as stored) of these jobs; a job without one is absent or null. */
  resultBodies(jobIds: string[]): Promise<Map<string, string | null>>
  /** The store sequence of the newest committed change (0 for an empty store). */
  latestSeq(): Promise<number>
  /** Throws when the database is unreachable. */
  ping(): Promise<void>
  /** Deletes events received before `before`; returns how many. */
  pruneEvents(before: Date): Promise<number>
  /** Changes committed by other instances (null: anything may have changed). */
  onRemoteChange(listener: (jobIds: string[] | null) => void): void
  close(): Promise<void>
}

/** The part of a job row the ingest rules read. */
export interface CurrentJob {
  status: string
  resultJson: string | null
  eventTimestamp: string | null
}

export interface JobWrite {
  jobId: string
  status: IncomingEvent['status']
  resultJson: string
  eventTimestamp: string | null
  seq: number
  updatedAt: string
}

export interface EventWrite {
  event: IncomingEvent
  outcome: IngestOutcome
}

export interface IngestPlan {
  events: EventWrite[]
  /** At most one write per job (its final state in this group), sorted by job id for a stable lock order. */
  jobs: JobWrite[]
  /** The store sequence after this group. */
  seq: number
}

/** Status `unknown` marks a job that was registered but has no webhook yet. */
export const UNKNOWN_STATUS = 'unknown'

export function decide(current: CurrentJob | undefined, event: IncomingEvent): IngestOutcome {
  if (!current || current.status === UNKNOWN_STATUS) return 'applied'
  if (current.resultJson === event.rawBody) return 'duplicate'
  if (isTerminalJobStatus(current.status)) return 'stale'
  const was = rank(current.status)
  const now = rank(event.status)
  if (now !== was) return now > was ? 'applied' : 'stale'
  const before = Date.parse(current.eventTimestamp ?? '')
  const after = Date.parse(event.eventTimestamp ?? '')
  return Number.isFinite(before) && Number.isFinite(after) && after < before ? 'stale' : 'applied'
}

/** An unrecognised state ranks below every documented one: it is shown only while nothing better is known. */
function rank(status: string): number {
  return status === UNRECOGNISED_STATUS ? -1 : jobStatusRank(status as JobStatus)
}

/** Apply a group of events, in arrival order, to the current rows; each applied event takes the next sequence. */
export function planIngest(current: Map<string, CurrentJob>, events: IncomingEvent[], seqBefore: number): IngestPlan {
  let seq = seqBefore
  const writes = new Map<string, JobWrite>()
  const planned: EventWrite[] = events.map(event => {
    const outcome = decide(current.get(event.jobId), event)
    if (outcome === 'applied') {
      seq += 1
      const write: JobWrite = {
        jobId: event.jobId,
        status: event.status,
        resultJson: event.rawBody,
        eventTimestamp: event.eventTimestamp ?? null,
        seq,
        updatedAt: event.receivedAt.toISOString()
      }
      writes.set(event.jobId, write)
      current.set(event.jobId, {
        status: write.status,
        resultJson: write.resultJson,
        eventTimestamp: write.eventTimestamp
      })
    }
    return { event, outcome }
  })
  const jobs = [...writes.values()].sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0))
  return { events: planned, jobs, seq }
}

/** The rows the ingest rules read, by job id. */
export function currentJobs(rows: Iterable<Record<string, unknown>>): Map<string, CurrentJob> {
  const out = new Map<string, CurrentJob>()
  for (const r of rows) {
    out.set(String(r.job_id), {
      status: String(r.status),
      resultJson: (r.result_json ?? null) as string | null,
      eventTimestamp: (r.event_timestamp ?? null) as string | null
    })
  }
  return out
}

export const CURRENT_JOB_COLUMNS = 'job_id, status, result_json, event_timestamp'

/** What a committed plan tells the caller. */
export function commitOf(plan: IngestPlan): IngestCommit {
  return { outcomes: plan.events.map(e => e.outcome), changed: plan.jobs.map(j => j.jobId) }
}

export function uniqueSorted(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort()
}

/** A jobs row as both backends select it. */
export interface JobRow {
  job_id: string
  status: string
  result_json: string | null
  seq: number | string | bigint
  updated_at: string | Date
  url: string | null
  batch_id: string | null
  judge_id: string | null
  repository: string | null
  commit_sha: string | null
}

export const JOB_COLUMNS =
  'job_id, status, result_json, seq, updated_at, url, batch_id, judge_id, repository, commit_sha'

export function toJobState(
  row: Pick<JobRow, 'job_id' | 'status' | 'seq'>
): Pick<StoredJob, 'job_id' | 'status' | 'seq'> {
  return { job_id: row.job_id, status: row.status as StoredJob['status'], seq: Number(row.seq) }
}

export function toStoredJob(row: JobRow): StoredJob {
  const job: StoredJob = {
    job_id: row.job_id,
    status: row.status as StoredJob['status'],
    result: storedBodyJson(row.result_json) ?? null,
    seq: Number(row.seq),
    updated_at: row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at,
    url: row.url,
    batch_id: row.batch_id,
    judge_id: row.judge_id
  }
  if (row.repository !== null) job.repository = row.repository
  if (row.commit_sha !== null) job.commit = row.commit_sha
  return job
}

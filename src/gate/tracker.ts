/** The jobs being waited for and the results seen so far. A terminal result is final: later news is ignored. */
import { type EvaluationResult, type ResultNote, isTerminal } from '../pique/results.js'
import { resultState } from './verdict.js'

/** A reply that differed from the documented ones, said once: per value, and per job for a disagreement. */
export interface ResultNotice {
  jobId: string
  note: ResultNote
}

/** What the results-endpoint lookups of one job came to: for the report of a job that never finished. */
export interface LookupNote {
  /** Lookups made (each may have retried inside the client). */
  count: number
  /** Lookups that ended in an error (after the client's retries). */
  failed: number
  /** The last lookup's error, when it failed. */
  lastError?: string
  /** Set when the run's deadline cut the last lookup short (`lastError` then says how far it got). */
  stoppedByDeadline?: boolean
  /** Epoch ms of the last lookup that got an answer. */
  lastOkAt?: number
  /** Epoch ms of the last lookup. */
  lastAt: number
}

export class JobTracker {
  /**
   * The latest news of every job: its terminal result, or its last non-terminal status (shown for unfinished jobs).
   * A run may pass its own map, shared by the trackers of its retries, so a run that stops still reports them all.
   */
  readonly latest: Map<string, EvaluationResult>
  /** Epoch ms at which each finished job's result reached the gate (webhook via the store, or a lookup). */
  readonly finishedAt: Map<string, number>
  /** Results-endpoint lookups per job. */
  readonly lookups: Map<string, LookupNote>
  readonly total: number
  private readonly waiting: Set<string>
  private readonly noticed = new Set<string>()

  constructor(
    jobIds: readonly string[],
    private readonly threshold: number,
    /** Told about each new notice as it is first seen (the wait logs it). */
    private readonly onNotice?: (notice: ResultNotice) => void,
    shared: {
      latest?: Map<string, EvaluationResult>
      finishedAt?: Map<string, number>
      lookups?: Map<string, LookupNote>
    } = {}
  ) {
    this.lookups = shared.lookups ?? new Map()
    this.latest = shared.latest ?? new Map()
    this.finishedAt = shared.finishedAt ?? new Map()
    this.waiting = new Set(jobIds)
    this.total = this.waiting.size
  }

  get done(): number {
    return this.total - this.waiting.size
  }

  pending(): string[] {
    return [...this.waiting]
  }

  isPending(jobId: string): boolean {
    return this.waiting.has(jobId)
  }

  /** Records a result; true when it finished a job that was pending. */
  record(result: EvaluationResult, now = Date.now()): boolean {
    if (!this.waiting.has(result.jobId)) return false
    this.latest.set(result.jobId, result)
    for (const note of result.notes ?? []) this.notice(result.jobId, note)
    if (!isTerminal(result)) return false
    this.waiting.delete(result.jobId)
    this.finishedAt.set(result.jobId, now)
    return true
  }

  /**
   * Records how a lookup of `jobId` ended: an answer (no outcome fields), an error after the client's retries, or
   * cut short by the deadline (`deadline`, with the client's message in `error`).
   */
  noteLookup(jobId: string, outcome: { error?: string; deadline?: boolean }, now = Date.now()): void {
    const note = this.lookups.get(jobId) ?? { count: 0, failed: 0, lastAt: now }
    note.count++
    note.lastAt = now
    note.stoppedByDeadline = outcome.deadline === true
    if (outcome.error !== undefined) {
      note.failed++
      note.lastError = outcome.error
    } else {
      note.lastOkAt = now
      delete note.lastError
    }
    this.lookups.set(jobId, note)
  }

  /** Finished jobs below the threshold or failed. */
  failing(): number {
    let n = 0
    for (const [jobId, r] of this.latest) {
      if (this.waiting.has(jobId)) continue
      const state = resultState(r, this.threshold)
      if (state === 'below_threshold' || state === 'failed') n++
    }
    return n
  }

  private notice(jobId: string, note: ResultNote): void {
    // Polling repeats the same body: an undocumented value is said once per run, a disagreement once per job.
    const key = note.kind === 'disagreement' ? `${note.kind}:${jobId}` : `${note.kind}:${note.value}`
    if (this.noticed.has(key)) return
    this.noticed.add(key)
    this.onNotice?.({ jobId, note })
  }
}

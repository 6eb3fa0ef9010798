/**
 * Store mode: when is a job overdue, so that its webhook has probably been lost and the results endpoint should be
 * asked? Relative to what the run has seen: a job is overdue once it has taken `factor` times as long as the slowest
 * of its batch-mates that finished (jobs of one batch are queued and run together), or of any finished job when none
 * of its mates has, and never before `floorMs` after it was submitted. When nothing has finished yet there is
 * nothing to compare with: a job is due when the run has had no news for `quietMs`. A job looked up and still
 * unfinished (or whose lookup failed) is asked again later, the spacing doubling from `floorMs` up to `maxSpacingMs`.
 */

export interface SubmittedJob {
  batchId: string
  /** Epoch ms the batch was accepted. */
  submittedAt: number
}

export interface OverdueRules {
  /** No job is overdue sooner than this after its submit. */
  floorMs: number
  /** A job is overdue after this many times the slowest finished batch-mate's time. */
  factor: number
  /** Without any finished job to compare with, look pending jobs up after this long without news. */
  quietMs: number
  /** The longest spacing between two lookups of one job. */
  maxSpacingMs: number
}

/** The slowest finished job's time (ms from submit to result) per batch, and over all batches. */
export interface SlowestTimes {
  byBatch: ReadonlyMap<string, number>
  any?: number
}

export const OVERDUE_RULES: OverdueRules = { floorMs: 5_000, factor: 1.5, quietMs: 120_000, maxSpacingMs: 60_000 }

export class LookupSchedule {
  private readonly asked = new Map<string, { times: number; next: number }>()
  private lastNews: number

  constructor(
    private readonly jobs: ReadonlyMap<string, SubmittedJob>,
    /** When each finished job's result reached the gate (JobTracker.finishedAt). */
    private readonly finishedAt: ReadonlyMap<string, number>,
    private readonly rules: OverdueRules,
    now = Date.now()
  ) {
    this.lastNews = now
  }

  /** A job finished (a webhook or a lookup brought news): the quiet period starts again. */
  news(now = Date.now()): void {
    this.lastNews = now
  }

  /**
   * Each batch's slowest finished job and the slowest of all, in one pass over the finished jobs: computed once per
   * round, not once per pending job (that was quadratic, seconds of CPU at 10,000 jobs).
   */
  slowest(): SlowestTimes {
    const byBatch = new Map<string, number>()
    let any: number | undefined
    for (const [id, at] of this.finishedAt) {
      const mate = this.jobs.get(id)
      if (!mate) continue
      const took = at - mate.submittedAt
      const batch = byBatch.get(mate.batchId)
      if (batch === undefined || took > batch) byBatch.set(mate.batchId, took)
      if (any === undefined || took > any) any = took
    }
    return { byBatch, any }
  }

  /** Epoch ms from which `jobId` is overdue, by its batch-mates' times (or any finished job's), or the quiet rule. */
  overdueAt(jobId: string, slowest: SlowestTimes = this.slowest()): number {
    const job = this.jobs.get(jobId)
    const quiet = this.lastNews + this.rules.quietMs
    const basis = job ? (slowest.byBatch.get(job.batchId) ?? slowest.any) : undefined
    if (!job || basis === undefined) return quiet
    return Math.min(quiet, job.submittedAt + Math.max(this.rules.floorMs, this.rules.factor * basis))
  }

  /** When `jobId` should next be looked up. */
  dueAt(jobId: string, slowest: SlowestTimes = this.slowest()): number {
    return Math.max(this.overdueAt(jobId, slowest), this.asked.get(jobId)?.next ?? 0)
  }

  /** The pending jobs due for a lookup at `now`, most overdue first. */
  due(pending: readonly string[], now = Date.now()): string[] {
    const slowest = this.slowest()
    return pending
      .map(id => ({ id, at: this.dueAt(id, slowest) }))
      .filter(j => j.at <= now)
      .sort((a, b) => a.at - b.at)
      .map(j => j.id)
  }

  /** The earliest moment a pending job falls due (Infinity when none is pending). */
  nextDue(pending: readonly string[]): number {
    const slowest = this.slowest()
    let next = Infinity
    for (const id of pending) next = Math.min(next, this.dueAt(id, slowest))
    return next
  }

  /** `jobId` was looked up at `now` and is still unfinished (or the lookup failed): ask again later. */
  lookedUp(jobId: string, now = Date.now()): void {
    const times = (this.asked.get(jobId)?.times ?? 0) + 1
    const spacing = Math.min(this.rules.maxSpacingMs, this.rules.floorMs * 2 ** (times - 1))
    this.asked.set(jobId, { times, next: now + spacing })
  }
}

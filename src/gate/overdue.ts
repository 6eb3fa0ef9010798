/**
 * Store mode: when is a job overdue, so that its webhook has probably been lost and the results endpoint should be
 * asked? Relative to what the run has seen: a job is overdue once it has taken `factor` times as long as the slowest
 * of its batch-mates that finished (jobs of one batch are queued and run together), or of any finished job when none
 * of its mates has, and never before `floorMs` after it was submitted. When nothing has finished yet there is
 * nothing to compare with: a job is due when the run has had no news for `quietMs`. A job looked up and still
 * unfinished (or whose lookup failed) is asked again later, the spacing doubling from `floorMs` up to `maxSpacingMs`.
 */

import type { ItemOutcome } from '../model/index.js'

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
  /**
   * Without any finished job to compare with, look pending jobs up after this long without news (store mode:
   * suspect lost webhooks and ask the results endpoint).
   */
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
  /** The slowest times so far, folded from `finishedAt` as it grows (see `slowest`). */
  private readonly slowestByBatch = new Map<string, number>()
  private slowestAny: number | undefined
  private folded = 0
  private readonly unfolded: Iterator<[string, number]>

  constructor(
    private readonly jobs: ReadonlyMap<string, SubmittedJob>,
    /** When each finished job's result reached the gate (JobTracker.finishedAt): entries are only ever added. */
    private readonly finishedAt: ReadonlyMap<string, number>,
    private readonly rules: OverdueRules,
    now = Date.now()
  ) {
    this.lastNews = now
    this.unfolded = finishedAt.entries()
  }

  /** A job finished (a webhook or a lookup brought news): the quiet period starts again. */
  news(now = Date.now()): void {
    this.lastNews = now
  }

  /**
   * Each batch's slowest finished job and the slowest of all. Only the jobs finished since the last call are
   * folded in: recomputing over every finished job on each long-poll round cost a fifth of a second in the last
   * second of a 10,000-job run. The map iterator is live (it sees entries added after it was made) and is never
   * advanced past the last entry, so it never ends.
   */
  slowest(): SlowestTimes {
    while (this.folded < this.finishedAt.size) {
      const [id, at] = this.unfolded.next().value as [string, number]
      this.folded++
      const mate = this.jobs.get(id)
      if (!mate) continue
      const took = at - mate.submittedAt
      const batch = this.slowestByBatch.get(mate.batchId)
      if (batch === undefined || took > batch) this.slowestByBatch.set(mate.batchId, took)
      if (this.slowestAny === undefined || took > this.slowestAny) this.slowestAny = took
    }
    return { byBatch: this.slowestByBatch, any: this.slowestAny }
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
  due(pending: Iterable<string>, now = Date.now()): string[] {
    const slowest = this.slowest()
    const due: { id: string; at: number }[] = []
    for (const id of pending) {
      const at = this.dueAt(id, slowest)
      if (at <= now) due.push({ id, at })
    }
    return due.sort((a, b) => a.at - b.at).map(j => j.id)
  }

  /** The earliest moment a pending job falls due (Infinity when none is pending). */
  nextDue(pending: Iterable<string>): number {
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

/**
 * Each job's batch and submit time, so store mode can tell when one is overdue against its batch-mates. A media
 * file's job belongs to no batch: alone in one of its own, it is measured against the run's finished jobs (left out,
 * it had only the two quiet minutes, which every other job's news started again).
 */
export function submittedJobs(outcomes: readonly ItemOutcome[]): Map<string, SubmittedJob> {
  const jobs = new Map<string, SubmittedJob>()
  for (const o of outcomes)
    if (o.jobId && o.submittedAt)
      jobs.set(o.jobId, { batchId: o.batchId ?? `upload:${o.jobId}`, submittedAt: Date.parse(o.submittedAt) })
  return jobs
}

/** The jobs being waited for and the results seen so far. A terminal result is final: later news is ignored. */
import { type EvaluationResult, isTerminal } from '../pique/results.js'
import { resultState } from './verdict.js'

export class JobTracker {
  /** The latest news of every job: its terminal result, or its last non-terminal status (shown for unfinished jobs). */
  readonly latest = new Map<string, EvaluationResult>()
  readonly total: number
  private readonly waiting: Set<string>

  constructor(
    jobIds: readonly string[],
    private readonly threshold: number
  ) {
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
  record(result: EvaluationResult): boolean {
    if (!this.waiting.has(result.jobId)) return false
    this.latest.set(result.jobId, result)
    if (!isTerminal(result)) return false
    this.waiting.delete(result.jobId)
    return true
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
}

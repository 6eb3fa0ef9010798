/** The jobs being waited for and the terminal results seen so far. A terminal result is final: later news is ignored. */
import { type EvaluationResult, isTerminal } from '../pique/results.js'
import { resultState } from './verdict.js'

export class JobTracker {
  readonly results = new Map<string, EvaluationResult>()
  /** The latest news of every job: its terminal result, or its last non-terminal status (shown for unfinished jobs). */
  readonly latest = new Map<string, EvaluationResult>()
  private readonly waiting: Set<string>

  constructor(
    jobIds: readonly string[],
    private readonly threshold: number
  ) {
    this.waiting = new Set(jobIds)
  }

  get total(): number {
    return this.waiting.size + this.results.size
  }

  get done(): number {
    return this.results.size
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
    this.results.set(result.jobId, result)
    return true
  }

  /** Finished jobs below the threshold or failed. */
  failing(): number {
    let n = 0
    for (const r of this.results.values()) {
      const state = resultState(r, this.threshold)
      if (state === 'below_threshold' || state === 'failed') n++
    }
    return n
  }
}

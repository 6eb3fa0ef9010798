/**
 * Group commit: deliveries that arrive while a commit is running wait for the next one, and each commit writes
 * everything queued in one transaction. One fsync then acknowledges many deliveries, so throughput grows with
 * load instead of being capped at one commit per delivery. With `concurrency` > 1 the next group starts while
 * the previous one is still committing; the backend must then keep them in order (PostgreSQL: a row lock).
 */
interface Pending<T, R> {
  item: T
  resolve: (result: R) => void
  reject: (error: unknown) => void
}

export interface GroupCommitOptions {
  maxGroup?: number
  /** Groups in flight at once. */
  concurrency?: number
  onGroup?: (size: number) => void
}

export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = []
  private active = 0
  private scheduled = false
  private idle: (() => void)[] = []

  constructor(
    /** Commits `items` in one transaction and answers one result per item, in order. */
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions = {}
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  drain(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve()
    return new Promise(resolve => this.idle.push(resolve))
  }

  /** Cut a group on the next turn, so requests already readable on other sockets join it. */
  private schedule(): void {
    if (this.scheduled || this.active >= (this.options.concurrency ?? 1)) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.runGroup()
    })
  }

  private async runGroup(): Promise<void> {
    if (this.queue.length === 0) return this.settleIdle()
    const group = this.queue.splice(0, this.options.maxGroup ?? 1000)
    this.active += 1
    this.options.onGroup?.(group.length)
    try {
      const results = await this.flush(group.map(p => p.item))
      group.forEach((p, i) => p.resolve(results[i]))
    } catch (error) {
      group.forEach(p => p.reject(error))
    } finally {
      this.active -= 1
    }
    if (this.queue.length > 0) this.schedule()
    else this.settleIdle()
  }

  private settleIdle(): void {
    if (this.active === 0 && this.queue.length === 0) this.idle.splice(0).forEach(r => r())
  }
}

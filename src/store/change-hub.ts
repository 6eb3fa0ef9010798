/**
 * Wake-ups for long-poll waiters, by job id. A wake only means "read again": waiters always re-read the
 * database, so a spurious or duplicate wake costs one query and a missed local wake cannot happen because
 * waiters subscribe before their first read.
 */
type Wake = () => void

export class ChangeHub {
  private readonly byJob = new Map<string, Set<Wake>>()
  private readonly all = new Set<Wake>()

  /** Subscribe to changes of any of `jobIds`; returns the unsubscribe. */
  watch(jobIds: readonly string[], wake: Wake): () => void {
    const ids = [...new Set(jobIds)]
    this.all.add(wake)
    for (const id of ids) {
      let set = this.byJob.get(id)
      if (!set) this.byJob.set(id, (set = new Set()))
      set.add(wake)
    }
    return () => {
      this.all.delete(wake)
      for (const id of ids) {
        const set = this.byJob.get(id)
        set?.delete(wake)
        if (set?.size === 0) this.byJob.delete(id)
      }
    }
  }

  /** `null`: anything may have changed (wake everyone). */
  notify(jobIds: readonly string[] | null): void {
    if (jobIds === null) {
      for (const wake of [...this.all]) wake()
      return
    }
    const woken = new Set<Wake>()
    for (const id of jobIds) for (const wake of this.byJob.get(id) ?? []) woken.add(wake)
    for (const wake of woken) wake()
  }

  get waiters(): number {
    return this.all.size
  }
}

/** Every timer the emulator starts, so close and reset can cancel them all and leave no handle behind. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>()
  private controller = new AbortController()

  /** Aborted on clear: in-flight fetches (webhooks, video downloads) started before it listen to it. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  later(ms: number, fn: () => void): void {
    if (this.controller.signal.aborted) return
    const t = setTimeout(
      () => {
        this.pending.delete(t)
        fn()
      },
      Math.max(0, ms)
    )
    this.pending.add(t)
  }

  /** Cancels pending timers and in-flight work; new work may start afterwards (reset). */
  clear(): void {
    for (const t of this.pending) clearTimeout(t)
    this.pending.clear()
    this.controller.abort()
    this.controller = new AbortController()
  }

  /** Cancels everything for good (close). */
  dispose(): void {
    for (const t of this.pending) clearTimeout(t)
    this.pending.clear()
    this.controller.abort()
  }
}

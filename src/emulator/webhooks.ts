/**
 * Webhook deliveries: the result body (webhook spelling) POSTed to the batch's or the organization's URL,
 * signed with X-Pique-Signature, retried with exponential backoff on anything but 200 (at least once), plus
 * seeded delivery faults: dropped, duplicated, delayed and reordered deliveries.
 */
import { WEBHOOK } from '../pique/limits.js'
import { backoffCeilingMs } from '../pique/retry.js'
import { signatureHeader } from '../pique/signature.js'
import type { EmulatorFaults, WebhookRetryOptions } from './options.js'
import { chance } from './random.js'
import type { Timers } from './timers.js'

export interface DeliveryAttempt {
  url: string
  job_id: string
  event: string
  /** 1-based; 0 for a dropped delivery (never sent). */
  attempt: number
  /** HTTP status of the answer; null when none came (network error, timeout) or the delivery was dropped. */
  status: number | null
  time: string
  error?: string
  /** Set on the second copy of a duplicated delivery. */
  duplicate?: boolean
  dropped?: boolean
}

export interface Delivery {
  url: string
  secret: string
  jobId: string
  event: string
  /** The exact bytes sent (and signed) on every attempt. */
  body: string
  /** What seeded fault draws are keyed on (the submitted video URL): stable across runs, unlike job ids. */
  faultKey: string
  /** The signature header's name; X-Pique-Signature unless the realistic profile draws the other documented one. */
  headerName?: string
}

/**
 * Deliveries in flight at once, per emulator. A webhook sender works through a queue with a bounded pool: 10,000
 * completions at once as 10,000 simultaneous connections overflowed the receiver's listen queue, and every dropped
 * connection attempt cost a second (TCP's retransmit) before the store even saw the delivery.
 */
export const MAX_DELIVERIES_IN_FLIGHT = 256

export class WebhookDispatcher {
  private readonly occurrences = new Map<string, number>()
  private reorderBuffer: (() => void)[] = []
  private inFlight = 0
  /** Attempts waiting for a free slot, in the order they fell due (from `waitingHead`: no O(n) shift per slot). */
  private waiting: (() => void)[] = []
  private waitingHead = 0

  constructor(
    private readonly seed: number,
    private readonly retry: WebhookRetryOptions,
    private readonly faults: EmulatorFaults['webhooks'],
    private readonly timers: Timers,
    private readonly record: (attempt: DeliveryAttempt) => void
  ) {}

  /** Queues a delivery, applying the seeded faults. */
  enqueue(d: Delivery): void {
    const n = this.occurrences.get(d.faultKey) ?? 0
    this.occurrences.set(d.faultKey, n + 1)
    const draw = (what: string, p: number) => chance(this.seed, p, 'webhook', what, d.faultKey, n)
    if (draw('drop', this.faults.dropRate)) {
      this.record({
        url: d.url,
        job_id: d.jobId,
        event: d.event,
        attempt: 0,
        status: null,
        time: new Date().toISOString(),
        dropped: true
      })
      return
    }
    const copies = draw('duplicate', this.faults.duplicateRate) ? 2 : 1
    const delay = draw('delay', this.faults.delayRate) ? this.faults.delayMs : 0
    const start = () => {
      for (let copy = 0; copy < copies; copy++) void this.attempt(d, 1, copy > 0)
    }
    const release = () => (this.faults.reorderWindowMs > 0 ? this.buffer(start) : start())
    if (delay > 0) this.timers.later(delay, release)
    else release()
  }

  /** Deliveries due within one window go out together, last first. */
  private buffer(send: () => void): void {
    this.reorderBuffer.push(send)
    if (this.reorderBuffer.length > 1) return
    this.timers.later(this.faults.reorderWindowMs, () => {
      const batch = this.reorderBuffer.reverse()
      this.reorderBuffer = []
      for (const s of batch) s()
    })
  }

  private async attempt(d: Delivery, attempt: number, duplicate: boolean): Promise<void> {
    const cancelled = this.timers.signal
    if (cancelled.aborted) return
    await this.slot()
    if (cancelled.aborted) return this.release()
    const entry: DeliveryAttempt = {
      url: d.url,
      job_id: d.jobId,
      event: d.event,
      attempt,
      status: null,
      time: new Date().toISOString()
    }
    if (duplicate) entry.duplicate = true
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'pique-emulator',
          [d.headerName ?? WEBHOOK.signatureHeader]: signatureHeader(d.secret, Date.now() / 1000, d.body)
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.retry.timeoutMs), cancelled])
      })
      entry.status = res.status
      await res.arrayBuffer().catch(() => undefined)
    } catch (error) {
      if (cancelled.aborted) return
      const e = error as Error
      entry.error =
        e.name === 'TimeoutError'
          ? `no answer within ${this.retry.timeoutMs} ms`
          : ((e.cause as Error | undefined)?.message ?? e.message)
    } finally {
      this.release()
    }
    if (cancelled.aborted) return
    this.record(entry)
    if (entry.status === 200 || attempt >= this.retry.maxAttempts) return
    // No jitter: the emulator's timings stay reproducible for the same seed.
    this.timers.later(backoffCeilingMs(attempt, this.retry), () => void this.attempt(d, attempt + 1, duplicate))
  }

  /** Resolves once fewer than MAX_DELIVERIES_IN_FLIGHT attempts are in flight, taking a slot. */
  private slot(): Promise<void> {
    if (this.inFlight < MAX_DELIVERIES_IN_FLIGHT) {
      this.inFlight++
      return Promise.resolve()
    }
    return new Promise(resolve => this.waiting.push(resolve))
  }

  /** Hands the slot to the next waiting attempt, or frees it. */
  private release(): void {
    const next = this.waiting[this.waitingHead]
    if (!next) {
      this.inFlight--
      return
    }
    this.waitingHead++
    if (this.waitingHead === this.waiting.length) {
      this.waiting = []
      this.waitingHead = 0
    }
    next()
  }

  reset(): void {
    this.occurrences.clear()
    this.reorderBuffer = []
    // Waiting attempts see the cancelled signal (timers.clear aborts it) once they get their slot, and give it back.
  }
}

/**
 * Per-key rate limiting and seeded fault injection for the API endpoints. Faults are drawn from per-stream
 * counters, so the same seed and the same sequence of requests give the same faults in every run.
 */
import { STATUS_CODES } from 'node:http'
import type { EmulatorFaults, EndpointFault, EndpointName } from './options.js'
import { Streams } from './random.js'
import { compilePattern } from './scenario.js'

export interface Rejection {
  status: number
  detail: string
  headers: Record<string, string>
}

/** Used in X-RateLimit-Limit during a fault burst when no per-minute limit is configured (a realistic value). */
const BURST_REPORTED_LIMIT = 100

export class RequestGate {
  private readonly windows = new Map<string, { start: number; count: number }>()
  private readonly bursts = new Map<string, number>()
  private readonly streams: Streams

  constructor(
    seed: number,
    private readonly perMinute: number,
    private readonly faults: EmulatorFaults
  ) {
    this.streams = new Streams(seed)
  }

  /**
   * Counts the request against its key's minute window. Returns the X-RateLimit-* headers to send (empty when
   * no limit is configured) and a 429 rejection when over the limit or inside a fault burst.
   */
  admit(key: string, nowMs = Date.now()): { headers: Record<string, string>; rejection?: Rejection } {
    const start = Math.floor(nowMs / 60_000) * 60_000
    const resetSeconds = (start + 60_000) / 1000
    let headers: Record<string, string> = {}
    if (this.perMinute > 0) {
      const w = this.windows.get(key)
      const window = w && w.start === start ? w : { start, count: 0 }
      window.count++
      this.windows.set(key, window)
      const remaining = Math.max(0, this.perMinute - window.count)
      headers = {
        'X-RateLimit-Limit': String(this.perMinute),
        'X-RateLimit-Remaining': String(remaining),
        'X-RateLimit-Reset': String(resetSeconds)
      }
      if (window.count > this.perMinute) {
        const retryAfter = String(Math.max(1, Math.ceil(resetSeconds - nowMs / 1000)))
        return {
          headers,
          rejection: {
            status: 429,
            detail: `Rate limit exceeded: ${this.perMinute} requests per minute`,
            headers: { ...headers, 'Retry-After': retryAfter }
          }
        }
      }
    }
    const burst = this.faults.rateLimitBurst
    if (burst && burst.rate > 0) {
      const left = this.bursts.get(key) ?? 0
      const inBurst = left > 0 || this.streams.next('rate-limit-burst') < burst.rate
      if (inBurst) {
        this.bursts.set(key, left > 0 ? left - 1 : Math.max(0, burst.length - 1))
        const retryHeaders = {
          'X-RateLimit-Limit': String(this.perMinute || BURST_REPORTED_LIMIT),
          'X-RateLimit-Remaining': '0',
          // The second in which Retry-After ends, never later: a client honouring both must not wait past Retry-After.
          'X-RateLimit-Reset': String(Math.floor(nowMs / 1000 + burst.retryAfterSeconds)),
          'Retry-After': String(burst.retryAfterSeconds)
        }
        return {
          headers,
          rejection: { status: 429, detail: 'Too many requests (emulated burst)', headers: retryHeaders }
        }
      }
    }
    return { headers }
  }

  /**
   * The endpoint's configured fault, field by field: what its own entry sets, else the `*` entry's value. So a
   * latency given for one endpoint adds to an error rate given for all of them instead of replacing it.
   */
  faultFor(endpoint: EndpointName): EndpointFault | undefined {
    const all = this.faults.endpoints['*']
    const own = this.faults.endpoints[endpoint]
    if (!all || !own) return own ?? all
    return {
      errorRate: own.errorRate ?? all.errorRate,
      errorStatus: own.errorStatus ?? all.errorStatus,
      latencyMs: own.latencyMs ?? all.latencyMs
    }
  }

  /** An injected error for this request of the endpoint, if the draw says so. */
  injectedError(endpoint: EndpointName): Rejection | undefined {
    const fault = this.faultFor(endpoint)
    if (!fault?.errorRate || this.streams.next(`error:${endpoint}`) >= fault.errorRate) return undefined
    const status = fault.errorStatus ?? 500
    return { status, detail: `${STATUS_CODES[status] ?? 'Error'} (emulated fault on ${endpoint})`, headers: {} }
  }

  reset(): void {
    this.windows.clear()
    this.bursts.clear()
    this.streams.reset()
  }
}

/**
 * Transient evaluation failures (faults.transientJobFailures): the first `times` jobs of a matching URL fail with the
 * given error, the next ones are evaluated as usual, as a download blocked by bot detection may pass an hour later.
 */
export class TransientJobFailures {
  private readonly rules: { pattern: RegExp; error: string; times: number }[]
  private readonly seen = new Map<string, number>()

  constructor(faults: EmulatorFaults) {
    this.rules = (faults.transientJobFailures ?? []).map(r => ({ ...r, pattern: compilePattern(r.match) }))
  }

  /** The error a job of `url` fails with now, or undefined when it is evaluated. Counts the job. */
  next(url: string): string | undefined {
    const rule = this.rules.find(r => r.pattern.test(url))
    if (!rule) return undefined
    const n = (this.seen.get(url) ?? 0) + 1
    this.seen.set(url, n)
    return n <= rule.times ? rule.error : undefined
  }

  reset(): void {
    this.seen.clear()
  }
}

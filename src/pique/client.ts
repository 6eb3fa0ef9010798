// STUB (owned by the client helper): signatures agreed; implementation in progress.
import type { PiqueApi } from './api.js'

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number
  /** Upper bound on the time spent waiting between attempts of one request. */
  maxTotalMs: number
  baseDelayMs: number
  maxDelayMs: number
}

export interface PiqueClientOptions {
  /** e.g. https://api.getpique.ai, the sandbox, or an emulator's http://127.0.0.1:PORT (no /v1). */
  baseUrl: string
  apiKey: string
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Told before each retry wait, for logs. Never receives the key. */
  onRetry?: (info: { method: string; path: string; attempt: number; delayMs: number; reason: string }) => void
}

/** Rate-limit state read off the latest response (X-RateLimit-Remaining / X-RateLimit-Reset / Retry-After). */
export interface RateLimitState {
  remaining?: number
  /** Epoch milliseconds. */
  resetAt?: number
}

const notYet = (): never => {
  throw new Error('PiqueClient is not implemented yet')
}

export class PiqueClient implements PiqueApi {
  constructor(readonly options: PiqueClientOptions) {}
  get rateLimit(): RateLimitState {
    return {}
  }
  createJudge: PiqueApi['createJudge'] = notYet
  listJudges: PiqueApi['listJudges'] = notYet
  listAllJudges: PiqueApi['listAllJudges'] = notYet
  getJudge: PiqueApi['getJudge'] = notYet
  createReferenceContent: PiqueApi['createReferenceContent'] = notYet
  createPresignedUpload: PiqueApi['createPresignedUpload'] = notYet
  submitSocialMedia: PiqueApi['submitSocialMedia'] = notYet
  getResult: PiqueApi['getResult'] = notYet
}

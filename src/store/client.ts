/**
 * The action's client for the store's read API (protocol.ts). Retries connection failures and 502/503/504 a few
 * times (the store may be restarting); never puts the token in an error.
 */
import type { z } from 'zod'
import {
  type BatchResponse,
  MAX_WAIT_SECONDS,
  type QueryResponse,
  type RegisterRequest,
  type ResultLookupRequest,
  type ResultLookupResponse,
  STORE_PATHS,
  type StoredJob,
  batchResponseSchema,
  queryResponseSchema,
  resultLookupResponseSchema,
  storedJobSchema
} from './protocol.js'

export interface StoreClientOptions {
  baseUrl: string
  token: string
  /** Per-request timeout for non-waiting calls; a long-poll adds its wait. Default 30 s. */
  timeoutMs?: number
  /** Attempts per request, the first included. Default 3. */
  maxAttempts?: number
}

/** An answer from the store that is not a success, or no answer after the retries. */
export class StoreError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the store did not answer. */
    readonly status: number
  ) {
    super(message)
    this.name = 'StoreError'
  }
}

const RETRY_STATUSES = new Set([502, 503, 504])
const RETRY_DELAY_MS = 500

export class StoreClient {
  constructor(readonly options: StoreClientOptions) {}

  /** Where Pique should send webhooks for this store. */
  get ingestUrl(): string {
    return new URL(STORE_PATHS.ingest, this.options.baseUrl).toString()
  }

  /** Long-polls when `wait_seconds` > 0; resolves early when any job changes after `after` or all are terminal. */
  async query(req: {
    job_ids: string[]
    wait_seconds?: number
    after?: number
    changed_only?: boolean
  }): Promise<QueryResponse> {
    const wait = Math.max(0, Math.min(req.wait_seconds ?? 0, MAX_WAIT_SECONDS))
    const body = { job_ids: req.job_ids, wait_seconds: wait, after: req.after ?? 0, changed_only: req.changed_only }
    return this.call('POST', STORE_PATHS.query, queryResponseSchema, body, wait * 1000)
  }

  async register(jobs: RegisterRequest['jobs']): Promise<void> {
    if (jobs.length === 0) return
    await this.call('POST', STORE_PATHS.register, undefined, { jobs })
  }

  /** Reusable, previous and base-branch results for many items, in one request. */
  async lookupResults(req: ResultLookupRequest): Promise<ResultLookupResponse> {
    return this.call('POST', STORE_PATHS.results, resultLookupResponseSchema, req)
  }

  /** One job, or undefined when the store has never heard of it. */
  async job(jobId: string): Promise<StoredJob | undefined> {
    return this.call('GET', `/v1/jobs/${encodeURIComponent(jobId)}`, storedJobSchema, undefined, 0, true)
  }

  /** The registered jobs of a batch, or undefined when none are registered. */
  async batch(batchId: string): Promise<BatchResponse | undefined> {
    return this.call('GET', `/v1/batches/${encodeURIComponent(batchId)}`, batchResponseSchema, undefined, 0, true)
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S | undefined,
    body?: unknown,
    extraMs = 0,
    notFoundIsUndefined = false
  ): Promise<z.infer<S>> {
    const url = new URL(path, this.options.baseUrl)
    const attempts = Math.max(1, this.options.maxAttempts ?? 3)
    // Whole milliseconds: AbortSignal.timeout throws on a fraction, and waits come from fractional deadlines.
    const timeoutMs = Math.ceil((this.options.timeoutMs ?? 30_000) + extraMs)
    let lastError = ''
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise(r => setTimeout(r, RETRY_DELAY_MS * 2 ** (attempt - 2)))
      let res: Response
      try {
        res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${this.options.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' })
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs)
        })
      } catch (error) {
        const cause =
          error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)
        lastError = `no answer from the store at ${url.origin} (${cause})`
        continue
      }
      const text = await res.text()
      if (res.ok) {
        if (!schema) return undefined as z.infer<S>
        const parsed = schema.safeParse(parseJson(text))
        if (!parsed.success)
          throw new StoreError(
            `the store at ${url.origin} sent an unexpected ${method} ${url.pathname} answer`,
            res.status
          )
        return parsed.data
      }
      if (res.status === 404 && notFoundIsUndefined) return undefined as z.infer<S>
      const message = `store ${method} ${url.pathname} answered ${res.status}: ${errorText(text)}`
      if (res.status === 401) throw new StoreError(`${message} (check store-token)`, 401)
      if (!RETRY_STATUSES.has(res.status)) throw new StoreError(message, res.status)
      lastError = message
    }
    throw new StoreError(`${lastError} after ${attempts} attempts`, 0)
  }
}

/** The answer's JSON, or undefined when it is not JSON (then the schema check reports an unexpected answer). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown }
    if (typeof body.error === 'string') return body.error
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200).replace(/\s+/g, ' ')
}

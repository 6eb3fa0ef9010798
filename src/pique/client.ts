/**
 * The typed HTTP client of the Pique API (../shared/pique-api.md). Bodies are checked against schema.ts before
 * sending and replies parsed with its response schemas, so callers only ever see documented shapes or a
 * one-line error saying what to do. Retry timing lives in retry.ts, the HTTP exchange in http.ts.
 */
import packageJson from '../../package.json' with { type: 'json' }
import type { z } from 'zod'
import type { CallOptions, PiqueApi, RetryInfo } from './api.js'
import {
  type ClientSetting,
  PiqueApiError,
  PiqueDeadlineError,
  PiqueNetworkError,
  PiqueRequestError,
  PiqueResponseError
} from './errors.js'
import { type RawResponse, TransportError, exchange, formatMs } from './http.js'
import { API_KEY_HEADER, API_VERSION_PREFIX, HOSTS, LIMITS } from './limits.js'
import { type EvaluationResult, parseResultBody } from './results.js'
import {
  type RateLimitState,
  type RetryPolicy,
  backoffCeilingMs,
  parseRateLimitHeaders,
  parseRetryAfter,
  rateLimitWaitMs,
  resolveRetryPolicy,
  retryDelay,
  sleep
} from './retry.js'
import {
  type Judge,
  type ListJudgesQuery,
  createJudgeRequestSchema,
  createJudgeResponseSchema,
  describeApiError,
  formatPath,
  issuesLine,
  judgeSchema,
  listJudgesQuerySchema,
  listJudgesResponseSchema,
  pathKey,
  presignedUploadRequestSchema,
  presignedUploadResponseSchema,
  referenceContentRequestSchema,
  referenceContentResponseSchema,
  socialMediaRequestSchema,
  socialMediaResponseSchema
} from './schema.js'

/**
 * An attempt started with less time than this before the deadline could only be cut short, and a cut POST might have
 * been accepted (billed) with no answer to show for it: the call ends instead, as if no time were left.
 */
const MIN_ATTEMPT_MS = 50

export type { RateLimitState, RetryPolicy } from './retry.js'
export type { CallOptions, RetryInfo } from './api.js'

export const DEFAULT_TIMEOUT_MS = 30_000
export const USER_AGENT = `pique-gate/${packageJson.version}`

export interface PiqueClientOptions {
  /** e.g. https://api.getpique.ai, the sandbox, or an emulator's http://127.0.0.1:PORT (no /v1). */
  baseUrl: string
  apiKey: string
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Told before each retry wait, for logs. Never receives the key. */
  onRetry?: (info: RetryInfo) => void
  /** Overrides the `pique-gate/<version>` User-Agent. */
  userAgent?: string
  /** How the user names the settings a hint tells them to check; the caller's words (action inputs, CLI flags). */
  settingNames?: SettingNames
  /**
   * Retry a paid submit (a batch, an upload job) whose outcome is unknown: answered 5xx or cut after it was sent.
   * Off by default: Pique may have accepted the first attempt, and then bills both (docs/client.md).
   */
  retryAmbiguousSubmits?: boolean
}

/**
 * The settings a failed call's hint can point at (the key, the base URL, the deadline), named as the user knows them
 * where they run the client, e.g. `the api-key secret`, `the api-url`, `timeout-minutes`. The client never assumes a
 * workflow or a command line: whoever connects it passes these (config/surface.ts does).
 */
export type SettingNames = Record<ClientSetting, string>

/** Plain words for a client connected without names (scripts, tests). */
export const PLAIN_SETTING_NAMES: SettingNames = {
  key: 'the API key',
  baseUrl: 'the API base URL',
  deadline: 'the deadline'
}

/** `production`, `sandbox` or a URL → the base URL the client expects. */
export function resolveBaseUrl(nameOrUrl: string): string {
  const text = nameOrUrl.trim()
  // Own keys only: `toString` or `constructor` must not resolve to Object.prototype's members.
  return Object.hasOwn(HOSTS, text) ? HOSTS[text as keyof typeof HOSTS] : text
}

/** What one endpoint is: enough to send it, read its reply and explain its failures. */
interface Endpoint<T> {
  label: string
  method: 'GET' | 'POST'
  /** Path from the API root, starting with /v1, parameters already encoded. */
  path: string
  body?: unknown
  /** What the reply should be, for the malformed-reply message ("a judge"). */
  replyIs: string
  parse: (json: unknown) => { ok: true; value: T } | { ok: false; reason: string }
  /** Hint for a 404. */
  notFound?: string
  /** Set for non-idempotent requests: what may already exist when the outcome is unknown. */
  sideEffect?: SideEffect
}

interface SideEffect {
  /** Creates billed jobs: retried after an unknown outcome only with `retryAmbiguousSubmits`. */
  billed?: boolean
  /** "the batch may have been accepted by Pique (jobs may exist and be billed)" */
  maybe: string
  /** "the batch was accepted by Pique (its jobs exist and are billed)" */
  was: string
  /** "re-running submits the batch again" */
  rerun: string
}

/** A POST that creates something: its request and reply schemas, and what may exist when its outcome is unknown. */
interface Creation<Req extends z.ZodType, Res extends z.ZodType> {
  label: string
  path: string
  request: Req
  reply: Res
  replyIs: string
  sideEffect: SideEffect
}

const creation = <Req extends z.ZodType, Res extends z.ZodType>(c: Creation<Req, Res>): Creation<Req, Res> => c

const CREATIONS = {
  judge: creation({
    label: 'create judge',
    path: '/judges',
    request: createJudgeRequestSchema,
    reply: createJudgeResponseSchema,
    replyIs: 'a created judge ({id, status})',
    sideEffect: {
      maybe: 'the judge may have been created by Pique',
      was: 'the judge was created by Pique',
      rerun: 're-running creates another judge (list the judges to find this one)'
    }
  }),
  referenceContent: creation({
    label: 'create reference content',
    path: '/judges/reference_content',
    request: referenceContentRequestSchema,
    reply: referenceContentResponseSchema,
    replyIs: 'an upload slot ({upload_url, reference_content_uri})',
    sideEffect: {
      maybe: 'an upload URL may have been issued by Pique',
      was: 'an upload URL was issued by Pique',
      rerun: 're-running requests another one (unused ones expire)'
    }
  }),
  presignedUpload: creation({
    label: 'presigned upload',
    path: '/evaluations/presigned-upload',
    request: presignedUploadRequestSchema,
    reply: presignedUploadResponseSchema,
    replyIs: 'an upload job ({job_id, upload_url, upload_headers, expires_at})',
    sideEffect: {
      billed: true,
      maybe: 'the upload job may have been created by Pique',
      was: 'the upload job was created by Pique',
      rerun: 're-running creates another job'
    }
  }),
  submit: creation({
    label: 'submit social-media batch',
    path: '/evaluations/social-media',
    request: socialMediaRequestSchema,
    reply: socialMediaResponseSchema,
    replyIs: 'a batch ({batch_id, jobs, total_videos})',
    sideEffect: {
      billed: true,
      maybe: 'the batch may have been accepted by Pique (jobs may exist and be billed)',
      was: 'the batch was accepted by Pique (its jobs exist and are billed)',
      rerun: 're-running submits the batch again'
    }
  })
}

const judgeNotFound = (judgeId: unknown) =>
  `no judge ${judgeId} for this API key: wrong judge id, or a judge of another organization`

// Messages come from schema.ts's error map (describeIssue), which sees each offending value as zod reports it.
function fromSchema<S extends z.ZodType>(
  schema: S
): (json: unknown) => { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  return json => {
    const parsed = schema.safeParse(json)
    if (parsed.success) return { ok: true, value: parsed.data }
    return { ok: false, reason: issuesLine(parsed.error.issues) }
  }
}

/** `json` with `key` set to `value` when it is an object that lacks it. */
function withDefault(json: unknown, key: string, value: unknown): unknown {
  return json && typeof json === 'object' && !Array.isArray(json) && !(key in json) ? { ...json, [key]: value } : json
}

const oneLine = (text: string, max = 200): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

export class PiqueClient implements PiqueApi {
  /** The options as given, with the key replaced: safe to log. The key itself is held privately. */
  readonly options: PiqueClientOptions
  readonly #apiKey: string
  readonly #root: URL
  readonly #policy: RetryPolicy
  readonly #timeoutMs: number
  readonly #names: SettingNames
  #rateLimit: RateLimitState = {}

  constructor(options: PiqueClientOptions) {
    this.#apiKey = options.apiKey
    this.options = { ...options, apiKey: '[redacted]' }
    this.#names = options.settingNames ?? PLAIN_SETTING_NAMES
    if (!this.#apiKey)
      throw new PiqueRequestError(`Pique API key is empty: set ${this.#names.key}`, 'client', [], 'key')
    // Redacted: the inputs may have been swapped, with the key pasted as the api-url.
    this.#root = parseBaseUrl(options.baseUrl, this.#names, text => this.#redact(text))
    this.#policy = resolveRetryPolicy(options.retry)
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  /** The latest rate-limit state the API reported (a poller slows down when `remaining` runs low). */
  get rateLimit(): RateLimitState {
    return { ...this.#rateLimit }
  }

  /** Origin the client talks to, for messages (never with credentials). */
  get origin(): string {
    return this.#root.origin
  }

  createJudge: PiqueApi['createJudge'] = async (body, options) => this.#create(CREATIONS.judge, body, options)

  listJudges: PiqueApi['listJudges'] = async (query = {}, options) => {
    const q = this.#validate('list judges', listJudgesQuerySchema, query)
    const search = new URLSearchParams({ limit: String(q.limit), offset: String(q.offset) })
    if (q.content_type) search.set('content_type', q.content_type)
    return this.#call(
      {
        label: 'list judges',
        method: 'GET',
        path: `/judges?${search}`,
        replyIs: 'a judge list ({judges, total, has_more})',
        parse: fromSchema(listJudgesResponseSchema)
      },
      options
    )
  }

  listAllJudges: PiqueApi['listAllJudges'] = (query = {}, options) => this.#allJudges(query.content_type, options)

  async *#allJudges(contentType: ListJudgesQuery['content_type'], options?: CallOptions): AsyncGenerator<Judge> {
    const seen = new Set<string>()
    let offset = LIMITS.listOffsetMin
    for (;;) {
      const page = await this.listJudges({ limit: LIMITS.listLimit.max, offset, content_type: contentType }, options)
      // Newest first: a judge created while paging shifts older ones onto the next page, so skip repeats.
      const fresh = page.judges.filter(j => !seen.has(j.id))
      for (const j of fresh) seen.add(j.id)
      yield* fresh
      // A reply without has_more: more when the total says so, or (no total either) when the page came back full.
      const more =
        page.has_more ??
        (page.total !== undefined
          ? offset + page.judges.length < page.total
          : page.judges.length >= LIMITS.listLimit.max)
      if (!more) return
      // A page that says "more" but brings nothing new (empty, or the offset ignored) would otherwise loop forever.
      if (fresh.length === 0) {
        const what = page.judges.length ? 'only judges it had already sent (is the offset ignored?)' : 'no judges'
        throw new PiqueResponseError(
          `list judges: Pique said has_more at offset ${offset} but sent ${what}; stopped paging`,
          200,
          'GET',
          `${API_VERSION_PREFIX}/judges`,
          'has_more without new judges'
        )
      }
      offset += page.judges.length
    }
  }

  getJudge: PiqueApi['getJudge'] = async (judgeId, options) =>
    this.#call(
      {
        label: 'get judge',
        method: 'GET',
        path: `/judges/${this.#pathParam('get judge', 'judge_id', judgeId)}`,
        replyIs: 'a judge',
        // The path names the judge: a reply that leaves its id out is still about it.
        parse: json => fromSchema(judgeSchema)(withDefault(json, 'id', judgeId)),
        notFound: judgeNotFound(judgeId)
      },
      options
    )

  createReferenceContent: PiqueApi['createReferenceContent'] = async (fileExtension, options) =>
    this.#create(CREATIONS.referenceContent, { file_extension: fileExtension }, options)

  createPresignedUpload: PiqueApi['createPresignedUpload'] = async (body, options) =>
    this.#create(CREATIONS.presignedUpload, body, options, judgeNotFound(body?.judge_id))

  submitSocialMedia: PiqueApi['submitSocialMedia'] = async (body, options) =>
    this.#create(CREATIONS.submit, body, options, judgeNotFound(body?.judge_id))

  getResult: PiqueApi['getResult'] = async (jobId, options) =>
    this.#call<EvaluationResult>(
      {
        label: 'get result',
        method: 'GET',
        path: `/evaluations/results/${this.#pathParam('get result', 'job_id', jobId)}`,
        replyIs: 'an evaluation result',
        parse: json => {
          const parsed = parseResultBody(json, jobId)
          return parsed.ok ? { ok: true, value: parsed.result } : parsed
        },
        notFound: `unknown job id ${jobId}: it was not created with this API key's organization on ${this.origin}`
      },
      options
    )

  // ---------- internals ----------

  #create<Req extends z.ZodType, Res extends z.ZodType>(
    c: Creation<Req, Res>,
    body: unknown,
    options?: CallOptions,
    notFound?: string
  ): Promise<z.output<Res>> {
    return this.#call(
      {
        label: c.label,
        method: 'POST',
        path: c.path,
        body: this.#validate(c.label, c.request, body),
        replyIs: c.replyIs,
        parse: fromSchema(c.reply),
        notFound,
        sideEffect: c.sideEffect
      },
      options
    )
  }

  #validate<S extends z.ZodType>(label: string, schema: S, input: unknown): z.output<S> {
    const parsed = schema.safeParse(input)
    if (parsed.success) return parsed.data
    const issues = parsed.error.issues.map(i => ({
      path: this.#redact(formatPath(i.path.map(pathKey))),
      message: this.#redact(i.message)
    }))
    throw new PiqueRequestError(
      this.#redact(`${label}: invalid request, not sent: ${issuesLine(parsed.error.issues)}`),
      label,
      issues
    )
  }

  #pathParam(label: string, name: string, value: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new PiqueRequestError(`${label}: ${name} is empty, not sent`, label, [
        { path: name, message: 'must not be empty' }
      ])
    }
    return encodeURIComponent(value)
  }

  /** The key never leaves in text: servers and proxies may echo it in a detail, a body or a Location. */
  #redact(text: string): string {
    let out = text
    for (const form of new Set([this.#apiKey, encodeURIComponent(this.#apiKey)]))
      out = out.split(form).join('[redacted]')
    return out
  }

  #url(path: string): string {
    const root = this.#root.href.replace(/\/$/, '')
    return `${root}${API_VERSION_PREFIX}${path}`
  }

  #noteRateLimit(res: RawResponse, retryAfterMs: number | undefined, now: number): RateLimitState | undefined {
    const state = parseRateLimitHeaders(res.headers, now)
    if (state) this.#rateLimit = state
    else if (res.status === 429 && retryAfterMs !== undefined)
      this.#rateLimit = { ...this.#rateLimit, remaining: 0, resetAt: now + retryAfterMs }
    return state
  }

  /**
   * Send with retries. What is retried:
   * - GET (idempotent): network errors, timeouts, 408, 429 and 5xx.
   * - POST (creates something: a judge, a batch of billed jobs, an upload job): only when the server certainly
   *   did not act on it: 429, a 503 that carries Retry-After, or a connection that was never made (refused,
   *   DNS failure). After a timeout or reset once the request was sent, or a 500/502/504 (or 503 without
   *   Retry-After), Pique may already have acted: retrying would silently double-submit and double-bill, so
   *   the client stops and throws an error flagged `maybeAccepted` that says so. The caller (a person re-running
   *   the workflow) decides; see docs/client.md. `retryAmbiguousSubmits` lifts that for paid submits.
   * Rate limiting is not an error: a 429 waits as the server asks (Retry-After, else the reset, else backoff) for
   * as long as the caller's deadline allows, and neither its answers nor its waits count against `maxAttempts` or
   * `maxTotalMs` (without a deadline, the waits together are bounded by `maxTotalMs`).
   * Other failures wait by Retry-After / X-RateLimit-Reset, else full-jitter backoff; attempts and time are bounded.
   * A caller's deadline (`call.deadline`) bounds it all: no attempt starts and no wait ends after it, and the
   * request in flight times out by it at the latest (PiqueDeadlineError).
   */
  async #call<T>(ep: Endpoint<T>, call: CallOptions = {}): Promise<T> {
    // The path as errors and logs show it: ids are the caller's input, and a pasted key must not surface.
    const path = this.#redact(`${API_VERSION_PREFIX}${ep.path}`)
    const idempotent = ep.method === 'GET'
    const retryAmbiguous = !idempotent && ep.sideEffect?.billed === true && this.options.retryAmbiguousSubmits === true
    const started = Date.now()
    const stopAt = call.deadline ?? Infinity
    // Time spent waiting on the rate limit: not charged to the error budget (maxTotalMs) when a deadline bounds it.
    const rateLimit = { waitedMs: 0, answers: 0 }
    const budgetEnd = () => started + this.#policy.maxTotalMs + (call.deadline === undefined ? 0 : rateLimit.waitedMs)
    // Without a deadline the rate-limit waits are bounded by the retry budget itself.
    const rateLimitEnd = () => (call.deadline === undefined ? started + this.#policy.maxTotalMs : stopAt)
    const body = ep.body === undefined ? undefined : JSON.stringify(ep.body)
    const headers: Record<string, string> = { [API_KEY_HEADER]: this.#apiKey, accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    let maybeAcceptedBefore = false
    const outOfTime = (attempts: number, why: string, last?: string, maybeAccepted = false) =>
      this.#deadlineError(ep, path, {
        attempts,
        why,
        last,
        maybeAccepted: maybeAccepted || maybeAcceptedBefore,
        started
      })
    const tell = (info: RetryInfo) => {
      this.options.onRetry?.(info)
      call.onRetry?.(info)
    }

    let last: string | undefined
    let failedAttempts = 0
    for (let attempt = 1; ; attempt++) {
      const held = await this.#holdForRateLimit(ep, path, attempt, { budget: rateLimitEnd(), stopAt }, tell, () =>
        outOfTime(attempt - 1, 'the rate limit resets only after the deadline', last)
      )
      rateLimit.waitedMs += held
      const left = stopAt - Date.now()
      if (left <= 0) throw outOfTime(attempt - 1, 'no time was left to send the request', last)
      if (left < MIN_ATTEMPT_MS)
        throw outOfTime(attempt - 1, `only ${Math.ceil(left)} ms were left, too little to send the request`, last)
      // A request in flight at the deadline is cut by its own timeout, bounded by the time left.
      const timeoutMs = Math.min(this.#timeoutMs, Math.ceil(left))
      let res: RawResponse
      let failure: {
        retryable: boolean
        error: () => Error
        reason: string
        server?: { retryAfterMs?: number; rateLimit?: RateLimitState }
        maybeAccepted: boolean
      }
      try {
        res = await exchange({
          method: ep.method,
          url: this.#url(ep.path),
          headers,
          body,
          timeoutMs,
          userAgent: this.options.userAgent ?? USER_AGENT
        })
        const now = Date.now()
        const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now)
        const state = this.#noteRateLimit(res, retryAfterMs, now)
        if (res.status >= 200 && res.status < 300) return this.#parseReply(ep, path, res, attempt)
        const status = res.status
        const reply = res
        if (status === 429) {
          rateLimit.answers++
          last = 'HTTP 429'
          const waited = await this.#waitOutRateLimit(ep, path, attempt, rateLimit.answers, {
            server: { retryAfterMs, rateLimit: state },
            ends: { budget: rateLimitEnd(), stopAt },
            tell,
            outOfTime: why => outOfTime(attempt, why, last),
            gaveUp: () => this.#apiError(ep, path, reply, attempt, maybeAcceptedBefore, started)
          })
          rateLimit.waitedMs += waited
          continue
        }
        // A 503 with Retry-After is the server saying it did not take the request on.
        const maybeAccepted = !idempotent && status >= 500 && !(status === 503 && retryAfterMs !== undefined)
        const retryable = idempotent
          ? status === 408 || status >= 500
          : (status === 503 && retryAfterMs !== undefined) || (maybeAccepted && retryAmbiguous)
        failure = {
          retryable,
          reason: `HTTP ${status}`,
          server: { retryAfterMs, rateLimit: state },
          maybeAccepted,
          error: () => this.#apiError(ep, path, reply, attempt, maybeAccepted || maybeAcceptedBefore, started)
        }
      } catch (error) {
        if (!(error instanceof TransportError)) throw error
        if (error.kind === 'timeout' && timeoutMs < this.#timeoutMs) {
          throw outOfTime(attempt, `no answer within the ${formatMs(timeoutMs)} that were left`, last, !idempotent)
        }
        const maybeAccepted = !idempotent && error.kind !== 'not-sent'
        failure = {
          retryable: idempotent || error.kind === 'not-sent' || (maybeAccepted && retryAmbiguous),
          reason: this.#redact(error.reason),
          maybeAccepted,
          error: () => this.#networkError(ep, path, error, attempt, maybeAccepted || maybeAcceptedBefore, started)
        }
      }
      failedAttempts++
      if (!failure.retryable || failedAttempts >= this.#policy.maxAttempts) throw failure.error()
      const { delayMs, serverSaid } = retryDelay(failedAttempts, this.#policy, failure.server ?? {})
      last = failure.reason
      if (Date.now() + delayMs >= stopAt) {
        const wait = `${formatMs(delayMs)}${serverSaid ? ' (set by the server)' : ''}`
        throw outOfTime(
          attempt,
          `the next retry would wait ${wait} with ${formatMs(Math.max(0, stopAt - Date.now()))} left`,
          last,
          failure.maybeAccepted
        )
      }
      if (Date.now() + delayMs > budgetEnd()) throw failure.error()
      maybeAcceptedBefore ||= failure.maybeAccepted
      tell({
        method: ep.method,
        path,
        attempt: attempt + 1,
        delayMs,
        reason: `${failure.reason}${serverSaid ? ' (wait set by the server)' : ''}${failure.maybeAccepted ? ' (retry-ambiguous-submits: the failed attempt may have been accepted and billed)' : ''}`,
        ...(failure.maybeAccepted ? { maybeAccepted: true } : {})
      })
      await sleep(delayMs)
    }
  }

  /**
   * After a 429: wait as the server asks (Retry-After, else the reset it announces), else back off by the number of
   * 429s in a row. The wait ends by the deadline (`outOfTime` when it cannot) or, without one, the budget
   * (`gaveUp`). Returns the time waited.
   */
  async #waitOutRateLimit(
    ep: Endpoint<unknown>,
    path: string,
    attempt: number,
    answers: number,
    w: {
      server: { retryAfterMs?: number; rateLimit?: RateLimitState }
      ends: { budget: number; stopAt: number }
      tell: (info: RetryInfo) => void
      outOfTime: (why: string) => Error
      gaveUp: () => Error
    }
  ): Promise<number> {
    const asked = retryDelay(answers, this.#policy, w.server)
    // A server that asks for no wait at all still gets a growing pause: 429s in a tight loop help nobody.
    const delayMs = asked.serverSaid && asked.delayMs > 0 ? asked.delayMs : backoffCeilingMs(answers, this.#policy) / 2
    const now = Date.now()
    if (now + delayMs >= w.ends.stopAt) {
      const wait = `${formatMs(delayMs)}${asked.serverSaid ? ' (set by the server)' : ''}`
      throw w.outOfTime(
        `rate limited: the next attempt would wait ${wait} with ${formatMs(Math.max(0, w.ends.stopAt - now))} left`
      )
    }
    if (now + delayMs > w.ends.budget) throw w.gaveUp()
    w.tell({
      method: ep.method,
      path,
      attempt: attempt + 1,
      delayMs,
      reason: `HTTP 429${asked.serverSaid ? ' (wait set by the server)' : ''}`,
      rateLimited: true
    })
    await sleep(delayMs)
    // Consumed: the next request must not wait for the same reset again.
    this.#rateLimit = { ...this.#rateLimit, remaining: undefined }
    return delayMs
  }

  /**
   * X-RateLimit-Remaining: 0 on an earlier reply: wait for the reset rather than earn a 429. With a deadline the
   * wait may take what the deadline allows; a reset at or after it ends the call at once (`outOfTime`). Without
   * one it is bounded by the retry budget. Returns the time waited.
   */
  async #holdForRateLimit(
    ep: Endpoint<unknown>,
    path: string,
    attempt: number,
    ends: { budget: number; stopAt: number },
    tell: (info: RetryInfo) => void,
    outOfTime: () => Error
  ): Promise<number> {
    const wait = rateLimitWaitMs(this.#rateLimit)
    if (wait <= 0) return 0
    if (Date.now() + wait >= ends.stopAt) throw outOfTime()
    const bounded = Math.min(wait, Math.max(0, ends.budget - Date.now()))
    if (bounded <= 0) return 0
    tell({
      method: ep.method,
      path,
      attempt,
      delayMs: bounded,
      reason: 'rate limit: no requests remaining until the reset',
      rateLimited: true
    })
    await sleep(bounded)
    return bounded
  }

  #parseReply<T>(ep: Endpoint<T>, path: string, res: RawResponse, attempt: number): T {
    let json: unknown
    let reason: string | undefined
    try {
      json = JSON.parse(res.body)
    } catch {
      reason = res.body.trim() ? `not JSON (starts "${oneLine(res.body, 60)}")` : 'an empty body'
    }
    if (reason === undefined) {
      const parsed = ep.parse(json)
      if (parsed.ok) return parsed.value
      reason = parsed.reason
    }
    reason = this.#redact(reason)
    const consequence = ep.sideEffect
      ? ` Note: ${ep.sideEffect.was}; ${ep.sideEffect.rerun}.`
      : ` Check ${this.#names.baseUrl} points at the Pique API.`
    throw new PiqueResponseError(
      `${ep.label}: Pique answered ${res.status} to ${ep.method} ${path} but the reply is not ${ep.replyIs}: ${reason}.${consequence}`,
      res.status,
      ep.method,
      path,
      reason,
      {
        maybeAccepted: ep.sideEffect !== undefined,
        attempts: attempt,
        setting: ep.sideEffect ? undefined : 'baseUrl'
      }
    )
  }

  #apiError(
    ep: Endpoint<unknown>,
    path: string,
    res: RawResponse,
    attempts: number,
    maybeAccepted: boolean,
    started: number
  ): PiqueApiError {
    let json: unknown
    try {
      json = JSON.parse(res.body)
    } catch {
      json = undefined
    }
    const raw = describeApiError(json) ?? (res.body.trim() ? oneLine(res.body) : undefined)
    const detail = raw === undefined ? undefined : this.#redact(oneLine(raw, 500))
    const hint = maybeAccepted && ep.sideEffect ? ambiguity(ep.sideEffect) : this.#statusHint(ep, res)
    const tries = gaveUp(attempts, started)
    const message = `${ep.label}: Pique answered ${res.status} to ${ep.method} ${path}${detail ? `: ${detail}` : ''}. ${hint}${tries}`
    const setting = hintedSetting(ep, res.status, maybeAccepted)
    return new PiqueApiError(this.#redact(message), res.status, ep.method, path, detail, {
      maybeAccepted,
      attempts,
      setting
    })
  }

  #statusHint(ep: Endpoint<unknown>, res: RawResponse): string {
    const s = res.status
    if (s === 401)
      return `Check ${this.#names.key}: Pique did not accept it as a key for ${this.origin} (sandbox and production keys differ).`
    if (s === 403)
      return 'The API key lacks permission for this operation: use a key whose organization role allows it.'
    if (s === 404)
      return ep.notFound
        ? `${capitalize(ep.notFound)}.`
        : `Check ${this.#names.baseUrl}: ${this.origin} does not serve this path.`
    if (s === 400 || s === 422) return 'Pique rejected the request: fix what it names.'
    if (s === 429) {
      const asked = parseRetryAfter(res.headers['retry-after'])
      return `Rate limited by Pique${asked ? ` (it asks to wait ${formatMs(asked)})` : ''}: retry later, or run fewer requests at once.`
    }
    if (s >= 500) return 'Pique service error: retry later.'
    if (s >= 300 && s < 400) {
      const location = typeof res.headers.location === 'string' ? ` to ${oneLine(res.headers.location, 120)}` : ''
      return `Unexpected redirect${location}: check ${this.#names.baseUrl} (redirects are not followed, so the key is never sent elsewhere).`
    }
    return 'Unexpected answer from Pique.'
  }

  #networkError(
    ep: Endpoint<unknown>,
    path: string,
    error: TransportError,
    attempts: number,
    maybeAccepted: boolean,
    started: number
  ): PiqueNetworkError {
    const tries = gaveUp(attempts, started)
    let what: string
    if (maybeAccepted && ep.sideEffect) what = `${error.reason} after the request was sent. ${ambiguity(ep.sideEffect)}`
    else if (error.kind === 'not-sent')
      what = `could not connect (${error.reason}): check ${this.#names.baseUrl} and the network.`
    else what = `${error.reason}: the service may be slow or unreachable; retry later.`
    const message = `${ep.label}: ${ep.method} ${path} to ${this.origin}: ${what}${tries}`
    const setting = !(maybeAccepted && ep.sideEffect) && error.kind === 'not-sent' ? 'baseUrl' : undefined
    return new PiqueNetworkError(this.#redact(message), ep.method, path, {
      maybeAccepted,
      attempts,
      code: error.code,
      setting
    })
  }

  #deadlineError(
    ep: Endpoint<unknown>,
    path: string,
    d: { attempts: number; why: string; last?: string; maybeAccepted: boolean; started: number }
  ): PiqueDeadlineError {
    const tries = d.attempts
      ? ` (${d.attempts} attempt${d.attempts === 1 ? '' : 's'} in ${formatMs(Date.now() - d.started)}${d.last ? `, the last one got ${d.last}` : ''})`
      : ''
    const maybe = d.maybeAccepted && ep.sideEffect ? ` ${ambiguity(ep.sideEffect)}` : ''
    const message = `${ep.label}: the gate's time ran out (${this.#names.deadline}) before ${ep.method} ${path} succeeded: ${d.why}${tries}.${maybe}`
    return new PiqueDeadlineError(this.#redact(message), ep.method, path, {
      setting: 'deadline',
      attempts: d.attempts,
      maybeAccepted: d.maybeAccepted
    })
  }
}

/** The setting #statusHint tells the user to check for this answer, if any (the ambiguity note replaces it). */
function hintedSetting(ep: Endpoint<unknown>, status: number, maybeAccepted: boolean): ClientSetting | undefined {
  if (maybeAccepted && ep.sideEffect) return undefined
  if (status === 401) return 'key'
  if ((status === 404 && !ep.notFound) || (status >= 300 && status < 400)) return 'baseUrl'
  return undefined
}

/** How a call that was retried ended, for the error message; empty after a single attempt. */
function gaveUp(attempts: number, started: number): string {
  return attempts > 1 ? ` (gave up after ${attempts} attempts in ${formatMs(Date.now() - started)})` : ''
}

function ambiguity(effect: SideEffect): string {
  return `${capitalize(effect.maybe)}. It was not retried automatically: ${effect.rerun}, so check before re-running.`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function parseBaseUrl(baseUrl: string, names: SettingNames, redact: (text: string) => string): URL {
  let url: URL
  try {
    url = new URL(resolveBaseUrl(baseUrl))
  } catch {
    throw new PiqueRequestError(
      `Pique base URL "${redact(oneLine(baseUrl, 100))}" is not a URL (expected e.g. ${HOSTS.production}): check ${names.baseUrl}`,
      'client',
      [],
      'baseUrl'
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PiqueRequestError(
      `Pique base URL must be http or https, got ${url.protocol.slice(0, -1)}: check ${names.baseUrl}`,
      'client',
      [],
      'baseUrl'
    )
  }
  if (url.username || url.password)
    throw new PiqueRequestError(
      `Pique base URL must not carry credentials (check ${names.baseUrl}): the key goes in ${names.key}`,
      'client',
      [],
      'baseUrl'
    )
  // Paths carry /v1 themselves: tolerate a base URL given with it.
  url.pathname = url.pathname.replace(/\/+$/, '').replace(new RegExp(`${API_VERSION_PREFIX}$`), '') || '/'
  url.search = ''
  url.hash = ''
  return url
}

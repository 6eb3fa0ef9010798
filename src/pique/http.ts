/**
 * One HTTP exchange with the Pique API over @actions/http-client's raw request API (proxy support, the
 * toolkit's User-Agent conventions), with what its convenience methods lack for this client: a deadline
 * over the whole exchange (connect, send, body), no redirects (a redirect would carry X-API-Key to wherever
 * Location points: the toolkit strips only `Authorization`), and network failures classified by whether
 * the request can have reached the server. Status codes and retries are the caller's business.
 */
import type { IncomingHttpHeaders, RequestOptions } from 'node:http'
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'

export interface RawResponse {
  status: number
  /** Lower-cased names, as node:http gives them. */
  headers: IncomingHttpHeaders
  body: string
}

/**
 * - `not-sent`: the connection was never made (refused, DNS failure, unreachable): the server did not act.
 * - `timeout`: no complete answer within the deadline; the request may have been received and acted on.
 * - `interrupted`: the connection broke (reset, hang-up) after it was made; the request may have been acted on.
 */
export type NetworkFailureKind = 'not-sent' | 'timeout' | 'interrupted'

export class TransportError extends Error {
  constructor(
    readonly kind: NetworkFailureKind,
    /** Short, key-free description, e.g. "connect ECONNREFUSED 127.0.0.1:9" or "no answer within 30s". */
    readonly reason: string,
    readonly code?: string
  ) {
    super(reason)
    this.name = 'TransportError'
  }
}

/** Errors raised before any byte of the request left: connect and name-resolution failures. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL'
])
const NOT_SENT_SYSCALLS = new Set(['connect', 'getaddrinfo'])

export interface ExchangeRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
  userAgent: string
}

/** Lets the toolkit client carry an AbortSignal into node:http for this one request. */
class SignalHandler implements RequestHandler {
  constructor(private readonly signal: AbortSignal) {}
  prepareRequest(options: RequestOptions): void {
    options.signal = this.signal
  }
  canHandleAuthentication(): boolean {
    return false
  }
  handleAuthentication(): never {
    throw new Error('not used')
  }
}

export async function exchange(req: ExchangeRequest): Promise<RawResponse> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, req.timeoutMs)
  // A client per request: the toolkit applies handlers to every request of a client, and the signal is per request.
  const client = new HttpClient(req.userAgent, [new SignalHandler(controller.signal)], {
    allowRedirects: false,
    allowRetries: false,
    // The toolkit's idle timeout only half-closes the socket; ours (the abort) comes first and tears it down.
    socketTimeout: req.timeoutMs + 1_000
  })
  try {
    const res = await client.request(req.method, req.url, req.body ?? null, req.headers)
    // The toolkit's readBody ignores stream errors and would hang on a broken body; read it here instead.
    const chunks: Buffer[] = []
    for await (const chunk of res.message) chunks.push(chunk as Buffer)
    return {
      status: res.message.statusCode ?? 0,
      headers: res.message.headers,
      body: Buffer.concat(chunks).toString('utf8')
    }
  } catch (error) {
    throw classify(error, timedOut, req.timeoutMs)
  } finally {
    clearTimeout(timer)
    client.dispose()
  }
}

function classify(error: unknown, timedOut: boolean, timeoutMs: number): TransportError {
  const e = error as NodeJS.ErrnoException
  if (timedOut || /^Request timeout/.test(e?.message ?? ''))
    return new TransportError('timeout', `no complete answer within ${formatMs(timeoutMs)}`)
  const code = typeof e?.code === 'string' ? e.code : undefined
  const reason = e?.message || String(error)
  if ((code && NOT_SENT_CODES.has(code)) || (e?.syscall && NOT_SENT_SYSCALLS.has(e.syscall)))
    return new TransportError('not-sent', reason, code)
  return new TransportError('interrupted', reason, code)
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Number((ms / 1000).toFixed(1))}s`
}

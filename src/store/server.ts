/**
 * The webhook store: wires options → backend → group commit → HTTP routes (find-my-way on node:http, which
 * keeps the raw body bytes the signature needs), plus retention, metrics and a graceful close.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Router from 'find-my-way'
import { createTokenCheck } from './auth.js'
import { ChangeHub } from './change-hub.js'
import type { IncomingEvent, IngestOutcome } from './db/backend.js'
import { describeDatabase, openBackend } from './db/open.js'
import { GroupCommit } from './group-commit.js'
import { sendError, sendJson, sendTooLarge } from './http.js'
import { createIngestHandler } from './ingest.js'
import { createLogger } from './log.js'
import { createStoreMetrics } from './metrics.js'
import { type RunningStore, type StoreOptions, resolveStoreOptions } from './options.js'
import { STORE_PATHS, requestBodyLimit } from './protocol.js'
import { createReadHandlers } from './reads.js'
import { createResultsHandler } from './results.js'

/** In-flight requests get this long to finish on close before their connections are cut. */
const CLOSE_GRACE_MS = 10_000
const DAY_MS = 24 * 60 * 60 * 1000
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string | undefined>
) => Promise<void> | void

export async function startStore(partial: Partial<StoreOptions>): Promise<RunningStore> {
  const options = resolveStoreOptions(partial)
  const log = createLogger(options.logLevel, options.logSink)
  const hub = new ChangeHub()
  const metrics = createStoreMetrics(() => hub.waiters)
  const backend = await openBackend(options, message => log.warn('listener reconnecting', { error: message }))
  backend.onRemoteChange(ids => hub.notify(ids))

  const commit = new GroupCommit<IncomingEvent, IngestOutcome>(
    async events => {
      const { outcomes, changed } = await backend.ingest(events)
      if (changed.length > 0) hub.notify(changed)
      return outcomes
    },
    { concurrency: backend.groupConcurrency, onGroup: size => metrics.commitGroupSize.observe(size) }
  )

  let closing = false
  const canRead = createTokenCheck(options.readTokens)
  const ingest = createIngestHandler({ options, commit, metrics, log })
  const reads = createReadHandlers({ backend, hub, bodyLimitBytes: options.bodyLimitBytes, closing: () => closing })

  const guarded =
    (handler: Handler): Handler =>
    (req, res, params) => {
      if (!canRead(req)) return sendError(res, 401, 'missing or wrong read token', { 'www-authenticate': 'Bearer' })
      return handler(req, res, params)
    }

  const router = Router({
    ignoreTrailingSlash: true,
    // Any job id a delivery was accepted under must be readable at GET /v1/jobs/{job_id} (the default is 100).
    maxParamLength: 8192,
    defaultRoute: (req, res) => {
      // A known path with the wrong method is 405 naming the right ones; only an unknown path is 404.
      const path = new URL(req.url ?? '/', 'http://store').pathname
      const allowed = METHODS.filter(m => router.find(m, path))
      if (allowed.length === 0) return sendError(res, 404, 'no such endpoint')
      sendError(res, 405, `${req.method} is not allowed here; use ${allowed.join(' or ')}`, {
        allow: allowed.join(', ')
      })
    }
  })
  const route = (method: 'GET' | 'POST', path: string, handler: Handler) =>
    router.on(method, path, (req, res, params) => handler(req, res, params as Record<string, string | undefined>))
  route('POST', STORE_PATHS.ingest, ingest)
  route(
    'GET',
    STORE_PATHS.job,
    guarded((req, res, p) => reads.job(req, res, p.job_id ?? ''))
  )
  route('POST', STORE_PATHS.query, guarded(reads.query))
  route('POST', STORE_PATHS.register, guarded(reads.register))
  route(
    'GET',
    STORE_PATHS.batch,
    guarded((req, res, p) => reads.batch(req, res, p.batch_id ?? ''))
  )
  route('POST', STORE_PATHS.results, guarded(createResultsHandler({ backend, bodyLimitBytes: options.bodyLimitBytes })))
  route('GET', STORE_PATHS.health, (_req, res) => sendJson(res, 200, { ok: true }))
  route('GET', STORE_PATHS.ready, async (_req, res) => {
    if (closing) return sendError(res, 503, 'shutting down')
    try {
      await backend.ping()
      sendJson(res, 200, { ok: true, database: backend.kind })
    } catch {
      sendError(res, 503, 'database unreachable')
    }
  })
  route('GET', STORE_PATHS.metrics, async (_req, res) => {
    const text = await metrics.registry.metrics()
    res.writeHead(200, { 'content-type': metrics.registry.contentType })
    res.end(text)
  })

  let inFlight = 0
  let drained: (() => void) | undefined
  const server = createServer((req, res) => {
    inFlight += 1
    res.once('close', () => {
      inFlight -= 1
      if (inFlight === 0) drained?.()
    })
    Promise.resolve(router.lookup(req, res)).catch((error: unknown) => {
      log.error('request failed', {
        method: req.method,
        path: req.url?.split('?')[0],
        error: error instanceof Error ? error.message : String(error)
      })
      sendError(res, 503, 'store unavailable, retry later')
    })
  })

  // `Expect: 100-continue` (curl sends it for bodies over 1 MiB): refuse a declared oversized body before it is
  // sent, instead of reading and dropping it.
  server.on('checkContinue', (req, res) => {
    const limit = requestBodyLimit(req.url?.split('?')[0] ?? '', options.bodyLimitBytes)
    if (Number(req.headers['content-length']) > limit) return sendTooLarge(res, limit)
    res.writeContinue()
    server.emit('request', req, res)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // A deep accept queue: a sender's burst of new connections beyond Node's default 511 would otherwise be dropped
    // and retried by TCP a second later, and each delivery in it would reach the store that much late.
    server.listen({ port: options.port, host: options.host, backlog: LISTEN_BACKLOG }, () => resolve())
  }).catch(async (error: unknown) => {
    await backend.close()
    throw error
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`

  const prune = async () => {
    if (options.retentionDays <= 0) return
    try {
      const deleted = await backend.pruneEvents(new Date(Date.now() - options.retentionDays * DAY_MS))
      if (deleted > 0) log.info('retention deleted old events', { deleted, retention_days: options.retentionDays })
    } catch (error) {
      log.error('retention failed', { error: error instanceof Error ? error.message : String(error) })
    }
  }
  const retention = setInterval(() => void prune(), options.retentionIntervalMs)
  retention.unref()
  void prune()

  if (options.readTokens.length === 0) log.warn('no read tokens configured: every read is refused')
  if (options.acceptBodyOnlySignatures)
    log.warn(
      'body-only signatures accepted (X-Webhook-Signature sha256=/hex): they carry no timestamp, so a captured delivery can be replayed at any time'
    )
  log.info('store listening', {
    url,
    database: describeDatabase(options.database),
    backend: backend.kind,
    webhook_secrets: options.webhookSecrets.length,
    body_only_signatures: options.acceptBodyOnlySignatures,
    read_tokens: options.readTokens.length
  })

  let closing$: Promise<void> | undefined
  const close = () =>
    (closing$ ??= (async () => {
      closing = true
      hub.notify(null)
      clearInterval(retention)
      const stopped = new Promise<void>(resolve => server.close(() => resolve()))
      server.closeIdleConnections()
      if (inFlight > 0) {
        // In-flight deliveries finish their commit and get their answer; waiters answer at once.
        await Promise.race([new Promise<void>(resolve => (drained = resolve)), sleep(CLOSE_GRACE_MS)])
      }
      await commit.drain()
      server.closeAllConnections()
      await stopped
      await backend.close()
      log.info('store stopped')
    })())

  return { url, port, close }
}

/** The kernel caps it at net.core.somaxconn (4096 on current Linux). */
const LISTEN_BACKLOG = 4096

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms).unref())

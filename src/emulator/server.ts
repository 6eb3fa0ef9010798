/**
 * The local Pique emulator: a real HTTP server (node:http + find-my-way) speaking the documented API under
 * /v1, with its job lifecycle, seeded scores, scenario rules, signed webhooks, faults and an inspection API.
 */
import { type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import FindMyWay from 'find-my-way'
import { registerApiRoutes } from './api-routes.js'
import { EmulatorEngine } from './engine.js'
import { RequestGate } from './faults.js'
import { send } from './http.js'
import { INSPECTION_PREFIX, type RequestLogEntry, registerInspectionRoutes } from './inspection.js'
import { type EmulatorOptions, type RunningEmulator, resolveEmulatorOptions } from './options.js'

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const
const CLOSE_GRACE_MS = 2000

export async function startEmulator(partial: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const options = resolveEmulatorOptions(partial)
  const engine = new EmulatorEngine(options)
  const gate = new RequestGate(options.seed, options.rateLimitPerMinute, options.faults)
  const requestLog: RequestLogEntry[] = []
  const apiInfo = new WeakMap<object, { endpoint: string; orgId?: string }>()
  let baseUrl = ''

  const router = FindMyWay({
    ignoreTrailingSlash: true,
    defaultRoute: (req, res) => {
      // FastAPI's answers for an unknown path and for a known path with the wrong method.
      const path = new URL(req.url ?? '/', 'http://emulator').pathname
      const allowed = METHODS.filter(m => router.find(m, path))
      if (allowed.length)
        send(res, { status: 405, body: { detail: 'Method Not Allowed' }, headers: { Allow: allowed.join(', ') } })
      else send(res, { status: 404, body: { detail: 'Not Found' } })
    }
  })
  registerApiRoutes(router, {
    engine,
    gate,
    baseUrl: () => baseUrl,
    onRequest: (req, info) => apiInfo.set(req, info),
    validationErrors: options.validationErrors
  })
  registerInspectionRoutes(router, { engine, gate, requestLog })

  // Answers in progress, so close() can end their keep-alive sockets with the answer (see close).
  const inFlight = new Set<ServerResponse>()
  let closing: Promise<void> | undefined
  const server = createServer((req, res) => {
    inFlight.add(res)
    res.on('close', () => inFlight.delete(res))
    if (closing) res.setHeader('Connection', 'close')
    const started = Date.now()
    const path = req.url ?? '/'
    // Inspection reads are not themselves recorded; uploads are, like the API.
    const recorded = !path.startsWith(`${INSPECTION_PREFIX}`) || path.startsWith(`${INSPECTION_PREFIX}/uploads/`)
    if (recorded) {
      res.on('finish', () => {
        const info = apiInfo.get(req)
        engine.keep(requestLog, {
          method: req.method ?? 'GET',
          path,
          status: res.statusCode,
          time: new Date(started).toISOString(),
          duration_ms: Date.now() - started,
          ...(info ? { endpoint: info.endpoint, organization: info.orgId } : {})
        })
      })
    }
    router.lookup(req, res)
  })
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  baseUrl = `http://${host}:${port}`

  return {
    url: baseUrl,
    port,
    close() {
      closing ??= new Promise<void>(resolve => {
        const cleared = engine.close()
        server.close(() => void cleared.then(resolve, resolve))
        server.closeIdleConnections()
        // Otherwise a socket whose answer was still running would idle on after it until the grace period ends.
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close')
        // Requests still running after a grace period (a long injected latency) are cut off.
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref()
      })
      return closing
    }
  }
}

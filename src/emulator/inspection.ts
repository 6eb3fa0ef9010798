/**
 * `/_emulator/`: what tests and users debugging a workflow need to see (received requests, webhook delivery
 * attempts, jobs), a reset, and the upload targets that reference-content and presigned-upload replies point to.
 * No authentication: the emulator is a local tool. The API key is never recorded.
 */
import type Router from 'find-my-way'
import type { EmulatorEngine } from './engine.js'
import type { RequestGate } from './faults.js'
import { BodyTooLarge, type Reply, readBody, send } from './http.js'

export const INSPECTION_PREFIX = '/_emulator'

/** Uploaded files above this are refused. */
const UPLOAD_LIMIT = 64 * 1024 * 1024

export interface RequestLogEntry {
  method: string
  /** Path and query string. */
  path: string
  status: number
  time: string
  duration_ms: number
  endpoint?: string
  organization?: string
}

export interface InspectionContext {
  engine: EmulatorEngine
  gate: RequestGate
  requestLog: RequestLogEntry[]
}

export function registerInspectionRoutes(router: Router.Instance<Router.HTTPVersion.V1>, ctx: InspectionContext): void {
  const { engine } = ctx
  const json = (path: string, method: 'GET' | 'POST', reply: () => Reply) =>
    router.on(method, INSPECTION_PREFIX + path, (_req, res) => send(res, reply()))

  json('', 'GET', () => ({
    status: 200,
    body: {
      emulator: 'pique',
      endpoints: {
        requests: `GET ${INSPECTION_PREFIX}/requests`,
        webhooks: `GET ${INSPECTION_PREFIX}/webhooks`,
        jobs: `GET ${INSPECTION_PREFIX}/jobs`,
        reset: `POST ${INSPECTION_PREFIX}/reset`
      }
    }
  }))
  json('/requests', 'GET', () => ({ status: 200, body: { requests: ctx.requestLog } }))
  json('/webhooks', 'GET', () => ({ status: 200, body: { deliveries: engine.webhookLog } }))
  json('/jobs', 'GET', () => ({
    status: 200,
    body: {
      jobs: engine.allJobs().map(j => ({
        job_id: j.id,
        batch_id: j.batchId,
        judge_id: j.judgeId,
        organization: j.orgId,
        url: j.url,
        status: j.status,
        webhook_url: j.webhookUrl ?? null,
        overall_score: j.result?.overallScore ?? null,
        error: j.result?.error ?? null
      }))
    }
  }))
  json('/reset', 'POST', () => {
    engine.reset()
    ctx.gate.reset()
    ctx.requestLog.length = 0
    return { status: 200, body: { reset: true } }
  })

  const upload = (path: string, accept: (params: Record<string, string | undefined>, bytes: Buffer) => Reply) =>
    router.on('PUT', INSPECTION_PREFIX + path, (req, res, params) => {
      readBody(req, UPLOAD_LIMIT)
        .then(bytes => accept(params as Record<string, string | undefined>, bytes))
        .catch((error: unknown): Reply => ({
          status: error instanceof BodyTooLarge ? 413 : 400,
          body: { detail: (error as Error).message }
        }))
        .then(reply => send(res, reply))
    })
  upload('/uploads/jobs/:job_id', (params, bytes) =>
    engine.receiveUpload(params.job_id ?? '', bytes)
      ? { status: 200 }
      : { status: 404, body: { detail: 'No job is waiting for an upload at this URL' } }
  )
  // Reference content is accepted and discarded: judges only check that their URIs are gs:// URIs.
  upload('/uploads/reference/:name', () => ({ status: 200 }))
}

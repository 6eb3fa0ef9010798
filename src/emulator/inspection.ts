/**
 * `/_emulator/`: what tests and users debugging a workflow need to see (received requests, webhook delivery
 * attempts, jobs), a reset, and the upload targets that reference-content and presigned-upload replies point to.
 * No authentication: the emulator is a local tool. The API key is never recorded.
 */
import type Router from 'find-my-way'
import type { EmulatorEngine } from './engine.js'
import type { RequestGate } from './faults.js'
import { type Reply, send } from './http.js'
import { UPLOADS_PATH } from './uploads.js'

export const INSPECTION_PREFIX = '/_emulator'

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
        error: j.result?.error ?? null,
        // A direct upload's declared file: what the gate sent in the presigned-upload request.
        upload: j.upload
          ? {
              filename: j.upload.filename,
              content_type: j.upload.contentType,
              size_bytes: j.upload.sizeBytes,
              title: j.upload.title ?? null,
              description: j.upload.description ?? null,
              received: j.upload.path !== undefined
            }
          : null
      }))
    }
  }))
  json('/reset', 'POST', () => {
    engine.reset()
    ctx.gate.reset()
    ctx.requestLog.length = 0
    return { status: 200, body: { reset: true } }
  })

  router.on('PUT', `${UPLOADS_PATH}/:slot`, (req, res, params) => {
    void engine.uploads.receive(params.slot ?? '', req, res, (slot, path) => engine.receiveUpload(slot, path))
  })
}

/**
 * POST /v1/webhooks/pique: raw bytes under the body limit (413), signature over those bytes (401 with a short
 * reason), a body that can be filed under a job (400: not UTF-8, not JSON, too deep, no job id or state), then the
 * group commit; 200 only once the event is durably committed. A body whose status or event is undocumented is kept
 * as received and marked unrecognised (200): refusing it would only make the sender retry it for hours.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readDeliveryState } from '../pique/results.js'
import { type DeliveryVerdict, type SignatureCheck, verifyDelivery } from '../pique/signature.js'
import { decodeJsonBody } from './body.js'
import type { IncomingEvent, IngestOutcome } from './db/backend.js'
import type { GroupCommit } from './group-commit.js'
import { readRawBody, sendError, sendJson, sendTooLarge } from './http.js'
import type { Logger } from './log.js'
import type { DeliveryOutcome, StoreMetrics } from './metrics.js'
import type { StoreOptions } from './options.js'
import { type IngestResponse, UNRECOGNISED_STATUS } from './protocol.js'

export interface IngestDeps {
  options: Pick<StoreOptions, 'webhookSecrets' | 'toleranceSeconds' | 'bodyLimitBytes' | 'acceptBodyOnlySignatures'>
  commit: GroupCommit<IncomingEvent, IngestOutcome>
  metrics: StoreMetrics
  log: Logger
}

/** Content codings the store reads: the signature covers the bytes as sent, and the store does not decompress. */
const IDENTITY = /^\s*(identity\s*)?$/i

export function createIngestHandler({ options, commit, metrics, log }: IngestDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const stopTimer = metrics.ingestSeconds.startTimer()
    const done = (outcome: DeliveryOutcome) => {
      metrics.deliveries.inc({ outcome })
      stopTimer()
    }
    const read = await readRawBody(req, options.bodyLimitBytes)
    if (!read.ok) {
      if (read.reason === 'too_large') {
        log.warn('delivery rejected', { reason: 'body too large', limit: options.bodyLimitBytes })
        sendTooLarge(res, options.bodyLimitBytes)
      }
      return done(read.reason === 'too_large' ? 'too_large' : 'error')
    }
    const verdict = verifyDelivery({
      headers: req.headersDistinct,
      rawBody: read.body,
      secrets: options.webhookSecrets,
      toleranceSeconds: options.toleranceSeconds,
      acceptBodyOnly: options.acceptBodyOnlySignatures
    })
    for (const c of verdict.checks)
      metrics.signatureChecks.inc({ header: c.header.toLowerCase(), format: c.format, result: c.failure ?? 'verified' })
    if (!verdict.ok) {
      metrics.verificationFailures.inc({ reason: verdict.failure })
      log.warn('delivery rejected', {
        reason: verdict.reason,
        failure: verdict.failure,
        signatures: describeChecks(verdict.checks),
        ...(verdict.failure === 'not_enabled' ? { hint: 'start the store with --accept-body-only-signatures' } : {}),
        remote: req.socket.remoteAddress
      })
      sendError(res, 401, verdict.reason)
      return done('unauthorized')
    }
    const encoding = req.headers['content-encoding']
    const decoded =
      encoding === undefined || IDENTITY.test(encoding)
        ? decodeJsonBody(read.body)
        : { ok: false as const, reason: 'compressed bodies are not accepted (Content-Encoding must be identity)' }
    const badRequest = (reason: string) => {
      log.warn('delivery rejected', { reason: reason.slice(0, 200) })
      sendError(res, 400, reason)
      done('bad_request')
    }
    if (!decoded.ok) return badRequest(decoded.reason)
    const state = readDeliveryState(decoded.json)
    if (!state.ok) return badRequest(`not a result body: ${state.reason}`)
    const status = state.status ?? UNRECOGNISED_STATUS
    try {
      const outcome = await commit.submit({
        jobId: state.jobId,
        status,
        rawBody: decoded.text,
        bodySha256: createHash('sha256').update(read.body).digest('hex'),
        eventTimestamp: state.timestamp,
        signedAt: signedAt(verdict),
        receivedAt: new Date()
      })
      const answer: IngestResponse = { ok: true, job_id: state.jobId, outcome }
      if (state.status === undefined) {
        answer.unrecognised = state.undocumented
        metrics.unrecognised.inc()
        log.info('delivery unrecognised', { job_id: state.jobId, why: state.undocumented, outcome })
      } else log.debug('delivery accepted', { job_id: state.jobId, status, outcome })
      sendJson(res, 200, answer)
      done(outcome)
    } catch (error) {
      // Not acknowledged: Pique retries the delivery.
      log.error('commit failed', {
        job_id: state.jobId,
        error: error instanceof Error ? error.message : String(error)
      })
      sendError(res, 503, 'store unavailable, retry later')
      done('error')
    }
  }
}

/** The audit row's `signed_at`: the verified signature's `t`, or 0 for a body-only signature (it carries none). */
function signedAt(verdict: Extract<DeliveryVerdict, { ok: true }>): number {
  return verdict.check.t ?? 0
}

/** `X-Pique-Signature t_v1 stale, X-Webhook-Signature sha256 not_enabled`: names, formats, results; no values. */
function describeChecks(checks: SignatureCheck[]): string {
  return checks
    .slice(0, 4)
    .map(c => `${c.header} ${c.format} ${c.failure ?? 'verified'}`)
    .join(', ')
}

/**
 * POST /v1/webhooks/pique: raw bytes under the body limit (413), signature over those bytes (401 with a short
 * reason), a body that can be filed under a job (400: not UTF-8, not JSON, too deep, no job id or state), then the
 * group commit; 200 only once the event is durably committed. A body whose status or event is undocumented is kept
 * as received and marked unrecognised (200): refusing it would only make the sender retry it for hours.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SignatureCheck } from '../pique/signature.js'
import type { IncomingEvent, IngestOutcome } from './db/backend.js'
import { checkDelivery } from './delivery.js'
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
    const check = checkDelivery(req.headersDistinct, read.body, options)
    if (check.status !== 413)
      for (const c of check.verdict.checks)
        metrics.signatureChecks.inc({
          header: c.header.toLowerCase(),
          format: c.format,
          result: c.failure ?? 'verified'
        })
    if (check.status === 401) {
      const { verdict } = check
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
    if (check.status !== 200) {
      // Quoted text in a reason comes from the body (a JSON token): logs never carry the body, so it is elided.
      log.warn('delivery rejected', { reason: check.reason.replace(/"[^"]*"/g, '"…"').slice(0, 200) })
      sendError(res, check.status, check.reason)
      return done(check.status === 413 ? 'too_large' : 'bad_request')
    }
    const { state, verdict } = check
    const status = state.status ?? UNRECOGNISED_STATUS
    try {
      const outcome = await commit.submit({
        jobId: state.jobId,
        status,
        rawBody: check.text,
        bodySha256: createHash('sha256').update(read.body).digest('hex'),
        eventTimestamp: state.timestamp,
        // A body-only signature carries no timestamp: 0.
        signedAt: verdict.check.t ?? 0,
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

/** `X-Pique-Signature t_v1 stale, X-Webhook-Signature sha256 not_enabled`: names, formats, results; no values. */
function describeChecks(checks: SignatureCheck[]): string {
  return checks
    .slice(0, 4)
    .map(c => `${c.header} ${c.format} ${c.failure ?? 'verified'}`)
    .join(', ')
}

/**
 * POST /v1/webhooks/pique: raw bytes under the body limit (413), signature over those bytes (401 with a short
 * reason), a result body (400), then the group commit; 200 only once the event is durably committed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readDeliveryState } from '../pique/results.js'
import { signatureFailureKind, signatureFromHeaders, verifySignature } from '../pique/signature.js'
import type { IncomingEvent, IngestOutcome } from './db/backend.js'
import type { GroupCommit } from './group-commit.js'
import { parseJson, readRawBody, sendError, sendJson } from './http.js'
import type { Logger } from './log.js'
import type { DeliveryOutcome, StoreMetrics } from './metrics.js'
import type { StoreOptions } from './options.js'
import type { IngestResponse } from './protocol.js'

export interface IngestDeps {
  options: Pick<StoreOptions, 'webhookSecrets' | 'toleranceSeconds' | 'bodyLimitBytes'>
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
        sendError(res, 413, `body larger than ${options.bodyLimitBytes} bytes`, { connection: 'close' })
      }
      return done(read.reason === 'too_large' ? 'too_large' : 'error')
    }
    const verified = verifySignature({
      header: signatureFromHeaders(req.headers),
      rawBody: read.body,
      secrets: options.webhookSecrets,
      toleranceSeconds: options.toleranceSeconds
    })
    if (!verified.ok) {
      metrics.verificationFailures.inc({ reason: signatureFailureKind(verified.reason) })
      log.warn('delivery rejected', { reason: verified.reason, remote: req.socket.remoteAddress })
      sendError(res, 401, verified.reason)
      return done('unauthorized')
    }
    // Decoded once: parsed here, stored as received below.
    const rawBody = read.body.toString('utf8')
    const state = readDeliveryState(parseJson(rawBody))
    if (!state.ok || state.status === undefined) {
      // Until the store keeps deliveries it does not recognise, an undocumented status or event is refused as before.
      const reason = state.ok ? state.undocumented : state.reason
      log.warn('delivery rejected', { reason: 'not a result body', detail: reason })
      sendError(res, 400, `not a result body: ${reason}`)
      return done('bad_request')
    }
    const result = state
    try {
      const outcome = await commit.submit({
        jobId: result.jobId,
        status: result.status,
        rawBody,
        eventTimestamp: result.timestamp,
        signedAt: verified.t,
        receivedAt: new Date()
      })
      log.debug('delivery accepted', { job_id: result.jobId, status: result.status, outcome })
      const answer: IngestResponse = { ok: true, job_id: result.jobId, outcome }
      sendJson(res, 200, answer)
      done(outcome)
    } catch (error) {
      // Not acknowledged: Pique retries the delivery.
      log.error('commit failed', {
        job_id: result.jobId,
        error: error instanceof Error ? error.message : String(error)
      })
      sendError(res, 503, 'store unavailable, retry later')
      done('error')
    }
  }
}

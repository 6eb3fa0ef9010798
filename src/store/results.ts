/**
 * POST /v1/results/lookup (bearer read token): for each content identity under one judge fingerprint, the newest
 * completed result young enough to reuse, the result before it (for deltas) and the base branch's newest result.
 * One request for a whole run: the gate asks before submitting anything.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { StoreBackend } from './db/backend.js'
import { answerLookupJson } from './db/history.js'
import { sendJsonParts } from './http.js'
import { ResultBodyCache } from './result-bodies.js'
import { STORE_PATHS, requestBodyLimit, resultLookupRequestSchema } from './protocol.js'
import { readBody } from './reads.js'

export function createResultsHandler(deps: { backend: StoreBackend; bodyLimitBytes: number }) {
  const limit = requestBodyLimit(STORE_PATHS.results, deps.bodyLimitBytes)
  const cache = new ResultBodyCache(ids => deps.backend.resultBodies(ids))
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, res, limit, resultLookupRequestSchema)
    if (!body) return
    const rows = await deps.backend.historyRows(body)
    const bodies = await cache.bodies(rows.map(r => r.job_id))
    sendJsonParts(res, 200, answerLookupJson(body, rows, bodies, new Date()))
  }
}

/**
 * The read API (bearer read token): one job, a long-polling query over many jobs, registration of submitted
 * jobs, and a batch's jobs. Bodies are checked with the protocol's zod schemas.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { isTerminalJobStatus } from '../pique/limits.js'
import { formatPath } from '../pique/schema.js'
import type { ChangeHub } from './change-hub.js'
import type { StoreBackend } from './db/backend.js'
import { decodeJsonBody } from './body.js'
import { readRawBody, sendError, sendJson, sendTooLarge } from './http.js'
import {
  type BatchResponse,
  type QueryRequest,
  type QueryResponse,
  type StoredJob,
  queryRequestSchema,
  registerRequestSchema
} from './protocol.js'

export interface ReadDeps {
  backend: StoreBackend
  hub: ChangeHub
  bodyLimitBytes: number
  /** True once the store is shutting down: waiters answer at once (the store wakes them all). */
  closing: () => boolean
}

/** The body as JSON matching `schema`, or undefined once a 400/413 has been answered. */
export async function readBody<T extends z.ZodType>(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  schema: T
): Promise<z.infer<T> | undefined> {
  const read = await readRawBody(req, limit)
  if (!read.ok) {
    if (read.reason === 'too_large') sendTooLarge(res, limit)
    return undefined
  }
  const decoded = decodeJsonBody(read.body)
  if (!decoded.ok) {
    sendError(res, 400, decoded.reason)
    return undefined
  }
  const parsed = schema.safeParse(decoded.json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    sendError(res, 400, `${formatPath(issue.path as (string | number)[]) || 'body'}: ${issue.message}`)
    return undefined
  }
  return parsed.data
}

/** A requested job as far as an answer's cursor, `missing` and `settled` need it. */
type JobState = Pick<StoredJob, 'job_id' | 'status' | 'seq'>

/** The cursor (the newest change among the requested jobs, or `after`) and the ids the store has never heard of. */
function answerFrom<T extends JobState>(
  req: QueryRequest,
  jobs: T[]
): { jobs: T[]; missing: string[]; cursor: number } {
  const known = new Set(jobs.map(j => j.job_id))
  const cursor = jobs.reduce((max, j) => Math.max(max, j.seq), req.after)
  return { jobs, missing: req.job_ids.filter(id => !known.has(id)), cursor }
}

/** Answer now when a requested job changed after `after`, or every requested job is terminal. */
function settled(req: QueryRequest, answer: { jobs: JobState[]; missing: string[] }): boolean {
  if (answer.jobs.some(j => j.seq > req.after)) return true
  return answer.missing.length === 0 && answer.jobs.every(j => isTerminalJobStatus(j.status))
}

/**
 * The answer as the database stands, and whether it should be sent now. With `changed_only` every requested job's
 * status and sequence are read, and whole rows (result bodies parsed) only for the jobs that changed: reading and
 * parsing every pending job's row on each wake, to send a few, was most of the store's work in a large wait.
 */
async function readAnswer(deps: ReadDeps, req: QueryRequest, ids: string[]): Promise<[QueryResponse, boolean]> {
  if (!req.changed_only) {
    const answer = answerFrom(req, await deps.backend.getJobs(ids))
    return [answer, settled(req, answer)]
  }
  const states = answerFrom(req, await deps.backend.jobStates(ids))
  const changed = states.jobs.filter(j => j.seq > req.after).map(j => j.job_id)
  // Rows read after the states may be newer than the cursor: the next answer then repeats them, never skips one.
  const jobs = changed.length ? await deps.backend.getJobs(changed) : []
  return [{ ...states, jobs }, settled(req, states)]
}

/**
 * Long-poll: subscribe first, then read, so no change between the read and the wait is missed; every wake
 * re-reads the database. Ends early when the client goes away or the store closes (which wakes everyone).
 */
async function longPoll(deps: ReadDeps, asked: QueryRequest, abandoned: Promise<void>): Promise<QueryResponse> {
  const ids = [...new Set(asked.job_ids)]
  // A cursor beyond this store's sequence comes from before its database was replaced (restored, recreated): every
  // change here is news to that reader, and `changed_only` would otherwise hide them all for the rest of its wait.
  const req = asked.after > 0 && asked.after > (await deps.backend.latestSeq()) ? { ...asked, after: 0 } : asked
  const deadline = Date.now() + req.wait_seconds * 1000
  const state: { woken: boolean; gone: boolean; wake?: () => void } = { woken: false, gone: false }
  const wake = () => {
    state.woken = true
    state.wake?.()
  }
  const unsubscribe = deps.hub.watch(ids, wake)
  void abandoned.then(() => {
    state.gone = true
    wake()
  })
  try {
    for (;;) {
      state.woken = false
      const [answer, now] = await readAnswer(deps, req, ids)
      const left = deadline - Date.now()
      if (now || left <= 0 || deps.closing() || state.gone) return answer
      if (state.woken) continue
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, left)
        state.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      state.wake = undefined
    }
  } finally {
    unsubscribe()
  }
}

export function createReadHandlers(deps: ReadDeps) {
  return {
    async job(_req: IncomingMessage, res: ServerResponse, jobId: string): Promise<void> {
      const [job] = await deps.backend.getJobs([jobId])
      if (!job) return sendError(res, 404, `job ${jobId} is unknown to this store`)
      sendJson(res, 200, job)
    },

    async query(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const body = await readBody(req, res, deps.bodyLimitBytes, queryRequestSchema)
      if (!body) return
      const abandoned = new Promise<void>(resolve => res.once('close', () => resolve()))
      sendJson(res, 200, await longPoll(deps, body, abandoned))
    },

    async register(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const body = await readBody(req, res, deps.bodyLimitBytes, registerRequestSchema)
      if (!body) return
      await deps.backend.register(body.jobs)
      sendJson(res, 200, { ok: true, registered: body.jobs.length })
    },

    async batch(_req: IncomingMessage, res: ServerResponse, batchId: string): Promise<void> {
      const jobs = await deps.backend.batch(batchId)
      if (jobs.length === 0) return sendError(res, 404, `batch ${batchId} has no registered jobs`)
      const answer: BatchResponse = { batch_id: batchId, jobs }
      sendJson(res, 200, answer)
    }
  }
}

/**
 * Evaluation result bodies, as sent by webhooks and by `GET /v1/evaluations/results/{job_id}`.
 * The two documented spellings (`results`/`criterion_id` and `detector_results`/`detector_config_id`)
 * are both read; `event` is inferred from `status` when missing. Everything downstream sees `EvaluationResult`.
 */
import { z } from 'zod'
import { issuesLine } from './schema.js'
import { JOB_STATUSES, type JobStatus, LIMITS, RESULT_EVENTS, type ResultEvent, isTerminalJobStatus } from './limits.js'

const score = z.number().min(LIMITS.score.min).max(LIMITS.score.max)

export const detectorResultSchema = z.looseObject({
  criterion_id: z.string().optional(),
  detector_config_id: z.string().optional(),
  detector_name: z.string(),
  pass_check: z.boolean().nullable().optional(),
  score: score.nullable().optional(),
  rationale: z.string().nullable().optional(),
  metrics: z.record(z.string(), z.unknown()).nullable().optional(),
  timestamps: z.array(z.number()).nullable().optional(),
  flagged_frames: z.array(z.unknown()).nullable().optional()
})

export const resultBodySchema = z
  .looseObject({
    event: z.enum(RESULT_EVENTS).optional(),
    evaluation_id: z.string().nullable().optional(),
    job_id: z.string().min(1),
    content_id: z.string().nullable().optional(),
    judge_id: z.string().nullable().optional(),
    status: z.enum(JOB_STATUSES),
    overall_score: score.nullable().optional(),
    timestamp: z.string().optional(),
    results: z.array(detectorResultSchema).nullable().optional(),
    detector_results: z.array(detectorResultSchema).nullable().optional(),
    error: z.string().nullable().optional()
  })
  .superRefine((body, ctx) => {
    if (body.status === 'completed' && typeof body.overall_score !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['overall_score'], message: 'a completed result needs overall_score' })
    }
    if (body.event && body.event !== eventForStatus(body.status)) {
      ctx.addIssue({
        code: 'custom',
        path: ['event'],
        message: `event ${body.event} does not match status ${body.status}`
      })
    }
  })
export type ResultBody = z.infer<typeof resultBodySchema>

export interface DetectorResult {
  /** `criterion_id` or `detector_config_id`, whichever was sent. */
  id?: string
  detectorName: string
  passCheck?: boolean
  score?: number
  rationale?: string
  metrics?: Record<string, unknown>
  /** Flagged seconds, when the detector reports them. */
  timestamps?: number[]
  flaggedFrames?: unknown[]
}

export interface EvaluationResult {
  event: ResultEvent
  jobId: string
  status: JobStatus
  judgeId?: string
  evaluationId?: string
  contentId?: string
  overallScore?: number
  detectorResults: DetectorResult[]
  error?: string
  timestamp?: string
}

export function eventForStatus(status: JobStatus): ResultEvent {
  if (status === 'completed') return 'evaluation.completed'
  if (status === 'failed') return 'evaluation.failed'
  return 'evaluation.pending'
}

export function isTerminal(result: Pick<EvaluationResult, 'status'>): boolean {
  return isTerminalJobStatus(result.status)
}

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v)

/** Read a validated body in either spelling. */
export function normalizeResult(body: ResultBody): EvaluationResult {
  const list = body.detector_results ?? body.results ?? []
  return {
    event: body.event ?? eventForStatus(body.status),
    jobId: body.job_id,
    status: body.status,
    judgeId: opt(body.judge_id),
    evaluationId: opt(body.evaluation_id),
    contentId: opt(body.content_id),
    overallScore: opt(body.overall_score),
    detectorResults: list.map(d => ({
      id: d.detector_config_id ?? d.criterion_id,
      detectorName: d.detector_name,
      passCheck: opt(d.pass_check),
      score: opt(d.score),
      rationale: opt(d.rationale),
      metrics: opt(d.metrics),
      timestamps: opt(d.timestamps),
      flaggedFrames: opt(d.flagged_frames)
    })),
    error: opt(body.error),
    timestamp: body.timestamp
  }
}

/** Parse unknown JSON as a result body, or say on one line every way it is not one. */
export function parseResultBody(json: unknown): { ok: true; result: EvaluationResult } | { ok: false; reason: string } {
  const parsed = resultBodySchema.safeParse(json)
  if (!parsed.success) return { ok: false, reason: issuesLine(parsed.error.issues) }
  return { ok: true, result: normalizeResult(parsed.data) }
}

export type ResultSpelling = 'webhook' | 'results-endpoint'

/**
 * Serialize a result the way the service does: webhooks use `results` + `criterion_id` (the seed's form),
 * the results endpoint uses `detector_results` + `detector_config_id`.
 */
export function serializeResult(r: EvaluationResult, spelling: ResultSpelling): Record<string, unknown> {
  const base: Record<string, unknown> = { event: r.event, job_id: r.jobId, status: r.status }
  if (r.judgeId !== undefined) base.judge_id = r.judgeId
  if (r.timestamp !== undefined) base.timestamp = r.timestamp
  if (r.status === 'failed') {
    base.error = r.error ?? 'Evaluation failed'
    return base
  }
  if (r.status !== 'completed') return base
  const idKey = spelling === 'webhook' ? 'criterion_id' : 'detector_config_id'
  const details = r.detectorResults.map(d => {
    const out: Record<string, unknown> = { [idKey]: d.id, detector_name: d.detectorName }
    if (d.passCheck !== undefined) out.pass_check = d.passCheck
    if (d.score !== undefined) out.score = d.score
    if (d.rationale !== undefined) out.rationale = d.rationale
    if (d.metrics !== undefined) out.metrics = d.metrics
    if (spelling === 'results-endpoint' && d.timestamps !== undefined) out.timestamps = d.timestamps
    if (spelling === 'results-endpoint' && d.flaggedFrames !== undefined) out.flagged_frames = d.flaggedFrames
    return out
  })
  return {
    event: r.event,
    evaluation_id: r.evaluationId,
    job_id: r.jobId,
    content_id: r.contentId,
    judge_id: r.judgeId,
    status: r.status,
    overall_score: r.overallScore,
    timestamp: r.timestamp,
    [spelling === 'webhook' ? 'results' : 'detector_results']: details
  }
}

/** How a webhook receiver files a delivery: under its job, with its documented state or why it has none. */
export type DeliveryState =
  | { ok: true; jobId: string; status: JobStatus; timestamp?: string }
  | { ok: true; jobId: string; status: undefined; undocumented: string; timestamp?: string }
  | { ok: false; reason: string }

const envelopeSchema = z.looseObject({
  job_id: z.string().min(1),
  status: z.string().min(1).optional(),
  event: z.string().min(1).optional(),
  timestamp: z.string().optional().catch(undefined)
})

const STATUS_FOR_EVENT: Record<ResultEvent, JobStatus> = {
  'evaluation.pending': 'pending',
  'evaluation.completed': 'completed',
  'evaluation.failed': 'failed'
}

/**
 * Read a delivery as liberally as a reader does: it needs a job id and a state (`status`, or an `event` standing
 * for one). A documented status is its state (status decides when a documented `event` disagrees); an undocumented
 * `status` or `event` leaves it without one (`undocumented` says why): not finished yet. The rest of the body
 * (scores, detector results) is for the readers to judge.
 */
export function readDeliveryState(json: unknown): DeliveryState {
  const parsed = envelopeSchema.safeParse(json)
  if (!parsed.success) return { ok: false, reason: issuesLine(parsed.error.issues) }
  const { job_id: jobId, status, event, timestamp } = parsed.data
  if (status === undefined && event === undefined) return { ok: false, reason: 'body: has neither status nor event' }
  const known = { jobId, ...(timestamp === undefined ? {} : { timestamp }) }
  const undocumented = (what: string) => ({ ...known, ok: true as const, status: undefined, undocumented: what })
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status))
    return undocumented(`status ${JSON.stringify(status.slice(0, 40))} is not a documented job status`)
  if (event !== undefined && !(RESULT_EVENTS as readonly string[]).includes(event))
    return undocumented(`event ${JSON.stringify(event.slice(0, 40))} is not a documented event`)
  return { ...known, ok: true, status: (status as JobStatus | undefined) ?? STATUS_FOR_EVENT[event as ResultEvent] }
}

/**
 * Evaluation result bodies, as sent by webhooks and by `GET /v1/evaluations/results/{job_id}`, read liberally
 * (../shared/pique-api.md, "Replies the docs do not show"). Both documented spellings (`results`/`criterion_id`
 * and `detector_results`/`detector_config_id`) are read; `event` is inferred from `status` when missing (and
 * `status` from `event`). Every body that names a job is read into an `EvaluationResult` whose `outcome` says what
 * it means for the gate; only a body that names no job (or no state at all) is unreadable:
 * - an undocumented `status`, or an undocumented `event`, is `running` (not finished yet) with a note;
 * - when a documented `event` and `status` disagree, the status decides, with a note;
 * - a `completed` body without a usable `overall_score` (missing, null, not a number, outside 0–1) is `unusable`:
 *   that job's evaluation error, with the precise reason in `error`;
 * - extra fields are ignored, and a detector entry's unusable field is dropped rather than failing the body.
 */
import { z } from 'zod'
import { issuesLine, maybe } from './schema.js'
import { type JobStatus, LIMITS, RESULT_EVENTS, type ResultEvent, isJobStatus } from './limits.js'

/** running: not finished yet. completed: a usable score. failed: Pique says it failed. unusable: see above. */
export type ResultOutcome = 'running' | 'completed' | 'failed' | 'unusable'

/** Something about a body that differs from the documented examples, worded for a log line or the report. */
export interface ResultNote {
  kind: 'undocumented_status' | 'undocumented_event' | 'disagreement'
  /** The value the note is about (`queued`; `evaluation.failed/completed` for a disagreement). */
  value: string
  message: string
}

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
  /** As sent, or inferred from the status. */
  event: string
  jobId: string
  /** As sent (it may be undocumented), or inferred from the event; `unknown` (NO_STATUS) when neither says. */
  status: string
  /** What the body means for the gate. */
  outcome: ResultOutcome
  judgeId?: string
  evaluationId?: string
  contentId?: string
  /** Only on a `completed` outcome: a number in [0, 1]. */
  overallScore?: number
  detectorResults: DetectorResult[]
  /** Pique's error of a failed evaluation; the precise reason of an unusable one. */
  error?: string
  timestamp?: string
  /** Differences from the documented bodies; absent or empty when there are none. */
  notes?: ResultNote[]
}

export function eventForStatus(status: JobStatus): ResultEvent {
  if (status === 'completed') return 'evaluation.completed'
  if (status === 'failed') return 'evaluation.failed'
  return 'evaluation.pending'
}

/** The outcome a documented status stands for (a completed one still needs its score checked). */
function outcomeForStatus(status: JobStatus): ResultOutcome {
  return status === 'completed' ? 'completed' : status === 'failed' ? 'failed' : 'running'
}

export function isTerminal(result: Pick<EvaluationResult, 'outcome'>): boolean {
  return result.outcome !== 'running'
}

const isResultEvent = (value: string): value is ResultEvent => (RESULT_EVENTS as readonly string[]).includes(value)

/** The status of a body that sends none, with an event the docs do not show. */
const NO_STATUS = 'unknown'

/** The status a documented event implies when the body sends no status. */
const STATUS_FOR_EVENT: Record<ResultEvent, JobStatus> = {
  'evaluation.pending': 'pending',
  'evaluation.completed': 'completed',
  'evaluation.failed': 'failed'
}

// Lenient field readers: a value of the wrong type reads as absent instead of failing the body.
const text = maybe(z.string())
const flag = maybe(z.boolean())
const score01 = maybe(z.number().min(LIMITS.score.min).max(LIMITS.score.max))

const detectorResultSchema = z.looseObject({
  criterion_id: text,
  detector_config_id: text,
  detector_name: z.string().min(1).catch('unknown'),
  pass_check: flag,
  score: score01,
  rationale: text,
  metrics: z.record(z.string(), z.unknown()).optional().catch(undefined),
  timestamps: z.array(z.number()).optional().catch(undefined),
  flagged_frames: z.array(z.unknown()).optional().catch(undefined)
})

/** The fields a body needs to be read at all; everything else is read leniently. */
const envelopeSchema = z.looseObject({
  job_id: z.string().min(1),
  status: z.string().min(1).optional(),
  event: z.string().min(1).optional()
})

/**
 * Read unknown JSON as a result body. `expectedJobId` (the results endpoint's path) stands in for a missing
 * `job_id`, and a body naming another job is refused. Unreadable only when it names no job or no state.
 */
export function parseResultBody(
  json: unknown,
  expectedJobId?: string
): { ok: true; result: EvaluationResult } | { ok: false; reason: string } {
  const base = identified(json, expectedJobId)
  const envelope = envelopeSchema.safeParse(base)
  if (!envelope.success) return { ok: false, reason: issuesLine(envelope.error.issues) }
  const body = envelope.data as z.infer<typeof envelopeSchema> & Record<string, unknown>
  if (expectedJobId !== undefined && body.job_id !== expectedJobId)
    return { ok: false, reason: `job_id: names ${body.job_id}, not the job asked for (${expectedJobId})` }
  const state = readState(body.status, body.event)
  if (!state.ok) return state
  const { status, event, notes } = state
  const list = Array.isArray(body.detector_results)
    ? body.detector_results
    : Array.isArray(body.results)
      ? body.results
      : []
  const detectorResults = list
    .filter(d => d && typeof d === 'object' && !Array.isArray(d))
    .map(d => detectorResult(detectorResultSchema.parse(d)))
  const result: EvaluationResult = {
    event,
    jobId: body.job_id,
    status,
    outcome: state.outcome,
    judgeId: text.parse(body.judge_id),
    evaluationId: text.parse(body.evaluation_id),
    contentId: text.parse(body.content_id),
    detectorResults,
    timestamp: text.parse(body.timestamp),
    ...(notes.length ? { notes } : {})
  }
  if (result.outcome === 'failed') {
    const error = text.parse(body.error) ?? text.parse(body.error_message)
    if (error) result.error = error
  }
  if (result.outcome === 'completed') {
    const problem = scoreProblem(body.overall_score, 'overall_score' in body)
    if (problem) {
      result.outcome = 'unusable'
      result.error = `Pique reported the evaluation completed, but ${problem}`
    } else result.overallScore = body.overall_score as number
  }
  return { ok: true, result }
}

/** The body with a null `job_id`, `status` or `event` read as absent, and a missing `job_id` supplied. */
function identified(json: unknown, expectedJobId: string | undefined): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json
  const out: Record<string, unknown> = { ...json }
  for (const key of ['job_id', 'status', 'event']) if (out[key] === null) delete out[key]
  if (out.job_id === undefined && expectedJobId !== undefined) out.job_id = expectedJobId
  return out
}

/** Status, event and outcome of a body: the status decides; undocumented values mean "not finished yet". */
function readState(
  sentStatus: string | undefined,
  sentEvent: string | undefined
):
  | { ok: true; status: string; event: string; outcome: ResultOutcome; notes: ResultNote[] }
  | { ok: false; reason: string } {
  const notes: ResultNote[] = []
  const eventKnown = sentEvent !== undefined && isResultEvent(sentEvent)
  if (sentEvent !== undefined && !eventKnown)
    notes.push({
      kind: 'undocumented_event',
      value: sentEvent,
      message: `undocumented event "${sentEvent}": read as not finished yet, still waiting`
    })
  if (sentStatus === undefined && sentEvent === undefined)
    return { ok: false, reason: 'body: has neither status nor event' }
  // Only an undocumented event and no status: nothing says the job finished.
  if (sentStatus === undefined && !eventKnown)
    return { ok: true, status: NO_STATUS, event: sentEvent as string, outcome: 'running', notes }
  const status = sentStatus ?? STATUS_FOR_EVENT[sentEvent as ResultEvent]
  if (!isJobStatus(status)) {
    notes.push({
      kind: 'undocumented_status',
      value: status,
      message: `undocumented job status "${status}": read as not finished yet, still waiting`
    })
    return { ok: true, status, event: sentEvent ?? 'evaluation.pending', outcome: 'running', notes }
  }
  const implied = eventForStatus(status)
  if (eventKnown && sentEvent !== implied)
    notes.push({
      kind: 'disagreement',
      value: `${sentEvent}/${status}`,
      message: `event "${sentEvent}" disagrees with status "${status}": the status decides`
    })
  const outcome = sentEvent !== undefined && !eventKnown ? 'running' : outcomeForStatus(status)
  return { ok: true, status, event: sentEvent ?? implied, outcome, notes }
}

/** Why `overall_score` is not a usable score, or undefined when it is one. */
function scoreProblem(value: unknown, present: boolean): string | undefined {
  if (!present || value === undefined) return 'without overall_score'
  if (value === null) return 'overall_score is null'
  if (typeof value !== 'number') return `overall_score is ${JSON.stringify(value).slice(0, 40)}, not a number`
  if (!Number.isFinite(value) || value < LIMITS.score.min || value > LIMITS.score.max)
    return `overall_score ${value} is outside ${LIMITS.score.min}–${LIMITS.score.max}`
  return undefined
}

function detectorResult(d: z.infer<typeof detectorResultSchema>): DetectorResult {
  return {
    id: d.detector_config_id ?? d.criterion_id,
    detectorName: d.detector_name,
    passCheck: d.pass_check,
    score: d.score,
    rationale: d.rationale,
    metrics: d.metrics,
    timestamps: d.timestamps,
    flaggedFrames: d.flagged_frames
  }
}

/** How a webhook receiver files a delivery: under its job, with its documented state or why it has none. */
export type DeliveryState =
  | { ok: true; jobId: string; status: JobStatus; timestamp?: string }
  | { ok: true; jobId: string; status: undefined; undocumented: string; timestamp?: string }
  | { ok: false; reason: string }

/**
 * A delivery as a webhook receiver files it, read by `parseResultBody` (one rule for the store and the gate): a job
 * id and a state are needed; a documented status is its state (it decides when a documented event disagrees); an
 * undocumented status or event leaves it without one (`undocumented` says why): not finished yet. Scores and
 * detector results are left to the readers (a completed body without a usable score is filed `completed`, and read
 * as that job's evaluation error).
 */
export function readDeliveryState(json: unknown): DeliveryState {
  const parsed = parseResultBody(json)
  if (!parsed.ok) return parsed
  const r = parsed.result
  const known = { jobId: r.jobId, ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }) }
  // An undocumented status is named before an undocumented event: it is the field that decides.
  const status = r.notes?.find(n => n.kind === 'undocumented_status')
  const event = r.notes?.find(n => n.kind === 'undocumented_event')
  const undocumented = status
    ? `status ${quoted(status.value)} is not a documented job status`
    : event && `event ${quoted(event.value)} is not a documented event`
  if (undocumented) return { ...known, ok: true, status: undefined, undocumented }
  return { ...known, ok: true, status: r.status as JobStatus }
}

const quoted = (value: string) => JSON.stringify(value.slice(0, 40))

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

/**
 * The JSON report (schema documented in docs/report.md, versioned by REPORT_SCHEMA_VERSION): everything the run
 * knows, in snake_case like the Pique API and the action's `results` output. Secrets never reach it: the model
 * already has none, and anything named like a key, token, secret or password is dropped again here.
 */
import { mkdir, open, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Inputs } from '../config/settings.js'
import {
  type EarlierResult,
  type ItemOutcome,
  type NotEvaluatedReason,
  type RuleBreach,
  type RunError,
  type RunReport,
  type UrlItem,
  isFileItem,
  isUrlItem,
  joinedChunks
} from '../model/index.js'
import { type MeasuredSpecs, measuredSpecs } from './measured.js'
import type { DetectorResult } from '../pique/results.js'
import { durationMs } from './outcomes.js'

export interface JsonDetector {
  id: string | null
  name: string
  pass_check: boolean | null
  score: number | null
  rationale: string | null
  metrics: Record<string, unknown> | null
  timestamps: number[] | null
  flagged_frames: unknown[] | null
}

/** What every item's entry holds, whatever its kind. */
export interface JsonOutcome {
  source: { file: string; line: number }
  state: ItemOutcome['state']
  job_id: string | null
  batch_id: string | null
  score: number | null
  error: string | null
  job_status: string | null
  submitted_at: string | null
  finished_at: string | null
  duration_ms: number | null
  detectors: JsonDetector[]
  /** Why the item was never evaluated (a pending or not_evaluated item); null when it was. */
  not_evaluated: { reason: NotEvaluatedReason; detail: string } | null
  /** Every job submitted for the item, in submit order (more than one with retry-failed); the last decides it, unless noted. */
  attempts: JsonAttempt[]
  /** Pique may have created (and billed) a job for this item that the gate never saw. */
  maybe_billed: boolean
  /** The content identity results are reused under (`url:<normalised URL>` or `sha256:<hex>`); null when unknown. */
  identity: string | null
  /** Set when the result came from an earlier run (`job_id` is that run's job): not evaluated nor billed now. */
  reused: { completed_at: string; age_seconds: number } | null
  /** The item's result before this one (for the change shown and max-drop), and the base branch's (store only). */
  previous: JsonEarlier | null
  base: JsonEarlier | null
  /** Every rule the item broke, in words: threshold, require_pass_check, min_score, max_drop. */
  breaches: { rule: RuleBreach['rule']; detector: string | null; message: string }[]
}

export interface JsonAttempt {
  job_id: string | null
  batch_id: string | null
  state: ItemOutcome['state']
  error: string | null
  submitted_at: string | null
  /** The attempt whose result is the item's (a retry that did not finish leaves an earlier one deciding). */
  decides: boolean
}

export interface JsonEarlier {
  job_id: string
  score: number
  completed_at: string
  ref: string | null
}

/** An entry of `urls`: a URL item, exactly as before items had kinds. */
export interface JsonUrl extends JsonOutcome {
  url: string
}

/** A media file item: where it is, what it is, and what the judge measured of it. */
export interface JsonFile extends JsonOutcome {
  /** Repository-relative path; with `sha256`, the file's identity. */
  path: string
  sha256: string
  size_bytes: number
  content_type: string
  mime: string
  title: string | null
  description: string | null
  /** Specs the judge measured (video_specs / image_specs metrics), when it reported any. */
  measured: MeasuredSpecs | null
  /** Jobs created for upload URLs that were refused or expired: they stay awaiting_upload at Pique. */
  abandoned_job_ids: string[]
}

/** An entry of `items`: every item with its kind; a URL item carries the same fields as in `urls`. */
export type JsonItem = ({ kind: 'url' } & JsonUrl) | ({ kind: 'file' } & JsonFile)

export interface JsonReport {
  schema_version: RunReport['schemaVersion']
  verdict: RunReport['verdict']
  reason: string
  threshold: number | null
  fail_on_error: boolean
  wait_mode: RunReport['waitMode']
  started_at: string
  finished_at: string
  duration_ms: number | null
  inputs: Record<string, unknown>
  judge: {
    id: string
    name: string
    origin: string
    status: string
    detectors: string[]
    fingerprint: string | null
  } | null
  batch_ids: string[]
  counts: {
    total: number
    passed: number
    below_threshold: number
    broke_rule: number
    failed: number
    pending: number
    not_evaluated: number
    submitted: number
    skipped_unchanged: number
    /** Jobs Pique created for the run's items, every attempt's: what it bills. */
    billed_jobs: number
    /** Items for which Pique may have created a job the gate never saw (submits of unknown outcome). */
    maybe_billed: number
    /** Decided on an earlier run's result: not evaluated, not billed by this run. */
    reused: number
  }
  min_score: number | null
  warnings: string[]
  /** Set when the run stopped before a verdict (verdict is then `failed`); null otherwise. */
  error: JsonError | null
  /** The URL items, as in every report before items had kinds. */
  urls: JsonUrl[]
  /** Every item, each with its `kind` (`url` or `file`). */
  items: JsonItem[]
}

export interface JsonError {
  kind: RunError['kind']
  message: string
  hint: string | null
  /** `line` and `column` are null for a problem about a whole file (not found, no glob match). */
  problems: { file: string; line: number | null; column: number | null; field: string; message: string }[]
  planned_urls: { url: string; source: { file: string; line: number } }[]
  planned_files: { path: string; sha256: string; source: { file: string; line: number } }[]
}

/** `api-key`, `store_token`, `webhookSecret`, `password`…: a name with one of these words is never written. */
const SECRET_NAME = /(^|[^a-z])(api-?key|key|token|secret|password|passwd|credentials?)([^a-z]|$)/i

/** Inputs whose names contain such a word but hold a choice, not a credential. */
const NOT_SECRETS = new Set<string>([Inputs.OnMissingKey])

export function isSecretName(name: string): boolean {
  if (NOT_SECRETS.has(name)) return false
  // Split camelCase so `storeToken` reads as `store-Token`.
  return SECRET_NAME.test(name.replace(/([a-z0-9])([A-Z])/g, '$1-$2'))
}

/** Removes secret-named keys at any depth. */
export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(v => withoutSecrets(v)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !isSecretName(k))
        .map(([k, v]) => [k, withoutSecrets(v)])
    ) as T
  }
  return value
}

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v)

function jsonDetector(d: DetectorResult): JsonDetector {
  return {
    id: orNull(d.id),
    name: d.detectorName,
    pass_check: orNull(d.passCheck),
    score: orNull(d.score),
    rationale: orNull(d.rationale),
    metrics: orNull(d.metrics),
    timestamps: orNull(d.timestamps),
    flagged_frames: orNull(d.flaggedFrames)
  }
}

function jsonUrl(o: ItemOutcome & UrlItem): JsonUrl {
  return { url: o.url, ...jsonOutcome(o) }
}

/** A URL item's entry reuses its `urls` entry when given (built once for both lists). */
function jsonItem(o: ItemOutcome, url?: JsonUrl): JsonItem {
  if (o.kind === 'url') return { kind: o.kind, ...(url ?? jsonUrl(o)) }
  return {
    kind: o.kind,
    path: o.path,
    sha256: o.sha256,
    size_bytes: o.size,
    content_type: o.contentType,
    mime: o.mime,
    title: orNull(o.title),
    description: orNull(o.description),
    measured: orNull(measuredSpecs(o)),
    abandoned_job_ids: o.abandonedJobIds ?? [],
    ...jsonOutcome(o)
  }
}

/** The item's jobs in submit order: the other attempts and its deciding job (none for an item never accepted). */
function jsonAttempts(o: ItemOutcome): JsonAttempt[] {
  const decides = o.jobId
    ? [
        {
          jobId: o.jobId,
          batchId: o.batchId,
          state: o.state,
          error: o.error,
          submittedAt: o.submittedAt,
          decides: true
        }
      ]
    : []
  return [...(o.otherJobs ?? []).map(a => ({ ...a, decides: false })), ...decides]
    .sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''))
    .map(a => ({
      job_id: orNull(a.jobId),
      batch_id: orNull(a.batchId),
      state: a.state,
      error: orNull(a.error),
      submitted_at: orNull(a.submittedAt),
      decides: a.decides
    }))
}

function jsonOutcome(o: ItemOutcome): JsonOutcome {
  return {
    source: { file: o.source.file, line: o.source.line },
    state: o.state,
    job_id: orNull(o.jobId),
    batch_id: orNull(o.batchId),
    score: orNull(o.score),
    error: orNull(o.error ?? o.result?.error),
    job_status: orNull(o.result?.status),
    submitted_at: orNull(o.submittedAt),
    finished_at: orNull(o.finishedAt),
    duration_ms: orNull(durationMs(o.submittedAt, o.finishedAt)),
    detectors: (o.result?.detectorResults ?? []).map(jsonDetector),
    not_evaluated: o.notEvaluated ? { reason: o.notEvaluated.reason, detail: o.notEvaluated.detail } : null,
    attempts: jsonAttempts(o),
    maybe_billed: o.maybeBilled === true,
    identity: orNull(o.identity),
    reused: o.reused ? { completed_at: o.reused.completedAt, age_seconds: o.reused.ageSeconds } : null,
    previous: jsonEarlier(o.previous),
    base: jsonEarlier(o.base),
    breaches: (o.breaches ?? []).map(b => ({ rule: b.rule, detector: orNull(b.detector), message: b.message }))
  }
}

function jsonEarlier(e: EarlierResult | undefined): JsonEarlier | null {
  return e ? { job_id: e.jobId, score: e.score, completed_at: e.completedAt, ref: orNull(e.ref) } : null
}

export function buildJsonReport(report: RunReport): JsonReport {
  const c = report.counts
  // Each URL item's entry is built once, for both lists.
  const entries = report.items.map(o => (isUrlItem(o) ? jsonUrl(o) : undefined))
  return {
    schema_version: report.schemaVersion,
    verdict: report.verdict,
    reason: report.reason,
    // Unknown (NaN) when the settings could not be read.
    threshold: Number.isFinite(report.threshold) ? report.threshold : null,
    fail_on_error: report.failOnError,
    wait_mode: report.waitMode,
    started_at: report.startedAt,
    finished_at: report.finishedAt,
    duration_ms: orNull(durationMs(report.startedAt, report.finishedAt)),
    // Metrics come from the service and are kept as sent; inputs and the judge are ours and get filtered.
    inputs: withoutSecrets(report.inputs),
    judge: report.judge ? withoutSecrets({ ...report.judge, fingerprint: orNull(report.judge.fingerprint) }) : null,
    batch_ids: report.batchIds,
    counts: {
      total: c.total,
      passed: c.passed,
      below_threshold: c.belowThreshold,
      broke_rule: c.brokeRule,
      failed: c.failed,
      pending: c.pending,
      not_evaluated: c.notEvaluated,
      submitted: c.submitted,
      billed_jobs: c.billedJobs,
      maybe_billed: c.maybeBilled,
      skipped_unchanged: report.skippedUnchanged,
      reused: c.reused
    },
    min_score: orNull(report.minScore),
    warnings: report.warnings,
    error: report.error ? jsonError(report.error) : null,
    urls: entries.filter((e): e is JsonUrl => e !== undefined),
    items: report.items.map((o, i) => jsonItem(o, entries[i]))
  }
}

function jsonError(e: RunError): JsonError {
  return {
    kind: e.kind,
    message: e.message,
    hint: orNull(e.hint),
    // The loaders mark "no position" with line 0; JSON says so with null.
    problems: e.problems.map(({ file, line, column, field, message }) =>
      line > 0 ? { file, line, column, field, message } : { file, line: null, column: null, field, message }
    ),
    planned_urls: e.plannedItems
      .filter(isUrlItem)
      .map(u => ({ url: u.url, source: { file: u.source.file, line: u.source.line } })),
    planned_files: e.plannedItems
      .filter(isFileItem)
      .map(f => ({ path: f.path, sha256: f.sha256, source: { file: f.source.file, line: f.source.line } }))
  }
}

/** Replaces every occurrence of each secret value, in case one slipped into a message. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text
  // includes() first: scanning is cheap, splitting a 20 MB report is not.
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join('***')
  return out
}

export async function writeTextFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, text, 'utf8')
}

/** Up to this many items the JSON report is indented for people; a larger one is written compact, for tools. */
export const INDENTED_REPORT_MAX_ITEMS = 1000

export async function writeJsonReport(report: RunReport, path: string, secrets: readonly string[] = []): Promise<void> {
  // Each secret as written and as JSON escapes it: a replacer visiting every value cost over a second at 10,000
  // items, and indenting 10,000 items doubles the size and the time.
  const hidden = [...new Set([...secrets, ...secrets.map(s => JSON.stringify(s).slice(1, -1))])]
  const json = buildJsonReport(report)
  if (report.items.length <= INDENTED_REPORT_MAX_ITEMS)
    return writeTextFile(path, redact(JSON.stringify(json, null, 2), hidden) + '\n')
  await mkdir(dirname(path), { recursive: true })
  const file = await open(path, 'w')
  try {
    // Each part redacted on its own (a part never splits a value): no 40 MB string is built, copied and scanned
    // between the last result and the exit.
    const redacted = function* () {
      for (const part of compactJsonParts(json)) yield redact(part, hidden)
      yield '\n'
    }
    for (const chunk of joinedChunks(redacted(), WRITE_CHUNK_CHARS)) await file.write(chunk)
  } finally {
    await file.close()
  }
}
const WRITE_CHUNK_CHARS = 1 << 20

/** `JSON.stringify(json)`, in parts: the head, then each entry of `urls` and of `items`, with their punctuation. */
export function compactJson(json: JsonReport): string {
  return [...compactJsonParts(json)].join('')
}

/**
 * Each URL entry is serialised once for both lists: an item entry is its `urls` entry with `"kind":"url"` in front.
 * A part never splits a value, so a secret inside one is redacted whole.
 */
function* compactJsonParts(json: JsonReport): Generator<string> {
  const { urls, items, ...head } = json
  yield `${JSON.stringify(head).slice(0, -1)},"urls":[`
  const urlTexts = urls.map(u => JSON.stringify(u))
  for (let i = 0; i < urlTexts.length; i++) yield i === 0 ? urlTexts[i] : `,${urlTexts[i]}`
  yield '],"items":['
  let next = 0
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    const text = item.kind === 'url' ? `{"kind":"url",${urlTexts[next++].slice(1)}` : JSON.stringify(item)
    yield i === 0 ? text : `,${text}`
  }
  yield ']}'
}

/**
 * Request and response shapes of the Pique API (../shared/pique-api.md), defined once with zod.
 * Request schemas are strict about documented rules; response schemas are loose (unknown fields pass),
 * because the service may add fields and a reader must not break on them.
 */
import { z } from 'zod'
import { DETECTOR_NAMES, type DetectorSpec, didYouMean, findDetector, knownConfigKeys } from './detectors.js'
import {
  CONTENT_TYPES,
  JUDGE_STATUSES,
  type JudgeStatus,
  LIMITS,
  LIST_CONTENT_TYPES,
  UPLOAD_CONTENT_TYPES
} from './limits.js'

export interface SchemaIssue {
  path: (string | number)[]
  message: string
}

// ---------- shared pieces ----------

/** A lenient reply field: a value of the wrong type reads as absent, so one odd field never fails a reply. */
export const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined)

/** An http(s) URL as the social-media endpoint accepts it. */
export const videoUrlSchema = z.string().superRefine((value, ctx) => {
  const reason = videoUrlProblem(value)
  if (reason) ctx.addIssue({ code: 'custom', message: reason })
})

/** Why a string is not an acceptable video URL, or undefined when it is. */
export function videoUrlProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'not a valid URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `expected an http or https URL, got ${url.protocol.slice(0, -1)}`
  if (!url.hostname) return 'URL has no host'
  return undefined
}

export const detectorSchema = z.object({
  detector_name: z.string().min(1),
  config: z.record(z.string(), z.unknown())
})
export type DetectorInput = z.infer<typeof detectorSchema>

/**
 * Documented rules of one detector's config. Errors are type and requirement violations; warnings are
 * unknown detectors and unknown keys (the catalogue grows), with a "did you mean" where one is close.
 */
export function checkDetector(
  detector: DetectorInput,
  contentType: string | undefined
): { errors: SchemaIssue[]; warnings: SchemaIssue[] } {
  const errors: SchemaIssue[] = []
  const warnings: SchemaIssue[] = []
  const spec = findDetector(detector.detector_name)
  if (!spec) {
    warnings.push({
      path: ['detector_name'],
      message: `unknown detector "${detector.detector_name}"${didYouMean(detector.detector_name, DETECTOR_NAMES)}; it is sent as is`
    })
    return { errors, warnings }
  }
  if (contentType && !spec.contentTypes.includes(contentType as never)) {
    warnings.push({
      path: ['detector_name'],
      message: `detector "${spec.name}" evaluates ${spec.contentTypes.join('/')} content, not ${contentType}`
    })
  }
  const config = detector.config
  if (spec.config) {
    const parsed = spec.config.safeParse(config)
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push({ path: ['config', ...issue.path.map(pathKey)], message: issue.message })
    }
    const known = knownConfigKeys(spec) ?? []
    for (const key of Object.keys(config)) {
      if (known.includes(key)) continue
      const hint = known.length === 0 ? ' (it takes no keys)' : didYouMean(key, known)
      warnings.push({ path: ['config', key], message: `unknown key for ${spec.name}${hint}` })
    }
  }
  errors.push(...crossFieldProblems(spec, config))
  return { errors, warnings }
}

function crossFieldProblems(spec: DetectorSpec, config: Record<string, unknown>): SchemaIssue[] {
  const out: SchemaIssue[] = []
  for (const group of spec.atLeastOneOf ?? []) {
    if (!group.some(k => config[k] !== undefined && config[k] !== null)) {
      out.push({ path: ['config'], message: `${spec.name} needs at least one of ${group.join(', ')}` })
    }
  }
  for (const [lo, hi] of spec.ranges ?? []) {
    const a = config[lo]
    const b = config[hi]
    if (typeof a === 'number' && typeof b === 'number' && a > b) {
      out.push({ path: ['config', lo], message: `${lo} (${a}) is greater than ${hi} (${b})` })
    }
  }
  return out
}

// ---------- judges ----------

/**
 * JSON with object keys sorted at every depth, so two judge definitions that differ only in key order give the
 * same text. Judges cannot be updated: the gate reuses a judge whose content is equal by this, and the emulator
 * seeds its scores from it.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        )
      : v
  )
}

export const createJudgeRequestSchema = z
  .object({
    name: z.string().min(LIMITS.judgeName.min).max(LIMITS.judgeName.max),
    description: z.string().min(LIMITS.judgeDescription.min).max(LIMITS.judgeDescription.max),
    content_type: z.enum(CONTENT_TYPES),
    detectors: z.array(detectorSchema).min(LIMITS.detectorsMin)
  })
  .superRefine(
    (body, ctx) => {
      for (const e of detectorIssues(body, 'errors')) ctx.addIssue({ code: 'custom', path: e.path, message: e.message })
    },
    // Run the detector rules even when another field failed, so one pass reports every problem.
    { when: payload => typeof payload.value === 'object' && payload.value !== null }
  )
export type CreateJudgeRequest = z.infer<typeof createJudgeRequestSchema>

/**
 * `checkDetector` over every well-formed detector of a (possibly invalid) create-judge body, with paths from
 * the body's root. Malformed detectors and a bad content type are left to the schema's own issues.
 */
function detectorIssues(body: unknown, kind: 'errors' | 'warnings'): SchemaIssue[] {
  const { content_type: contentType, detectors } = (body ?? {}) as { content_type?: unknown; detectors?: unknown }
  if (!Array.isArray(detectors)) return []
  const known = typeof contentType === 'string' && (CONTENT_TYPES as readonly string[]).includes(contentType)
  return detectors.flatMap((raw, i) => {
    const d = detectorSchema.safeParse(raw)
    if (!d.success) return []
    return checkDetector(d.data, known ? (contentType as string) : undefined)[kind].map(w => ({
      path: ['detectors', i, ...w.path],
      message: w.message
    }))
  })
}

/** Warnings (unknown detectors and config keys) for a create-judge body, valid or not. */
export function judgeWarnings(body: CreateJudgeRequest | Record<string, unknown>): SchemaIssue[] {
  return detectorIssues(body, 'warnings')
}

export const createJudgeResponseSchema = z.looseObject({
  id: z.string().min(1),
  // Read as sent: the gate fetches the judge next and judges its status there.
  status: maybe(z.string())
})
export type CreateJudgeResponse = z.infer<typeof createJudgeResponseSchema>

/** A judge as the docs show it: what the emulator serves. Readers use the lenient `Judge` below. */
export interface DocumentedJudge {
  id: string
  name: string
  description: string
  content_type: string
  status: JudgeStatus
  detector_configs: { id: string; detector_name: string; config: Record<string, unknown>; weight?: number }[]
  is_active: boolean
  created_at: string
  updated_at?: string
}

export const detectorConfigSchema = z.looseObject({
  id: maybe(z.string()),
  detector_name: maybe(z.string().min(1)),
  config: maybe(z.record(z.string(), z.unknown())),
  weight: maybe(z.number())
})

/**
 * A judge as listed or fetched, read liberally: only `id` is needed to read it. How it differs from the documented
 * shape (an undocumented or missing status, a missing name, description, content type or detector field) is in
 * `problems`: such a judge is never reused (the gate logs why at debug level), but it never makes a page unreadable.
 */
export const judgeSchema = z
  .looseObject({
    id: z.string().min(1),
    name: maybe(z.string()),
    description: maybe(z.string()),
    content_type: maybe(z.string()),
    status: maybe(z.string()),
    detector_configs: maybe(z.array(z.unknown())),
    is_active: maybe(z.boolean()),
    created_at: maybe(z.string()),
    updated_at: maybe(z.string())
  })
  .transform(raw => {
    const problems: string[] = []
    for (const key of ['name', 'description', 'content_type'] as const)
      if (raw[key] === undefined) problems.push(`no ${key}`)
    if (raw.status === undefined) problems.push('no status')
    else if (!(JUDGE_STATUSES as readonly string[]).includes(raw.status))
      problems.push(`undocumented status "${raw.status}"`)
    if (raw.detector_configs === undefined) problems.push('no detector_configs')
    const detectorConfigs = (raw.detector_configs ?? []).map((entry, i) => {
      const d = detectorConfigSchema.parse(entry && typeof entry === 'object' ? entry : {})
      if (d.detector_name === undefined) problems.push(`detector_configs[${i}] has no detector_name`)
      if (d.config === undefined) problems.push(`detector_configs[${i}] has no config`)
      return { ...d, config: d.config ?? {} }
    })
    return { ...raw, detector_configs: detectorConfigs, problems }
  })
/** `problems` is set by the reader; a judge built by hand (tests, fakes) may leave it out. */
export type Judge = Omit<z.output<typeof judgeSchema>, 'problems'> & { problems?: string[] }

export const listJudgesQuerySchema = z.object({
  limit: z.coerce.number().int().min(LIMITS.listLimit.min).max(LIMITS.listLimit.max).default(LIMITS.listLimit.default),
  offset: z.coerce.number().int().min(LIMITS.listOffsetMin).default(0),
  content_type: z.enum(LIST_CONTENT_TYPES).optional()
})
export type ListJudgesQuery = z.infer<typeof listJudgesQuerySchema>

/** A judge entry without an id cannot be used or even named: it is left out, and the page still reads. */
const listedJudgeSchema = z.unknown().transform(entry => {
  const parsed = judgeSchema.safeParse(entry)
  return parsed.success ? parsed.data : undefined
})

export const listJudgesResponseSchema = z.looseObject({
  judges: z.array(listedJudgeSchema).transform((list): Judge[] => list.filter(j => j !== undefined)),
  total: maybe(z.number().int()),
  /** Absent from a drifted reply: the client then infers it from `total`, or from a full page. */
  has_more: maybe(z.boolean())
})
export type ListJudgesResponse = z.infer<typeof listJudgesResponseSchema>

export const referenceContentRequestSchema = z.object({
  file_extension: z.string().min(LIMITS.referenceFileExtension.min).max(LIMITS.referenceFileExtension.max)
})
export const referenceContentResponseSchema = z.looseObject({
  upload_url: z.string(),
  reference_content_uri: z.string()
})
export type ReferenceContentResponse = z.infer<typeof referenceContentResponseSchema>

// ---------- evaluations ----------

export const socialMediaRequestSchema = z.object({
  judge_id: z.string().min(1),
  video_urls: z.array(videoUrlSchema).min(LIMITS.urlsPerBatch.min).max(LIMITS.urlsPerBatch.max),
  webhook_url: z.url().optional()
})
export type SocialMediaRequest = z.infer<typeof socialMediaRequestSchema>

/**
 * One job of a submit reply, read liberally: the batch is billed, so no job id may be lost over an undocumented
 * `status` or a missing field. The gate matches jobs to URLs and tracks every one that has a `job_id`.
 */
export const submittedJobSchema = z.looseObject({
  job_id: maybe(z.string().min(1)),
  url: maybe(z.string()),
  status: maybe(z.string()),
  error_message: maybe(z.string().nullable())
})
export type SubmittedJob = z.infer<typeof submittedJobSchema>

export const socialMediaResponseSchema = z.looseObject({
  batch_id: maybe(z.string().min(1)),
  jobs: z
    .array(z.unknown())
    .transform(list => list.map(j => submittedJobSchema.parse(j && typeof j === 'object' ? j : {}))),
  total_videos: maybe(z.number().int()),
  webhook_id: maybe(z.string().nullable())
})
export type SocialMediaResponse = z.infer<typeof socialMediaResponseSchema>

export const presignedUploadRequestSchema = z.object({
  judge_id: z.string().min(1),
  content_type: z.enum(UPLOAD_CONTENT_TYPES),
  filename: z.string().min(LIMITS.uploadFilename.min).max(LIMITS.uploadFilename.max),
  file_size_bytes: z.number().int().positive(),
  title: z.string().optional(),
  description: z.string().optional(),
  webhook_url: z.url().optional()
})
export type PresignedUploadRequest = z.infer<typeof presignedUploadRequestSchema>

export const presignedUploadResponseSchema = z.looseObject({
  job_id: z.string(),
  upload_url: z.string(),
  upload_headers: z.record(z.string(), z.string()).default({}),
  expires_at: z.string()
})
export type PresignedUploadResponse = z.infer<typeof presignedUploadResponseSchema>

// ---------- errors ----------

export const apiErrorBodySchema = z.looseObject({
  detail: z.union([
    z.string(),
    z.array(
      z.looseObject({
        loc: z.array(z.union([z.string(), z.number()])).optional(),
        msg: z.string(),
        type: z.string().optional()
      })
    )
  ])
})
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>

/** One readable line from `{"detail": ...}`, string or FastAPI validation list. */
export function describeApiError(body: unknown): string | undefined {
  const parsed = apiErrorBodySchema.safeParse(body)
  if (!parsed.success) return undefined
  const detail = parsed.data.detail
  if (typeof detail === 'string') return detail
  return detail
    .map(d => {
      const loc = (d.loc ?? []).filter(p => p !== 'body')
      return loc.length ? `${formatPath(loc)}: ${d.msg}` : d.msg
    })
    .join('; ')
}

// ---------- zod issue wording shared by every validator ----------

export function pathKey(p: PropertyKey): string | number {
  return typeof p === 'number' ? p : String(p)
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  int: 'a whole number',
  undefined: 'nothing',
  null: 'null'
}

/** What a value is, in the same words `describeIssue` uses. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return `a string`
  if (typeof value === 'number') return Number.isInteger(value) ? `a whole number` : 'a number'
  return TYPE_WORDS[typeof value] ?? typeof value
}

type RawIssue = z.core.$ZodRawIssue

/**
 * A zod issue as a short human message ("expected a number, got a string"). Installed as zod's global error
 * map below, because only the raw issue carries the offending input (zod drops it from reported issues), and
 * so every parse anywhere in the product speaks the same words.
 */
export function describeIssue(issue: RawIssue | z.core.$ZodIssue): string | undefined {
  const raw = issue as RawIssue
  switch (raw.code) {
    case 'invalid_type':
      if (raw.input === undefined) return 'is required'
      return `expected ${TYPE_WORDS[raw.expected] ?? raw.expected}, got ${describeValue(raw.input)}`
    case 'too_small':
      if (raw.origin === 'string')
        return raw.minimum === 1 ? 'must not be empty' : `must be at least ${raw.minimum} characters`
      if (raw.origin === 'array') return `must have at least ${raw.minimum} item${Number(raw.minimum) === 1 ? '' : 's'}`
      return `must be ${raw.inclusive ? 'at least' : 'greater than'} ${raw.minimum}`
    case 'too_big':
      if (raw.origin === 'string') return `must be at most ${raw.maximum} characters`
      if (raw.origin === 'array') return `must have at most ${raw.maximum} items`
      return `must be ${raw.inclusive ? 'at most' : 'less than'} ${raw.maximum}`
    case 'invalid_value':
      if (raw.input === undefined) return 'is required'
      return `must be one of ${raw.values.map(v => JSON.stringify(v)).join(', ')}`
    case 'invalid_union':
      return 'has an unexpected type'
    case 'unrecognized_keys':
      return `unknown key${raw.keys.length > 1 ? 's' : ''} ${raw.keys.join(', ')}`
    case 'invalid_format':
      return raw.format === 'url' ? 'not a valid URL' : `not a valid ${raw.format}`
    default:
      return raw.message
  }
}

z.config({ customError: issue => describeIssue(issue) })

/** Render a path as `detectors[2].config.min_fps`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p
  return out
}

/** Every issue of a failed parse on one line: `detectors[0].config.min_fps: expected a number, got a string; name: is required`. */
export function issuesLine(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map(i => `${formatPath(i.path.map(pathKey)) || 'body'}: ${i.message}`).join('; ')
}

/** All issues of a failed parse as `path: message` items. */
export function schemaIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.map(i => ({ path: i.path.map(pathKey), message: i.message }))
}

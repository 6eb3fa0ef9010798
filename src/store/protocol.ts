/**
 * The webhook store's HTTP protocol, shared by the store server and the action's store client.
 *
 *   POST /v1/webhooks/pique          signed Pique webhook (ingest); 200 once durably committed
 *   GET  /v1/jobs/{job_id}           one job                                  (bearer read token)
 *   POST /v1/jobs/query              many jobs, optional long-poll            (bearer read token)
 *   POST /v1/jobs/register           record submitted jobs (url, batch, ...)  (bearer read token)
 *   GET  /v1/batches/{batch_id}      the registered jobs of a batch           (bearer read token)
 *   POST /v1/results/lookup          reusable and previous results by identity (bearer read token)
 *   GET  /healthz  /readyz  /metrics
 */
import { z } from 'zod'
import { JOB_STATUSES } from '../pique/limits.js'

export const STORE_PATHS = {
  ingest: '/v1/webhooks/pique',
  job: '/v1/jobs/:job_id',
  query: '/v1/jobs/query',
  register: '/v1/jobs/register',
  batch: '/v1/batches/:batch_id',
  results: '/v1/results/lookup',
  health: '/healthz',
  ready: '/readyz',
  metrics: '/metrics'
} as const

/** The longest long-poll a query may ask for; a runner's HTTP client and proxies tolerate this. */
export const MAX_WAIT_SECONDS = 25
/** Job ids per query. */
export const MAX_QUERY_JOBS = 1000

/** A job whose deliveries so far carry an undocumented status or event: not final. */
export const UNRECOGNISED_STATUS = 'unrecognised'

/**
 * A result body as the store keeps it: a JSON object, read by the gate's own tolerant result parser afterwards.
 * Checked as an object only: checking every key of 900 bodies as a record cost more than the rest of the answer.
 */
const resultBodySchema = z.custom<Record<string, unknown>>(
  v => typeof v === 'object' && v !== null && !Array.isArray(v),
  'expected a JSON object'
)

export const storedJobSchema = z.object({
  job_id: z.string(),
  /**
   * Latest known status; `unknown` when the job was registered but no webhook has arrived yet; `unrecognised` when
   * its only deliveries carry an undocumented status or event (not final: a documented stage replaces it).
   */
  status: z.enum([...JOB_STATUSES, 'unknown', UNRECOGNISED_STATUS]),
  /** The latest accepted result body as Pique sent it (either spelling), or null. */
  result: resultBodySchema.nullable(),
  /** Monotonic store sequence of the last change to this job. */
  seq: z.number().int(),
  updated_at: z.string(),
  url: z.string().nullable().optional(),
  batch_id: z.string().nullable().optional(),
  judge_id: z.string().nullable().optional(),
  repository: z.string().optional(),
  commit: z.string().optional()
})
export type StoredJob = z.infer<typeof storedJobSchema>

export const queryRequestSchema = z.object({
  job_ids: z.array(z.string().min(1)).min(1).max(MAX_QUERY_JOBS),
  /** Long-poll: wait up to this long for a change after `after`, unless every job is already terminal. */
  wait_seconds: z.number().min(0).max(MAX_WAIT_SECONDS).default(0),
  /** The `cursor` of the previous answer: only changes after it wake the wait. */
  after: z.number().int().min(0).default(0),
  /**
   * Answer with only the jobs that changed after `after` (`missing` still lists every id the store has never heard
   * of). A waiter that keeps its own state then reads the news, not every pending job again on each wake. A store
   * without this field answers with every known job, which such a waiter must also accept.
   */
  changed_only: z.boolean().default(false)
})
export type QueryRequest = z.infer<typeof queryRequestSchema>

export const queryResponseSchema = z.object({
  /** Requested jobs the store knows (registered or with events); with `changed_only`, those changed after `after`. */
  jobs: z.array(storedJobSchema),
  /** Requested job ids the store has never heard of. */
  missing: z.array(z.string()),
  /** Pass back as `after` on the next query. */
  cursor: z.number().int()
})
export type QueryResponse = z.infer<typeof queryResponseSchema>

export const registerRequestSchema = z.object({
  jobs: z
    .array(
      z.object({
        job_id: z.string().min(1),
        url: z.string(),
        /** Absent for a direct-upload job (media files), which belongs to no batch. */
        batch_id: z.string().min(1).optional(),
        judge_id: z.string().min(1),
        repository: z.string().optional(),
        commit: z.string().optional(),
        /** With `identity`: the job's result joins that item's history (results.ts). */
        judge_fingerprint: z.string().min(1).optional(),
        /** The content's identity (`url:<normalised url>` or `sha256:<hex>`), see src/reuse/identity.ts. */
        identity: z.string().min(1).optional(),
        /** The branch the run was on, so a later pull request can compare against its base branch's results. */
        ref: z.string().min(1).optional()
      })
    )
    .min(1)
    .max(MAX_QUERY_JOBS)
})
export type RegisterRequest = z.infer<typeof registerRequestSchema>

export const batchResponseSchema = z.object({
  batch_id: z.string(),
  jobs: z.array(storedJobSchema)
})
export type BatchResponse = z.infer<typeof batchResponseSchema>

/** The ingest answer: `outcome` says whether the delivery changed the job (duplicates and stale events do not). */
export const ingestResponseSchema = z.object({
  ok: z.literal(true),
  job_id: z.string(),
  outcome: z.enum(['applied', 'duplicate', 'stale']),
  /** Present when the body's status or event is undocumented: kept as received, marked `unrecognised`. */
  unrecognised: z.string().optional()
})
export type IngestResponse = z.infer<typeof ingestResponseSchema>

/** Identities per results lookup: a whole run's items in one request. */
export const MAX_LOOKUP_IDENTITIES = 10_000
/** The longest identity (`url:` and a normalised URL, or `sha256:` and 64 hex): browsers' practical URL limit. */
export const MAX_IDENTITY_CHARS = 2048

/**
 * The largest body the store reads on `path`: its configured limit, or for a results lookup enough for the most
 * identities at their longest (JSON quoting included). The request handlers and the `Expect: 100-continue` check
 * both ask here, so a lookup the handler would read is never refused before it is sent.
 */
export function requestBodyLimit(path: string, configuredBytes: number): number {
  if (path !== STORE_PATHS.results) return configuredBytes
  return Math.max(configuredBytes, 4096 + MAX_LOOKUP_IDENTITIES * (MAX_IDENTITY_CHARS + 3))
}

export const resultLookupRequestSchema = z.object({
  judge_fingerprint: z.string().min(1),
  identities: z.array(z.string().min(1).max(MAX_IDENTITY_CHARS)).min(1).max(MAX_LOOKUP_IDENTITIES),
  /** A completed result at most this old is `reusable`; 0 asks for history only. */
  max_age_seconds: z.number().int().min(0),
  /** The base branch of a pull request: its newest result of each item comes back as `base`. */
  base: z.object({ repository: z.string().min(1), ref: z.string().min(1) }).optional()
})
export type ResultLookupRequest = z.infer<typeof resultLookupRequestSchema>

export const storedResultSchema = z.object({
  job_id: z.string(),
  /** When the store received the completed result. */
  completed_at: z.string(),
  /** The result body as Pique sent it. */
  result: resultBodySchema,
  url: z.string().nullable().optional(),
  repository: z.string().nullable().optional(),
  commit: z.string().nullable().optional(),
  ref: z.string().nullable().optional()
})
export type StoredResult = z.infer<typeof storedResultSchema>

export const resultLookupResponseSchema = z.object({
  /** One entry per requested identity with any completed result; identities never evaluated are left out. */
  items: z.array(
    z.object({
      identity: z.string(),
      /** The newest completed result, when it is at most max_age_seconds old. */
      reusable: storedResultSchema.nullable(),
      /** The completed result before `reusable` (or the newest one, when nothing is reusable): for deltas. */
      previous: storedResultSchema.nullable(),
      /** The newest completed result from a run on the base branch, other than `reusable`. */
      base: storedResultSchema.nullable()
    })
  ),
  /** The store's clock, which ages are measured against. */
  now: z.string()
})
export type ResultLookupResponse = z.infer<typeof resultLookupResponseSchema>

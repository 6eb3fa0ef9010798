/**
 * Every documented limit and enumeration of the Pique API (../shared/pique-api.md), defined once.
 * Config validation, the client, the emulator and the store all read these; nothing restates them.
 */

export const API_VERSION_PREFIX = '/v1'

export const HOSTS = {
  production: 'https://api.getpique.ai',
  sandbox: 'https://api-sandbox.getpique.ai'
} as const

export const API_KEY_HEADER = 'X-API-Key'

export const CONTENT_TYPES = ['video', 'image', 'audio', 'text'] as const
export type ContentType = (typeof CONTENT_TYPES)[number]

/** `GET /v1/judges?content_type=` accepts only these. */
export const LIST_CONTENT_TYPES = ['video', 'image'] as const

/** Direct upload (`presigned-upload`) accepts only these. */
export const UPLOAD_CONTENT_TYPES = ['video', 'image', 'audio'] as const

/** The social-media endpoint needs a judge of this content type. */
export const SOCIAL_MEDIA_CONTENT_TYPE: ContentType = 'video'

export const JUDGE_STATUSES = ['pending', 'ready', 'failed'] as const
export type JudgeStatus = (typeof JUDGE_STATUSES)[number]

export const JOB_STATUSES = ['awaiting_upload', 'pending', 'processing', 'completed', 'failed'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export const TERMINAL_JOB_STATUSES = ['completed', 'failed'] as const satisfies readonly JobStatus[]
export type TerminalJobStatus = (typeof TERMINAL_JOB_STATUSES)[number]

/** Whether a status a reply carries is one the docs show (replies may carry others: treat every enum as open). */
export function isJobStatus(status: string): status is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(status)
}

export function isTerminalJobStatus(status: string): status is TerminalJobStatus {
  return (TERMINAL_JOB_STATUSES as readonly string[]).includes(status)
}

/** Order of the job lifecycle; a later stage never yields to an earlier one. */
export function jobStatusRank(status: JobStatus): number {
  return JOB_STATUSES.indexOf(status) >= 3 ? 3 : JOB_STATUSES.indexOf(status)
}

export const RESULT_EVENTS = ['evaluation.pending', 'evaluation.completed', 'evaluation.failed'] as const
export type ResultEvent = (typeof RESULT_EVENTS)[number]

export const LIMITS = {
  judgeName: { min: 1, max: 200 },
  judgeDescription: { min: 1, max: 2000 },
  detectorsMin: 1,
  /** Video URLs per social-media submit. */
  urlsPerBatch: { min: 1, max: 20 },
  /** `GET /v1/judges` paging. */
  listLimit: { min: 1, max: 100, default: 50 },
  listOffsetMin: 0,
  referenceFileExtension: { min: 1, max: 10 },
  uploadFilename: { min: 1, max: 255 },
  /**
   * How long an upload URL stays valid. Presigned (evaluation) uploads: documented as 1 hour on one page and 15
   * minutes on another; decision: 15 minutes, and the slot is requested just before the PUT. Reference content:
   * "valid ~5 minutes".
   */
  uploadUrlLifetimeMs: { evaluation: 15 * 60_000, reference: 5 * 60_000 },
  score: { min: 0, max: 1 }
} as const

/** Identifier shapes the service issues; readers treat ids as opaque, the emulator generates these. */
export const ID_FORMATS = {
  jobPrefix: 'job_',
  batchPrefix: 'batch_',
  webhookPrefix: 'webhook_',
  suffixLength: 16,
  suffixAlphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
} as const

export const WEBHOOK = {
  /** Header the service sends; receivers also accept the alternative name another vendor page documents. */
  signatureHeader: 'X-Pique-Signature',
  signatureHeaders: ['X-Pique-Signature', 'X-Webhook-Signature'],
  signatureAlgorithm: 'sha256',
  /** A receiver must answer 200 within this time or the delivery counts as failed. */
  deliveryTimeoutMs: 10_000,
  /** Default tolerance between the signature's `t` and the receiver's clock. */
  toleranceSeconds: 300
} as const

/** Reference content URIs are Google Cloud Storage URIs. */
export const REFERENCE_URI_PREFIX = 'gs://'

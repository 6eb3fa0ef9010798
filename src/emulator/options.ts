// The emulator's options (agreed with the gate's tests) and their defaults. Fields may be added, not removed.
import { LIMITS, WEBHOOK } from '../pique/limits.js'
import type { EmulatorProfile } from './realistic.js'
import type { UploadOptions } from './uploads.js'
import type { ValidationErrorStyle } from './validation.js'

/**
 * One scenario rule: the first rule whose `match` fits a submitted URL decides its outcome.
 * `match` is a glob over the whole URL (`*` any run of characters) or a /regex/.
 */
export interface ScenarioRule {
  match: string
  /** Fixed overall_score in [0, 1] (detector scores are shaped to give it). */
  score?: number
  /** Detectors that fail (pass_check false, low score). */
  failDetectors?: string[]
  /** The job fails with this error (e.g. a bot-detection message). */
  fail?: string
  /**
   * The job fails at once: the submit reply lists it `failed` with this `error_message` (a download the service
   * refuses before queueing it: a private video, a blocked request). It never runs.
   */
  failAtSubmit?: string
  /** Extra processing time for this URL, in ms. */
  delayMs?: number
  /** The job never finishes (stays `processing`): for timeout tests. */
  never?: boolean
  /**
   * The submit is refused as a request-validation failure at this URL (`video_urls[i]: <reject>`): stands in
   * for the service's own URL rules, which a client cannot check before sending.
   */
  reject?: string
}

export interface EmulatorTimings {
  /** pending → ready for judges with matching detectors. */
  judgeReadyMs: number
  /** Time spent in each job stage before the next. */
  awaitingUploadMs: number
  pendingMs: number
  processingMs: number
}

export interface EmulatorOrganization {
  id: string
  /** API keys of the organization. */
  apiKeys: string[]
  /** Default webhook (batches may override with webhook_url). */
  webhookUrl?: string
  webhookSecret: string
}

/** How failed webhook deliveries (anything but 200, or no answer in time) are retried. */
export interface WebhookRetryOptions {
  /** Attempts per delivery, the first included. */
  maxAttempts: number
  /** Delay before the second attempt; doubles for each further one. */
  baseDelayMs: number
  maxDelayMs: number
  /** A receiver that has not answered by then counts as failed. */
  timeoutMs: number
}

/** Names of the API endpoints, for per-endpoint faults and the request log. */
export const ENDPOINT_NAMES = [
  'createJudge',
  'listJudges',
  'getJudge',
  'referenceContent',
  'socialMedia',
  'presignedUpload',
  'getResult'
] as const
export type EndpointName = (typeof ENDPOINT_NAMES)[number]

export interface EndpointFault {
  /** Probability in [0, 1] that a request is answered with `errorStatus` instead. */
  errorRate?: number
  /** Default 500. */
  errorStatus?: number
  /** Added before the request is handled, in ms. */
  latencyMs?: number
}

/** Seeded, reproducible faults: the same seed and the same request sequence give the same faults. */
export interface EmulatorFaults {
  /** Per endpoint; `*` gives each field (error rate, status, latency) to every endpoint whose own entry lacks it. */
  endpoints: Partial<Record<EndpointName | '*', EndpointFault>>
  /**
   * Evaluation failures that pass on a later try: the first `times` jobs of a URL matching `match` (a scenario
   * pattern) fail with `error`, later jobs of that URL are evaluated as usual (for retry-failed).
   */
  transientJobFailures?: { match: string; error: string; times: number }[]
  /** Probability that a request starts a burst of `length` 429 replies (with Retry-After and X-RateLimit-*). */
  rateLimitBurst?: { rate: number; length: number; retryAfterSeconds: number }
  webhooks: {
    /** Probability a delivery is never sent (breaks at-least-once on purpose: tests the polling fallback). */
    dropRate: number
    /** Probability a delivery is sent twice. */
    duplicateRate: number
    /** Probability a delivery is held back by `delayMs` first. */
    delayRate: number
    delayMs: number
    /** Deliveries due within this window are sent together in reverse order; 0 = off. */
    reorderWindowMs: number
  }
}

export interface EmulatorOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  organizations: EmulatorOrganization[]
  timings: EmulatorTimings
  scenario: ScenarioRule[]
  seed: number
  /** Per-key requests per minute; 0 = no limit (the API documents none). */
  rateLimitPerMinute: number
  webhookRetry: WebhookRetryOptions
  faults: EmulatorFaults
  /**
   * Measure `video_specs` from the file a submitted URL serves, for loopback URLs only (the emulator never
   * reaches beyond the machine). Other URLs get plausible seeded specs.
   */
  measureVideos: boolean
  /** Entries kept in the inspection logs (oldest dropped first). */
  inspectionLogSize: number
  /**
   * Request-validation failures as `plain` 400 + string `detail` (the seed pages' form) or as FastAPI's
   * `fastapi` 422 + `[{loc, msg, type}]`, which the contract says clients must read too.
   */
  validationErrors: ValidationErrorStyle
  /**
   * `documented` (the default): replies exactly as the docs show, jobs take `timings`. `realistic`: like production
   * (src/emulator/realistic.ts): stage times of seconds to minutes, per-platform download failures, single URLs
   * refused at submit, undocumented non-final statuses, extra fields, both spellings and header names.
   */
  profile: EmulatorProfile
  /** Multiplies the realistic profile's stage times (0.01: minutes become about a second). */
  timeScale: number
  /** Upload URL lifetimes (short ones make expiry testable) and the largest file accepted. */
  uploads: UploadOptions
  /**
   * Reference content URIs every organization counts as uploaded, as if before the emulator started. Any other
   * gs:// URI in a judge must have been uploaded through `reference_content`, or the judge ends `failed`.
   */
  preloadedReferences: string[]
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:43123 (paths start with /v1). */
  url: string
  port: number
  close(): Promise<void>
}

/** The key of the default organization, so the demo and local development need no configuration. Not a secret. */
export const DEFAULT_EMULATOR_API_KEY = 'pk_emulator_local_development_key'

/** Environment variables read when the matching flag is absent (here, free of
 * dependencies, so the emulator action can name them without loading the emulator). */
export const EMULATOR_ENV = {
  port: 'PIQUE_EMULATOR_PORT',
  host: 'PIQUE_EMULATOR_HOST',
  apiKeys: 'PIQUE_EMULATOR_API_KEYS',
  organizations: 'PIQUE_EMULATOR_ORGANIZATIONS',
  webhookUrl: 'PIQUE_EMULATOR_WEBHOOK_URL',
  webhookSecret: 'PIQUE_EMULATOR_WEBHOOK_SECRET',
  seed: 'PIQUE_EMULATOR_SEED',
  scenario: 'PIQUE_EMULATOR_SCENARIO',
  rateLimit: 'PIQUE_EMULATOR_RATE_LIMIT',
  validationErrors: 'PIQUE_EMULATOR_VALIDATION_ERRORS',
  profile: 'PIQUE_EMULATOR_PROFILE',
  timeScale: 'PIQUE_EMULATOR_TIME_SCALE'
} as const

/** The line the `emulator` command prints once it listens, followed by its URL: the emulator action waits for it. */
export const EMULATOR_LISTENING = 'Pique emulator listening on '

export const DEFAULT_EMULATOR_WEBHOOK_SECRET = 'whsec_emulator_local_development_secret'

/** Used when no organization is configured. */
export const DEFAULT_ORGANIZATION: EmulatorOrganization = {
  id: 'org_emulator',
  apiKeys: [DEFAULT_EMULATOR_API_KEY],
  webhookSecret: DEFAULT_EMULATOR_WEBHOOK_SECRET
}

/** Seconds-scale defaults that feel like the service without making a developer wait. */
export const DEFAULT_TIMINGS: EmulatorTimings = {
  judgeReadyMs: 2000,
  awaitingUploadMs: 500,
  pendingMs: 500,
  processingMs: 2000
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  timeoutMs: WEBHOOK.deliveryTimeoutMs
}

export const NO_FAULTS: EmulatorFaults = {
  endpoints: {},
  webhooks: { dropRate: 0, duplicateRate: 0, delayRate: 0, delayMs: 0, reorderWindowMs: 0 }
}

export const DEFAULT_EMULATOR_OPTIONS: EmulatorOptions = {
  host: '127.0.0.1',
  port: 0,
  organizations: [DEFAULT_ORGANIZATION],
  timings: DEFAULT_TIMINGS,
  scenario: [],
  seed: 1,
  rateLimitPerMinute: 0,
  webhookRetry: DEFAULT_WEBHOOK_RETRY,
  faults: NO_FAULTS,
  measureVideos: true,
  inspectionLogSize: 1000,
  validationErrors: 'plain',
  profile: 'documented',
  timeScale: 1,
  uploads: {
    evaluationUrlLifetimeMs: LIMITS.uploadUrlLifetimeMs.evaluation,
    referenceUrlLifetimeMs: LIMITS.uploadUrlLifetimeMs.reference,
    maxFileBytes: 1024 * 1024 * 1024
  },
  preloadedReferences: []
}

/** Partial options over the defaults; nested timing/retry/fault objects merge field by field. */
export function resolveEmulatorOptions(partial: Partial<EmulatorOptions> = {}): EmulatorOptions {
  const d = DEFAULT_EMULATOR_OPTIONS
  const faults = partial.faults ?? d.faults
  return {
    ...d,
    ...partial,
    organizations: partial.organizations?.length ? partial.organizations : d.organizations,
    timings: { ...d.timings, ...partial.timings },
    webhookRetry: { ...d.webhookRetry, ...partial.webhookRetry },
    uploads: { ...d.uploads, ...partial.uploads },
    faults: {
      endpoints: { ...faults.endpoints },
      rateLimitBurst: faults.rateLimitBurst,
      transientJobFailures: faults.transientJobFailures,
      webhooks: { ...d.faults.webhooks, ...faults.webhooks }
    },
    scenario: partial.scenario ?? d.scenario
  }
}

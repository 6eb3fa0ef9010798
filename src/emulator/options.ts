// STUB (owned by the emulator helper): the options the gate's tests rely on; the helper may add more.

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
  /** Extra processing time for this URL, in ms. */
  delayMs?: number
  /** The job never finishes (stays `processing`): for timeout tests. */
  never?: boolean
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
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:43123 (paths start with /v1). */
  url: string
  port: number
  close(): Promise<void>
}

/**
 * The gate's data model, from plan to report. The gate fills a `RunReport`; every reporter (job summary,
 * PR comment, annotations, JSON report, JUnit, CLI table) reads only this.
 */
import type { EvaluationResult } from '../pique/results.js'
import type { ConfigProblem } from '../config/types.js'

export const REPORT_SCHEMA_VERSION = 1

/** Where a URL came from, for annotations and messages. `inline` for the url-list input. */
export interface UrlSource {
  file: string
  line: number
}

export interface PlannedUrl {
  url: string
  source: UrlSource
}

/**
 * passed: score >= threshold. below_threshold: score < threshold. failed: the evaluation failed (job failed at
 * submit or later). pending: not finished at the deadline. submitted: not waited for (wait: none).
 */
export type UrlState = 'passed' | 'below_threshold' | 'failed' | 'pending' | 'submitted'

export interface UrlOutcome extends PlannedUrl {
  state: UrlState
  jobId?: string
  batchId?: string
  score?: number
  /** The job's error_message at submit time or the failed result's error. */
  error?: string
  result?: EvaluationResult
  submittedAt?: string
  finishedAt?: string
}

export interface JudgeInfo {
  id: string
  name: string
  /** created: made by this run; reused: an identical judge existed; pinned: judge-id input or `id:` in the file. */
  origin: 'created' | 'reused' | 'pinned'
  status: string
  detectors: string[]
}

export type Verdict = 'passed' | 'failed' | 'submitted' | 'skipped'

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  verdict: Verdict
  /** One line saying why, e.g. "2 of 45 URLs scored below 0.7". */
  reason: string
  threshold: number
  failOnError: boolean
  waitMode: 'store' | 'api' | 'none'
  judge?: JudgeInfo
  batchIds: string[]
  urls: UrlOutcome[]
  counts: { total: number; passed: number; belowThreshold: number; failed: number; pending: number; submitted: number }
  minScore?: number
  /** URLs left out because they did not change against the base branch (only-changed). */
  skippedUnchanged: number
  startedAt: string
  finishedAt: string
  /** Inputs as given, secrets removed. */
  inputs: Record<string, string | number | boolean | string[]>
  warnings: string[]
  /** Set when the run ended in an error before reaching a verdict; `verdict` is then `failed` and `reason` its message. */
  error?: RunError
}

/**
 * settings: a bad input; config: problems in the judge file or URL lists; missing_key: no api-key with
 * on-missing-key fail; auth: Pique refused the key (401/403); gate: the judge cannot be used (not found, not a
 * video judge, failed, still pending) or the store refused its token; api: another error answer from Pique;
 * network: Pique unreachable after retries; timeout: the run's deadline (timeout-minutes) stopped a request to Pique
 * that kept failing or did not answer; internal: anything else.
 */
export type RunErrorKind =
  'settings' | 'config' | 'missing_key' | 'auth' | 'gate' | 'api' | 'network' | 'timeout' | 'internal'

export interface RunError {
  kind: RunErrorKind
  /** One line, the same as the report's `reason`. */
  message: string
  /** What to do about it, when the message does not already say. */
  hint?: string
  /** Every problem found in the user's files (config errors). */
  problems: ConfigProblem[]
  /**
   * The URLs the run meant to evaluate, when planning got that far. Those it had already submitted are in the
   * report's `urls` (job and batch ids, results received), with `batchIds` and `judge` as far as the run got.
   */
  plannedUrls: PlannedUrl[]
}

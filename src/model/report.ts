/**
 * The run's report, from plan to verdict. The gate fills a `RunReport`; every reporter (job summary, PR comment,
 * annotations, JSON report, JUnit, CLI table) reads only this.
 */
import type { Item, ItemKind, ItemOutcome } from './item.js'
import type { ConfigProblem } from './problem.js'

export const REPORT_SCHEMA_VERSION = 1

export interface JudgeInfo {
  id: string
  name: string
  /** created: made by this run; reused: an identical judge existed; pinned: judge-id input or `id:` in the file. */
  origin: 'created' | 'reused' | 'pinned'
  status: string
  detectors: string[]
  /** The judge's id and content hash (src/gate/judge-fingerprint.ts): results are reused under it. */
  fingerprint?: string
}

export type Verdict = 'passed' | 'failed' | 'submitted' | 'skipped'

export interface ItemCounts {
  total: number
  passed: number
  belowThreshold: number
  /** Above the threshold but a policy rule or max-drop broken. */
  brokeRule: number
  failed: number
  pending: number
  notEvaluated: number
  submitted: number
  /** Jobs Pique created for the run's items (every attempt's), which it bills. */
  billedJobs: number
  /** Items for which Pique may have created a job the gate never saw (see ItemOutcome.maybeBilled). */
  maybeBilled: number
  /** Items decided on a reused earlier result (not evaluated, not billed by this run). */
  reused: number
}

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
  /** Every item the run submitted, in plan order. */
  items: ItemOutcome[]
  counts: ItemCounts
  minScore?: number
  /** Items left out because they did not change against the base branch (only-changed). */
  skippedUnchanged: number
  /** The kinds among those items, so reports count them as URLs, files or items (absent: URLs). */
  skippedUnchangedKinds?: ItemKind[]
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
   * The items the run meant to evaluate, when planning got that far. Those it had already submitted are in the
   * report's `items` (job and batch ids, results received), with `batchIds` and `judge` as far as the run got.
   */
  plannedItems: Item[]
}

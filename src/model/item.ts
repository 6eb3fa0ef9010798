/**
 * The unit the gate evaluates: an item with a source kind, a URL (`kind: 'url'`, social-media endpoint) or a media
 * file in the repository (`kind: 'file'`, direct upload). Code that handles any item switches on `kind` or uses
 * `itemName`.
 */
import type { EvaluationResult } from '../pique/results.js'

/**
 * Where an item was named, for annotations and messages: a list file and line (`url-list` for inline URLs); for a
 * media file, its manifest line, or the file itself with line 0 when the files input named it directly.
 */
export interface ItemSource {
  file: string
  line: number
  /** A manifest entry's column (of the path written), so a problem found when the file is checked points at it. */
  column?: number
}

/** A URL from a URL list (or the url-list input), evaluated by Pique's social-media endpoint. */
export interface UrlItem {
  kind: 'url'
  url: string
  source: ItemSource
}

/** A media file as the files input or a manifest named it, before it is checked. */
export interface NamedFile {
  /** Repository-relative path with forward slashes (relative to the working directory). */
  path: string
  source: ItemSource
  /** Sent with the upload (feeds detectors such as title_and_description). */
  title?: string
  description?: string
}

/** A checked media file, uploaded through presigned-upload. Its identity is its path plus its content SHA-256. */
export interface FileItem extends NamedFile {
  kind: 'file'
  size: number
  /** Content SHA-256, hex. */
  sha256: string
  contentType: 'video' | 'image' | 'audio'
  /** The Content-Type its extension and first bytes agree on, e.g. video/mp4. */
  mime: string
}

/** Every kind of item the gate plans. */
export type Item = UrlItem | FileItem
export type ItemKind = Item['kind']

/** How reports and messages name an item: its URL, or a file's repository path. */
export function itemName(item: Item): string {
  return item.kind === 'url' ? item.url : item.path
}

export function isFileItem(item: Item): item is FileItem {
  return item.kind === 'file'
}

export function isUrlItem(item: Item): item is UrlItem {
  return item.kind === 'url'
}

/**
 * passed: score >= threshold and no rule broken. below_threshold: score < threshold. broke_rule: score >= threshold
 * but a policy rule or max-drop broken. failed: Pique ran the evaluation and reported it
 * failed (at submit or later). pending: not finished at the deadline. not_evaluated: never submitted or never
 * accepted (refused, or its submit failed). submitted: not waited for (wait: none). pending and not_evaluated
 * items were never evaluated: they fail the gate under any setting, and `notEvaluated` says why.
 */
export type ItemState =
  'passed' | 'below_threshold' | 'broke_rule' | 'failed' | 'pending' | 'not_evaluated' | 'submitted'

/**
 * Why an item was never evaluated. refused: Pique refused the URL itself (its reason names it). not_accepted: its
 * batch's submit failed (Pique may or may not have taken it). not_submitted: the run ended before its batch was
 * sent. still_processing: the job was still running at Pique at the deadline, by the last read. result_not_received:
 * no result reached the gate (no webhook, and the last lookup failed or was cut by the deadline), though the job may
 * well have finished at Pique.
 */
export type NotEvaluatedReason =
  'refused' | 'not_accepted' | 'not_submitted' | 'still_processing' | 'result_not_received'

export interface NotEvaluated {
  reason: NotEvaluatedReason
  /** One sentence for reports, e.g. "Pique refused https://x/1: video platform is not supported". */
  detail: string
}

/** Which rule an item broke: the threshold on overall_score, a judge-file policy rule, or max-drop. */
export type BrokenRule = 'threshold' | 'require_pass_check' | 'min_score' | 'max_drop'

export interface RuleBreach {
  rule: BrokenRule
  /** The detector a policy rule is about. */
  detector?: string
  /** One clause in a content reviewer's words: "brand_safety scored 0.42, below its minimum 0.5". */
  message: string
}

/** An earlier completed result of the same item (same judge, same content). */
export interface EarlierResult {
  jobId: string
  score: number
  completedAt: string
  /** The branch of the run that produced it, when known. */
  ref?: string
}

/** What became of one item's evaluation. */
export interface OutcomeFields {
  state: ItemState
  jobId?: string
  batchId?: string
  score?: number
  /** The job's error_message at submit time or the failed result's error. */
  error?: string
  result?: EvaluationResult
  submittedAt?: string
  finishedAt?: string
  /** Direct uploads: jobs created for upload URLs that were refused or expired; they stay awaiting_upload at Pique. */
  abandonedJobIds?: string[]
  /** Jobs submitted for this item besides the one that decides it (retry-failed), in submit order. */
  otherJobs?: Attempt[]
  /** Set for a pending or not_evaluated item: why it was never evaluated. */
  notEvaluated?: NotEvaluated
  /**
   * Pique may have created (and billed) a job for this item that the gate never saw: its submit failed after it was
   * sent, or was retried after such a failure (retry-ambiguous-submits).
   */
  maybeBilled?: boolean
  /** The content identity results are reused and compared under: `url:<normalised URL>` or `sha256:<hex>`. */
  identity?: string
  /** Set when this result was reused from an earlier run (jobId is that run's job): not evaluated, not billed now. */
  reused?: { ageSeconds: number; completedAt: string }
  /** The item's result before this one, for the change shown (`0.82 → 0.71`) and max-drop. */
  previous?: EarlierResult
  /** The base branch's newest result of the item (store only): max-drop compares with it when known. */
  base?: EarlierResult
  /** Every rule the item broke (threshold, policy, max-drop), for reports; empty or absent when none. */
  breaches?: RuleBreach[]
}

/** One job submitted for an item: its ids, and where it got to. */
export interface Attempt {
  jobId?: string
  batchId?: string
  state: ItemState
  error?: string
  submittedAt?: string
}

export type ItemOutcome = Item & OutcomeFields

/** Outcomes in the order their items were planned (an item is known by its source line, kind and name). */
export function inPlanOrder(items: readonly Item[], outcomes: readonly ItemOutcome[]): ItemOutcome[] {
  const key = (i: Item) => `${i.source.file}\u0000${i.source.line}\u0000${i.kind}\u0000${itemName(i)}`
  const byKey = new Map(outcomes.map(o => [key(o), o]))
  const ordered = items.map(i => byKey.get(key(i))).filter((o): o is ItemOutcome => o !== undefined)
  // Anything not matched (should not happen) still counts, after the rest.
  return ordered.length === outcomes.length ? ordered : [...ordered, ...outcomes.filter(o => !ordered.includes(o))]
}

/**
 * The unit the gate evaluates: an item with a source kind. Today every item is a URL (`kind: 'url'`); a local file
 * (`kind: 'file'`) joins the union next, so code that handles any item switches on `kind` or uses `itemName`.
 */
import type { EvaluationResult } from '../pique/results.js'

/** Where an item was named, for annotations and messages: a list file and line (`url-list` for inline URLs). */
export interface ItemSource {
  file: string
  line: number
}

/** A URL from a URL list (or the url-list input), evaluated by Pique's social-media endpoint. */
export interface UrlItem {
  kind: 'url'
  url: string
  source: ItemSource
}

/** Every kind of item the gate plans. */
export type Item = UrlItem
export type ItemKind = Item['kind']

/** How reports and messages name an item: its URL (a file's path, once files are items). */
export function itemName(item: Item): string {
  return item.url
}

export function isUrlItem(item: Item): item is UrlItem {
  return item.kind === 'url'
}

/**
 * passed: score >= threshold. below_threshold: score < threshold. failed: the evaluation failed (job failed at
 * submit or later). pending: not finished at the deadline. submitted: not waited for (wait: none).
 */
export type ItemState = 'passed' | 'below_threshold' | 'failed' | 'pending' | 'submitted'

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
}

export type ItemOutcome = Item & OutcomeFields

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
  /** Direct uploads: jobs created for upload URLs that were refused or expired; they stay awaiting_upload at Pique. */
  abandonedJobIds?: string[]
  /** Jobs submitted for this item besides the one that decides it (retry-failed), in submit order. */
  otherJobs?: Attempt[]
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

/**
 * Result history, shared by both backends: which rows a results lookup reads and how they become the answer.
 * A job joins an item's history when the gate registers it with a judge fingerprint and an identity; its result
 * counts once the job is `completed` (failed results are never reused nor compared against). The completion time
 * is the job row's `updated_at`: a terminal status is final, so the row never changes after it.
 */
import { parseJsonText } from '../body.js'
import type { RegisteredJob } from './backend.js'
import type { ResultLookupRequest, ResultLookupResponse, StoredResult } from '../protocol.js'

/**
 * A history row as both backends select it: up to the two newest results per item, plus the base branch's two.
 * Narrow: the result bodies are read afterwards, for these rows only (`ResultBodies`), most often from memory.
 */
export interface HistoryRow {
  identity: string
  job_id: string
  updated_at: string | Date
  url: string | null
  repository: string | null
  commit_sha: string | null
  ref: string | null
  /** 1 for the newest completed result of the item. */
  rn: number | string | bigint
  /** Whether the row comes from a run on the requested base branch. */
  on_base: number | boolean | null
}

/**
 * The query's body; `:fingerprint`, `:identities`, `:base_repository`, `:base_ref` and `:identity_filter` are
 * placeholders the backends fill with their own parameter syntax and set test. Without a base branch (a push, not a pull request) the second
 * ranking is left out: its sort was a third of the query's time, and the base placeholders do not appear.
 */
export function historySelect(withBase: boolean): string {
  // r.on_base / r.rn: the outer query reads the ranked rows only; no second join for the bodies.
  const onBase = withBase ? '(j.repository = :base_repository AND i.ref = :base_ref)' : 'false'
  return `
  WITH ranked AS (
    SELECT i.identity, i.job_id, i.ref, j.updated_at, j.url, j.repository, j.commit_sha,
      ROW_NUMBER() OVER (PARTITION BY i.identity ORDER BY j.updated_at DESC, j.job_id DESC) AS rn,
      ${withBase ? `ROW_NUMBER() OVER (PARTITION BY i.identity, ${onBase} ORDER BY j.updated_at DESC, j.job_id DESC)` : '0'} AS base_rn,
      ${onBase} AS on_base
    FROM job_identities i JOIN jobs j ON j.job_id = i.job_id
    WHERE i.judge_fingerprint = :fingerprint AND i.identity :identity_filter AND j.status = 'completed'
  )
  SELECT identity, job_id, updated_at, url, repository, commit_sha, ref, rn, on_base
  FROM ranked r
  WHERE r.rn <= 2${withBase ? ' OR (r.on_base AND r.base_rn <= 2)' : ''}`
}

/** Registered jobs that name their item. */
export function identifiedJobs(
  jobs: RegisteredJob[]
): (RegisteredJob & { judge_fingerprint: string; identity: string })[] {
  return jobs.filter(
    (j): j is RegisteredJob & { judge_fingerprint: string; identity: string } =>
      j.judge_fingerprint !== undefined && j.identity !== undefined
  )
}

/** Each job's result body as JSON text that can be served (body.ts `servableBody`), by job id; absent or null: none. */
export type ResultBodies = ReadonlyMap<string, string | null>

/** A history row's result, parsed; undefined when its body cannot be served (then the row counts as no result). */
function toStoredResult(row: HistoryRow, bodies: ResultBodies): StoredResult | undefined {
  const text = bodies.get(row.job_id) ?? undefined
  const result = text === undefined ? undefined : parseJsonText(text)
  return result === undefined ? undefined : { ...resultFields(row), result: result as Record<string, unknown> }
}

/** A history row's result with its body as the stored JSON text, for answers that splice it in unparsed. */
interface RawStoredResult extends Omit<StoredResult, 'result'> {
  resultJson: string
}

function toRawStoredResult(row: HistoryRow, bodies: ResultBodies): RawStoredResult | undefined {
  const text = bodies.get(row.job_id) ?? undefined
  return text === undefined ? undefined : { ...resultFields(row), resultJson: text }
}

function resultFields(row: HistoryRow): Omit<StoredResult, 'result'> {
  return {
    job_id: row.job_id,
    completed_at: row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at,
    url: row.url,
    repository: row.repository,
    commit: row.commit_sha,
    ref: row.ref
  }
}

interface LookupItem<T> {
  identity: string
  reusable: T | null
  previous: T | null
  base: T | null
}

/**
 * Which rows answer each identity, measured against `now`: the newest completed result when fresh enough to reuse,
 * the one before it (or the newest, when nothing is reusable) for deltas, and the base branch's newest other one.
 * `convert` turns a row into its result, or undefined when the row's body cannot be served.
 */
export function selectLookup<T extends { job_id: string; completed_at: string }>(
  req: ResultLookupRequest,
  rows: HistoryRow[],
  now: Date,
  convert: (row: HistoryRow) => T | undefined
): LookupItem<T>[] {
  const byIdentity = new Map<string, HistoryRow[]>()
  for (const row of rows) {
    const list = byIdentity.get(row.identity)
    if (list) list.push(row)
    else byIdentity.set(row.identity, [row])
  }
  const oldest = now.getTime() - req.max_age_seconds * 1000
  const items: LookupItem<T>[] = []
  for (const identity of new Set(req.identities)) {
    const found = byIdentity.get(identity)
    if (!found) continue
    const newestFirst = found.filter(r => Number(r.rn) <= 2).sort((a, b) => Number(a.rn) - Number(b.rn))
    const [newest, second] = newestFirst.map(convert)
    const fresh = newest !== undefined && req.max_age_seconds > 0 && Date.parse(newest.completed_at) >= oldest
    const reusable = fresh ? newest : undefined
    const onBase = found
      .filter(r => Boolean(Number(r.on_base)) && r.job_id !== reusable?.job_id)
      .sort((a, b) => toTime(b) - toTime(a) || (a.job_id < b.job_id ? 1 : -1))
    items.push({
      identity,
      reusable: reusable ?? null,
      previous: (reusable ? second : newest) ?? null,
      base: (onBase.length ? convert(onBase[0]) : undefined) ?? null
    })
  }
  return items
}

/** The lookup answer from the rows of historySelect, measured against `now`. */
export function answerLookup(
  req: ResultLookupRequest,
  rows: HistoryRow[],
  bodies: ResultBodies,
  now: Date
): ResultLookupResponse {
  return { items: selectLookup(req, rows, now, row => toStoredResult(row, bodies)), now: now.toISOString() }
}

/**
 * `JSON.stringify(answerLookup(req, rows, now))` in parts (one per item, joined they are the whole), each result
 * body spliced in as stored instead of parsed and written again: 900 reusable results are about 1.6 MB, the round
 * trip was a third of the store's answer time, and one string that large made every lookup a major collection.
 */
export function answerLookupJson(
  req: ResultLookupRequest,
  rows: HistoryRow[],
  bodies: ResultBodies,
  now: Date
): string[] {
  const str = JSON.stringify
  const result = (r: RawStoredResult | null) =>
    r === null
      ? 'null'
      : `{"job_id":${str(r.job_id)},"completed_at":${str(r.completed_at)},"result":${r.resultJson},"url":${str(r.url)},` +
        `"repository":${str(r.repository)},"commit":${str(r.commit)},"ref":${str(r.ref)}}`
  const parts = selectLookup(req, rows, now, row => toRawStoredResult(row, bodies)).map(
    (i, n) =>
      `${n === 0 ? '{"items":[' : ','}{"identity":${str(i.identity)},"reusable":${result(i.reusable)},` +
      `"previous":${result(i.previous)},"base":${result(i.base)}}`
  )
  const end = `],"now":${str(now.toISOString())}}`
  return parts.length === 0 ? [`{"items":[${end}`] : [...parts, end]
}

const toTime = (row: HistoryRow) =>
  row.updated_at instanceof Date ? row.updated_at.getTime() : Date.parse(row.updated_at)

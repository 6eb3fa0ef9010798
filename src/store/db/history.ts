/**
 * Result history, shared by both backends: which rows a results lookup reads and how they become the answer.
 * A job joins an item's history when the gate registers it with a judge fingerprint and an identity; its result
 * counts once the job is `completed` (failed results are never reused nor compared against). The completion time
 * is the job row's `updated_at`: a terminal status is final, so the row never changes after it.
 */
import type { RegisteredJob } from './backend.js'
import type { ResultLookupRequest, ResultLookupResponse, StoredResult } from '../protocol.js'

/** A history row as both backends select it: up to the two newest results per item, plus the base branch's two. */
export interface HistoryRow {
  identity: string
  job_id: string
  updated_at: string | Date
  result_json: string | null
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
 * placeholders the backends fill with their own parameter syntax and set test. Items are ranked on narrow rows;
 * only the few kept rows read their result bodies.
 */
export const HISTORY_SELECT = `
  WITH ranked AS (
    SELECT i.identity, i.job_id, i.ref,
      ROW_NUMBER() OVER (PARTITION BY i.identity ORDER BY j.updated_at DESC, j.job_id DESC) AS rn,
      ROW_NUMBER() OVER (PARTITION BY i.identity, (j.repository = :base_repository AND i.ref = :base_ref)
        ORDER BY j.updated_at DESC, j.job_id DESC) AS base_rn,
      (j.repository = :base_repository AND i.ref = :base_ref) AS on_base
    FROM job_identities i JOIN jobs j ON j.job_id = i.job_id
    WHERE i.judge_fingerprint = :fingerprint AND i.identity :identity_filter AND j.status = 'completed'
  )
  SELECT r.identity, r.job_id, j.updated_at, j.result_json, j.url, j.repository, j.commit_sha, r.ref, r.rn, r.on_base
  FROM ranked r JOIN jobs j ON j.job_id = r.job_id
  WHERE r.rn <= 2 OR (r.on_base AND r.base_rn <= 2)`

/** Registered jobs that name their item. */
export function identifiedJobs(
  jobs: RegisteredJob[]
): (RegisteredJob & { judge_fingerprint: string; identity: string })[] {
  return jobs.filter(
    (j): j is RegisteredJob & { judge_fingerprint: string; identity: string } =>
      j.judge_fingerprint !== undefined && j.identity !== undefined
  )
}

function toStoredResult(row: HistoryRow): StoredResult | undefined {
  if (row.result_json === null) return undefined
  let result: unknown
  try {
    result = JSON.parse(row.result_json)
  } catch {
    return undefined
  }
  if (!result || typeof result !== 'object' || Array.isArray(result)) return undefined
  return {
    job_id: row.job_id,
    completed_at: row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at,
    result: result as Record<string, unknown>,
    url: row.url,
    repository: row.repository,
    commit: row.commit_sha,
    ref: row.ref
  }
}

/** The lookup answer from the rows of HISTORY_SELECT, measured against `now`. */
export function answerLookup(req: ResultLookupRequest, rows: HistoryRow[], now: Date): ResultLookupResponse {
  const byIdentity = new Map<string, HistoryRow[]>()
  for (const row of rows) {
    const list = byIdentity.get(row.identity)
    if (list) list.push(row)
    else byIdentity.set(row.identity, [row])
  }
  const oldest = now.getTime() - req.max_age_seconds * 1000
  const items: ResultLookupResponse['items'] = []
  for (const identity of new Set(req.identities)) {
    const found = byIdentity.get(identity)
    if (!found) continue
    const newestFirst = found.filter(r => Number(r.rn) <= 2).sort((a, b) => Number(a.rn) - Number(b.rn))
    const [newest, second] = newestFirst.map(toStoredResult)
    const fresh = newest !== undefined && req.max_age_seconds > 0 && Date.parse(newest.completed_at) >= oldest
    const reusable = fresh ? newest : undefined
    const onBase = found
      .filter(r => Boolean(Number(r.on_base)) && r.job_id !== reusable?.job_id)
      .sort((a, b) => toTime(b) - toTime(a) || (a.job_id < b.job_id ? 1 : -1))
    items.push({
      identity,
      reusable: reusable ?? null,
      previous: (reusable ? second : newest) ?? null,
      base: (onBase.length ? toStoredResult(onBase[0]) : undefined) ?? null
    })
  }
  return { items, now: now.toISOString() }
}

const toTime = (row: HistoryRow) =>
  row.updated_at instanceof Date ? row.updated_at.getTime() : Date.parse(row.updated_at)

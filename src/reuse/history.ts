/**
 * Where past results come from: the webhook store (every run's results, shared by every workflow that uses the
 * store, with the base branch's) or a results cache (a file per judge, in a local folder or the GitHub Actions
 * cache). Both answer the same question in one call, by the same rule (store/db/history.ts): per item, the newest
 * completed result young enough to reuse, the one before it, and the base branch's newest.
 */
import { parseResultBody, type EvaluationResult } from '../pique/results.js'
import type { ResultLookupResponse, StoredResult } from '../store/protocol.js'

export interface PastResult {
  /** The job that produced it (billed then, not now). */
  jobId: string
  completedAt: string
  /** Seconds between its completion and the lookup. */
  ageSeconds: number
  result: EvaluationResult
  /** The branch of the run that evaluated it, when known. */
  ref?: string
}

export interface ItemHistory {
  /** A completed result young enough to use instead of evaluating again. */
  reusable?: PastResult
  /** The completed result before this run's (or before the reused one): for the change shown and max-drop. */
  previous?: PastResult
  /** The base branch's newest completed result (store only). */
  base?: PastResult
}

export interface HistoryQuery {
  identities: string[]
  /** 0: history only, nothing is reused. */
  maxAgeSeconds: number
  /** The pull request's base branch, when there is one. */
  base?: { repository: string; ref: string }
}

/** A result this run received, for a results cache to remember. */
export interface NewResult {
  identity: string
  url?: string
  ref?: string
  result: EvaluationResult
  /** The body as received, in either spelling. */
  body: Record<string, unknown>
}

export interface ResultHistory {
  /** `store` or `cache`, for messages. */
  readonly kind: 'store' | 'cache'
  /** Where it lives, for messages (no secrets). */
  readonly where: string
  lookup(query: HistoryQuery): Promise<Map<string, ItemHistory>>
  /** Remember this run's completed results (a store learns them from the webhooks: nothing to do). */
  remember(results: NewResult[]): Promise<void>
}

/** A lookup answer as the gate uses it; results that do not parse as result bodies are left out. */
export function historyFromAnswer(answer: ResultLookupResponse): Map<string, ItemHistory> {
  const now = Date.parse(answer.now)
  const past = (stored: StoredResult | null): PastResult | undefined => {
    if (!stored) return undefined
    const parsed = parseResultBody(stored.result)
    if (!parsed.ok || parsed.result.outcome !== 'completed') return undefined
    return {
      jobId: stored.job_id,
      completedAt: stored.completed_at,
      ageSeconds: Math.max(0, Math.round((now - Date.parse(stored.completed_at)) / 1000)),
      result: parsed.result,
      ...(stored.ref ? { ref: stored.ref } : {})
    }
  }
  const out = new Map<string, ItemHistory>()
  for (const item of answer.items) {
    const entry: ItemHistory = {}
    const reusable = past(item.reusable)
    const previous = past(item.previous)
    const base = past(item.base)
    if (reusable) entry.reusable = reusable
    if (previous) entry.previous = previous
    if (base) entry.base = base
    out.set(item.identity, entry)
  }
  return out
}

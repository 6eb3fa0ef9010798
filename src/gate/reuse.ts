/**
 * Reuse, the stage between the judge and submitting: ask where past results live (the store, or a results cache) in
 * one request which planned items already have a completed result from this judge young enough to use, and submit
 * only the others. Every item also gets its earlier results attached, for the change the reports show and max-drop.
 * Pure apart from the one lookup; a lookup that fails only warns (nothing is reused, everything is evaluated).
 */
import type { EvaluationResult } from '../pique/results.js'
import type { EarlierResult, Item, ItemOutcome } from '../model/index.js'
import type { HistoryQuery, ItemHistory, PastResult, ResultHistory } from '../reuse/history.js'
import { itemIdentity } from '../reuse/identity.js'
import { errorMessage } from './errors.js'
import type { GateLog } from './log.js'

export interface ReusePlan {
  /** Items decided on an earlier result: `submitted` outcomes carrying the earlier job id, settled by the verdict. */
  reused: ItemOutcome[]
  /** The reused results by their (earlier) job id. */
  results: Map<string, EvaluationResult>
  /** Items to evaluate now, each with its identity and earlier results attached. */
  toSubmit: Item[]
}

/** One lookup for every item (`identities`: each item's `itemIdentity`); a failure is a warning and an empty answer. */
export async function lookUpHistory(
  history: ResultHistory,
  identities: readonly string[],
  query: Omit<HistoryQuery, 'identities'>,
  log: GateLog
): Promise<Map<string, ItemHistory>> {
  const started = performance.now()
  try {
    const found = await history.lookup({ ...query, identities: [...identities] })
    log.debug(`Reuse lookup: ${identities.length} identities in ${Math.round(performance.now() - started)} ms`)
    return found
  } catch (error) {
    log.warning(
      `Could not look earlier results up in ${history.where} (${errorMessage(error)}); nothing is reused, every item is evaluated`
    )
    return new Map()
  }
}

/** Splits the plan: reusable items become outcomes, the rest are submitted. `identities` line up with `items`. */
export function planReuse(
  items: readonly Item[],
  found: ReadonlyMap<string, ItemHistory>,
  identities: readonly string[] = items.map(itemIdentity)
): ReusePlan {
  const plan: ReusePlan = { reused: [], results: new Map(), toSubmit: [] }
  for (const [index, item] of items.entries()) {
    const identity = identities[index]
    const past = found.get(identity)
    const earlier = {
      identity,
      ...(past?.previous && earlierResult(past.previous)),
      ...(past?.base && { base: earlierResult(past.base).previous })
    }
    const reusable = past?.reusable
    if (!reusable) {
      plan.toSubmit.push({ ...item, ...earlier })
      continue
    }
    plan.results.set(reusable.jobId, reusable.result)
    plan.reused.push({
      ...item,
      ...earlier,
      state: 'submitted',
      jobId: reusable.jobId,
      reused: { ageSeconds: reusable.ageSeconds, completedAt: reusable.completedAt }
    })
  }
  return plan
}

function earlierResult(past: PastResult): { previous: EarlierResult } {
  return {
    previous: {
      jobId: past.jobId,
      score: past.result.overallScore ?? 0,
      completedAt: past.completedAt,
      ...(past.ref ? { ref: past.ref } : {})
    }
  }
}

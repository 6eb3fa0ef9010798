/**
 * Reuse, the stage between the judge and submitting: ask where past results live (the store, or a results cache) in
 * one request which planned items already have a completed result from this judge young enough to use, and submit
 * only the others. Every item also gets its earlier results attached, for the change the reports show and max-drop.
 * Pure apart from the one lookup; a lookup that fails only warns (nothing is reused, everything is evaluated).
 */
import type { EvaluationResult } from '../pique/results.js'
import { type EarlierResult, type Item, type ItemOutcome, itemName } from '../model/index.js'
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

/** One lookup for every item; a failure is a warning and an empty answer. */
export async function lookUpHistory(
  history: ResultHistory,
  items: readonly Item[],
  query: Omit<HistoryQuery, 'identities'>,
  log: GateLog
): Promise<Map<string, ItemHistory>> {
  const started = performance.now()
  try {
    const found = await history.lookup({ ...query, identities: items.map(itemIdentity) })
    log.debug(`Reuse lookup: ${items.length} identities in ${Math.round(performance.now() - started)} ms`)
    return found
  } catch (error) {
    log.warning(
      `Could not look earlier results up in ${history.where} (${errorMessage(error)}); nothing is reused, every item is evaluated`
    )
    return new Map()
  }
}

/** Splits the plan: reusable items become outcomes, the rest are submitted. */
export function planReuse(items: readonly Item[], found: ReadonlyMap<string, ItemHistory>): ReusePlan {
  const plan: ReusePlan = { reused: [], results: new Map(), toSubmit: [] }
  for (const item of items) {
    const identity = itemIdentity(item)
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

/** Submitted and reused outcomes in the plan's order (an item is known by its source line and name). */
export function inPlanOrder(items: readonly Item[], outcomes: readonly ItemOutcome[]): ItemOutcome[] {
  const key = (i: Item) => `${i.source.file}\u0000${i.source.line}\u0000${i.kind}\u0000${itemName(i)}`
  const byKey = new Map(outcomes.map(o => [key(o), o]))
  const ordered = items.map(i => byKey.get(key(i))).filter((o): o is ItemOutcome => o !== undefined)
  // Anything not matched (should not happen) still counts, after the rest.
  return ordered.length === outcomes.length ? ordered : [...ordered, ...outcomes.filter(o => !ordered.includes(o))]
}

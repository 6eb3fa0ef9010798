/** The items a run has decided so far, for its verdict and for the report of a run that stopped. */
import { type ItemOutcome, inPlanOrder } from '../model/index.js'
import type { EvaluationResult } from '../pique/results.js'
import type { GateProgress } from './run-gate.js'

/**
 * The items the run has so far, submitted and reused, in plan order, with their results: reused ones are kept apart
 * (the wait and the results cache must not take their jobs for this run's), and joined here for every report.
 */
export function decidedSoFar(progress: GateProgress): {
  outcomes: ItemOutcome[]
  results: ReadonlyMap<string, EvaluationResult>
} {
  if (!progress.reused.length) return { outcomes: progress.outcomes, results: progress.results }
  const all = [...progress.outcomes, ...progress.reused]
  return {
    outcomes: progress.plan ? inPlanOrder(progress.plan.items, all) : all,
    results: new Map([...progress.results, ...progress.reusedResults])
  }
}

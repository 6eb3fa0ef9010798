/**
 * The one place a RunReport is put together, for a verdict, a skipped run and a run that stopped on an error alike:
 * the counts, the lowest score, the schema version and the finish time always follow from the items the same way.
 */
import { REPORT_SCHEMA_VERSION, type ItemCounts, type ItemOutcome, type RunReport } from '../model/index.js'

/** What a run decided or knew; the rest of the report follows from it. */
export type ReportFacts = Omit<RunReport, 'schemaVersion' | 'counts' | 'minScore' | 'finishedAt'>

export function buildRunReport(facts: ReportFacts): RunReport {
  const scores = facts.items.map(o => o.score).filter((s): s is number => s !== undefined)
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    ...facts,
    counts: countItems(facts.items),
    minScore: scores.length ? Math.min(...scores) : undefined,
    finishedAt: new Date().toISOString()
  }
}

export function countItems(items: readonly ItemOutcome[]): ItemCounts {
  const count = (state: ItemOutcome['state']) => items.filter(o => o.state === state).length
  return {
    total: items.length,
    passed: count('passed'),
    belowThreshold: count('below_threshold'),
    brokeRule: count('broke_rule'),
    failed: count('failed'),
    pending: count('pending'),
    notEvaluated: count('not_evaluated'),
    submitted: count('submitted'),
    billedJobs: billedJobs(items),
    maybeBilled: items.filter(o => o.maybeBilled).length,
    reused: items.filter(o => o.reused).length
  }
}

/** Distinct job ids of every attempt: each is a job Pique created, and bills. */
function billedJobs(items: readonly ItemOutcome[]): number {
  const ids = new Set<string>()
  for (const o of items) {
    // A reused result's job was billed by the run that made it, not this one.
    if (o.reused) continue
    if (o.jobId) ids.add(o.jobId)
    for (const a of o.otherJobs ?? []) if (a.jobId) ids.add(a.jobId)
  }
  return ids.size
}

/**
 * The gate's rule for one item: whether it fails the gate, or is only a warning. The verdict, the outputs and every
 * report ask here, so a rule added later (per-detector policy) changes them all at once.
 */
import type { ItemOutcome, RunReport } from '../model/index.js'

/** The settings the rule reads; a report carries them, so reporters pass the report itself. */
export type GateRule = Pick<RunReport, 'failOnError'>

/**
 * Fails the gate: below threshold, a policy rule or max-drop broken (breaches.ts decides which, per item), never
 * evaluated (unfinished at the deadline, never submitted or never accepted: under any setting, since nothing
 * unevaluated passes), or a failed evaluation when fail-on-error.
 */
export function failsGate(o: Pick<ItemOutcome, 'state'>, rule: GateRule): boolean {
  return (
    o.state === 'below_threshold' ||
    o.state === 'broke_rule' ||
    o.state === 'pending' ||
    o.state === 'not_evaluated' ||
    (o.state === 'failed' && rule.failOnError)
  )
}

/** A failed evaluation with fail-on-error false: reported, but the gate passes. */
export function isWarning(o: Pick<ItemOutcome, 'state'>, rule: GateRule): boolean {
  return o.state === 'failed' && !rule.failOnError
}

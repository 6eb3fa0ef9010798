/**
 * Which rules a finished item broke: the threshold on overall_score, the judge file's policy (detector-policy.ts)
 * and max-drop (max-drop.ts). An item above the threshold that breaks another rule is `broke_rule`; the one
 * "fails the gate" rule (policy.ts) counts it. Pure.
 */
import type { Policy } from '../config/policy.js'
import { type ItemOutcome, type RuleBreach, formatCompared } from '../model/index.js'
import { policyBreaches } from './detector-policy.js'
import { type Baseline, scoreDrop } from './max-drop.js'

export interface ItemRules {
  threshold: number
  policy?: Policy
  /** The judge's detectors: policy `*` rules cover them all. */
  detectors?: readonly string[]
  maxDrop?: number
}

/** The outcome with its breaches, and `broke_rule` when only a rule other than the threshold was broken. */
export function applyRules(o: ItemOutcome, rules: ItemRules): ItemOutcome {
  if ((o.state !== 'passed' && o.state !== 'below_threshold') || !o.result) return o
  const breaches: RuleBreach[] = []
  if (o.state === 'below_threshold')
    breaches.push({
      rule: 'threshold',
      message: `overall score ${formatCompared(o.score ?? 0, rules.threshold).join(' is below the threshold ')}`
    })
  breaches.push(...policyBreaches(o.result, rules.policy, rules.detectors))
  const drop = scoreDrop(o.score, baselineOf(o), rules.maxDrop)
  if (drop) breaches.push(drop)
  if (breaches.length === 0) return o.breaches ? { ...o, breaches: undefined } : o
  return { ...o, state: o.state === 'passed' ? 'broke_rule' : o.state, breaches }
}

/** max-drop compares with the base branch's result when the store knows one, else the item's previous result. */
function baselineOf(o: ItemOutcome): Baseline | undefined {
  if (o.base) return { score: o.base.score, from: 'base', ref: o.base.ref }
  if (o.previous) return { score: o.previous.score, from: 'previous' }
  return undefined
}

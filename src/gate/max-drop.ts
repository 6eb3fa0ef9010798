/**
 * max-drop: an item whose overall score fell by more than the allowed drop against its baseline fails the gate,
 * even above the threshold. The baseline is the base branch's result when the store knows one, else the item's
 * previous result. Pure.
 */
import { type RuleBreach, formatCompared } from '../model/index.js'

export interface Baseline {
  score: number
  /** Where it comes from, for the message: "the previous result" or "main". */
  from: 'previous' | 'base'
  /** The base branch's name, when `from` is base. */
  ref?: string
}

/** Scores are compared to a millionth: 0.82 − 0.72 must not count as 0.10000000000000009. */
const EPSILON = 1e-6

export function scoreDrop(score: number | undefined, baseline: Baseline | undefined, maxDrop: number | undefined) {
  if (maxDrop === undefined || score === undefined || !baseline) return undefined
  const drop = baseline.score - score
  if (drop <= maxDrop + EPSILON) return undefined
  const against = baseline.from === 'base' ? ` on ${baseline.ref ?? 'the base branch'}` : ''
  const [to, from] = formatCompared(score, baseline.score)
  const [fell, allowed] = formatCompared(drop, maxDrop)
  const breach: RuleBreach = {
    rule: 'max_drop',
    message: `score fell from ${from}${against} to ${to} (−${fell}), more than the allowed drop of ${allowed}`
  }
  return breach
}

/**
 * max-drop: an item whose overall score fell by more than the allowed drop against its baseline fails the gate,
 * even above the threshold. The baseline is the base branch's result when the store knows one, else the item's
 * previous result. Pure.
 */
import type { RuleBreach } from '../model/index.js'
import { formatScore } from './detector-policy.js'

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
  const breach: RuleBreach = {
    rule: 'max_drop',
    message: `score fell from ${formatScore(baseline.score)}${against} to ${formatScore(score)} (−${formatScore(drop)}), more than the allowed drop of ${formatScore(maxDrop)}`
  }
  return breach
}

/** `0.82 → 0.71`, the change shown beside a score. */
export function formatChange(before: number, after: number): string {
  return `${formatScore(before)} → ${formatScore(after)}`
}

/**
 * The judge file's policy applied to one result: which per-detector rules it breaks, each said the way a content
 * reviewer reads it ("brand_safety scored 0.42, below its minimum 0.5"). Pure; the verdict decides what a breach
 * means for the gate. Rules: config/policy.ts.
 */
import { EVERY_DETECTOR, type Policy } from '../config/policy.js'
import { type RuleBreach, formatCompared } from '../model/index.js'
import type { DetectorResult, EvaluationResult } from '../pique/results.js'

/**
 * The breaches of `policy` by a completed result. `detectors` are the judge's detector names: `*` rules cover them
 * all (but the ignored ones), so a detector missing from the result is noticed too.
 */
export function policyBreaches(
  result: EvaluationResult,
  policy: Policy | undefined,
  detectors: readonly string[] = []
): RuleBreach[] {
  if (!policy) return []
  const ignored = new Set(policy.ignore ?? [])
  const reported = new Map<string, DetectorResult>()
  for (const d of result.detectorResults) if (!reported.has(d.detectorName)) reported.set(d.detectorName, d)
  const every = [...new Set([...detectors, ...reported.keys()])].filter(n => !ignored.has(n))
  const expand = (names: readonly string[]) =>
    [...new Set(names.flatMap(n => (n === EVERY_DETECTOR ? every : [n])))].filter(n => !ignored.has(n))
  const breaches: RuleBreach[] = []

  for (const name of expand(policy.require_pass_check ?? [])) {
    const d = reported.get(name)
    if (!d)
      breaches.push({
        rule: 'require_pass_check',
        detector: name,
        message: `${name} reported no result, and its check is required`
      })
    else if (d.passCheck === undefined)
      breaches.push({
        rule: 'require_pass_check',
        detector: name,
        message: `${name} reported no pass/fail check, and its check is required`
      })
    else if (!d.passCheck)
      breaches.push({
        rule: 'require_pass_check',
        detector: name,
        message: `failed the required ${name} check${d.rationale ? `: ${d.rationale}` : ''}`
      })
  }

  const minimums = policy.min_scores ?? {}
  const named = Object.keys(minimums).filter(n => n !== EVERY_DETECTOR)
  const withMinimum = [...new Set([...(EVERY_DETECTOR in minimums ? every : []), ...named])].filter(
    n => !ignored.has(n)
  )
  for (const name of withMinimum) {
    const min = Object.hasOwn(minimums, name) ? minimums[name] : minimums[EVERY_DETECTOR]
    const d = reported.get(name)
    if (!d || d.score === undefined)
      breaches.push({
        rule: 'min_score',
        detector: name,
        message: `${name} reported no score, and its minimum is ${formatCompared(min, min)[1]}`
      })
    else if (d.score < min)
      breaches.push({
        rule: 'min_score',
        detector: name,
        message: `${name} scored ${formatCompared(d.score, min).join(', below its minimum ')}`
      })
  }
  return breaches
}

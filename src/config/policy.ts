/**
 * The judge file's `policy` section: the gate's own rules on top of the overall-score threshold. It is not part of
 * the judge (never sent to Pique, not compared when finding an identical judge, not in the judge fingerprint), so
 * changing it re-decides results without creating a judge or re-evaluating anything.
 *
 *   policy:
 *     require_pass_check: [video_specs]   # these detectors' pass_check must be true ("*": every detector)
 *     min_scores: { brand_safety: 0.5 }   # no score below these ("*": every detector)
 *     ignore: [watermark]                  # never fail the gate on these (left out of "*")
 */
import { z } from 'zod'
import { didYouMean } from '../pique/detectors.js'
import { LIMITS } from '../pique/limits.js'
import type { SchemaIssue } from '../pique/schema.js'

/** Stands for every detector of the judge but the ignored ones. */
export const EVERY_DETECTOR = '*'

const detectorName = z.string().min(1, 'a detector name')

export const policySchema = z.object({
  require_pass_check: z
    .array(detectorName)
    .optional()
    .describe(`Detectors whose pass_check must be true; "${EVERY_DETECTOR}" for every detector of the judge.`),
  min_scores: z
    .record(z.string().min(1), z.number().min(LIMITS.score.min).max(LIMITS.score.max))
    .optional()
    .describe(
      `Minimum score per detector (${LIMITS.score.min} to ${LIMITS.score.max}); "${EVERY_DETECTOR}" for every detector; a named detector's own minimum wins.`
    ),
  ignore: z
    .array(detectorName)
    .optional()
    .describe(`Detectors that never fail the gate; "${EVERY_DETECTOR}" rules leave them out.`)
})
export type Policy = z.infer<typeof policySchema>

export const POLICY_KEYS: readonly string[] = Object.keys(policySchema.shape)

/**
 * Rules the schema cannot see: every name must be a detector of the judge (or `*` where it means something), and
 * a detector cannot be both ignored and required. Reads the section as given (it may also have schema problems),
 * so one run reports everything.
 */
export function policyIssues(raw: unknown, detectors: readonly string[]): SchemaIssue[] {
  if (!isRecord(raw)) return []
  const issues: SchemaIssue[] = []
  const names = (key: string): [string, number][] =>
    Array.isArray(raw[key])
      ? (raw[key] as unknown[]).flatMap((n, i): [string, number][] => (typeof n === 'string' ? [[n, i]] : []))
      : []
  const minScores = isRecord(raw.min_scores) ? Object.keys(raw.min_scores) : []
  const required = names('require_pass_check')
  const check = (name: string, path: (string | number)[], wildcard: boolean) => {
    if ((wildcard && name === EVERY_DETECTOR) || detectors.includes(name) || detectors.length === 0) return
    issues.push({
      path,
      message: `"${name}" is not a detector of this judge${didYouMean(name, detectors) || `; its detectors are ${detectors.join(', ')}`}`
    })
  }
  for (const [n, i] of required) check(n, ['policy', 'require_pass_check', i], true)
  for (const n of minScores) check(n, ['policy', 'min_scores', n], true)
  for (const [n, i] of names('ignore')) {
    check(n, ['policy', 'ignore', i], false)
    if (n === EVERY_DETECTOR) continue
    const requiredBy = [
      required.some(([r]) => r === n) && 'require_pass_check',
      minScores.includes(n) && 'min_scores'
    ].filter(Boolean)
    if (requiredBy.length)
      issues.push({
        path: ['policy', 'ignore', i],
        message: `"${n}" is both ignored and named in policy.${requiredBy.join(' and policy.')}; keep one`
      })
  }
  return issues
}

const isRecord = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v)

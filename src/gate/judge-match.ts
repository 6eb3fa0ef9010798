/**
 * When is an existing judge "the same" as the judge file? Judges cannot be updated, so a changed file means a
 * new judge; an unchanged file must reuse the existing one instead of piling up duplicates on every run.
 */
import { isDeepStrictEqual } from 'node:util'
import { type CreateJudgeRequest, type Judge, canonicalJson } from '../pique/schema.js'

/** Detector names and configs as comparable values; order-insensitive across detectors, deep inside configs. */
function detectorSet(detectors: readonly { detector_name?: string; config?: Record<string, unknown> }[]): string[] {
  return detectors.map(d => canonicalJson({ detector_name: d.detector_name, config: d.config ?? {} })).sort()
}

/** The fields of `judge` that differ from `body` (empty when it matches). */
export function judgeDifferences(judge: Judge, body: CreateJudgeRequest): string[] {
  const out: string[] = []
  if (judge.name !== body.name) out.push('name')
  if (judge.description !== body.description) out.push('description')
  if (judge.content_type !== body.content_type) out.push('content_type')
  if (!isDeepStrictEqual(detectorSet(judge.detector_configs), detectorSet(body.detectors))) out.push('detectors')
  return out
}

export function sameJudge(judge: Judge, body: CreateJudgeRequest): boolean {
  return judgeDifferences(judge, body).length === 0
}

/**
 * Why `judge` cannot stand in for `body`, or undefined when it can (ready, active and identical). A judge whose
 * listing differs from the documented shape (an undocumented status, a missing field) is never reused.
 */
export function whyNotReusable(judge: Judge, body: CreateJudgeRequest): string | undefined {
  if (judge.problems?.length) return `its listing has ${judge.problems.join(', ')}`
  if (judge.status !== 'ready') return `status ${judge.status}`
  if (judge.is_active === false) return 'inactive'
  const differs = judgeDifferences(judge, body)
  return differs.length ? `differs in ${differs.join(', ')}` : undefined
}

/**
 * The newest ready, active judge equal to `body`. The listing is newest first, so paging stops at the first match.
 * `onSkip` hears why each judge before it was passed over (for debug logs).
 */
export async function findReusableJudge(
  judges: AsyncIterable<Judge>,
  body: CreateJudgeRequest,
  onSkip?: (judge: Judge, why: string) => void
): Promise<Judge | undefined> {
  for await (const judge of judges) {
    const why = whyNotReusable(judge, body)
    if (why === undefined) return judge
    onSkip?.(judge, why)
  }
  return undefined
}

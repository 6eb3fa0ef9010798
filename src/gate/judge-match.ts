/**
 * When is an existing judge "the same" as the judge file? Judges cannot be updated, so a changed file means a
 * new judge; an unchanged file must reuse the existing one instead of piling up duplicates on every run.
 *
 * Compared canonically (docs/config.md, "Judge reuse"): object keys in any order, detectors in any order, numbers
 * by value (`24` and `24.0` are one number once parsed), and a config key whose value is empty (null, [], {} or "")
 * counts as absent on either side, since a service that echoes a normalised config may add such defaults or drop
 * them. Detector `weight` and ids are the service's own and are not compared. Any other value must be equal: a
 * non-empty default the service might add (`false`, `0`, a list) is a real setting and makes a different judge.
 */
import { isDeepStrictEqual } from 'node:util'
import { type CreateJudgeRequest, type Judge, canonicalJson } from '../pique/schema.js'

/** A config value without its empty entries (at any depth), the form both sides are compared in. */
function canonicalConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalConfig)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const c = canonicalConfig(v)
      if (!isEmpty(c)) out[key] = c
    }
    return out
  }
  // -0 and 0 print the same in JSON; say so for the deep comparison too.
  return Object.is(value, -0) ? 0 : value
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  return typeof value === 'object' && Object.keys(value as object).length === 0
}

/** Detector names and configs as comparable values; order-insensitive across detectors, deep inside configs. */
export function detectorSet(
  detectors: readonly { detector_name?: string; config?: Record<string, unknown> }[]
): string[] {
  return detectors
    .map(d => canonicalJson({ detector_name: d.detector_name, config: canonicalConfig(d.config ?? {}) }))
    .sort()
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
 * Why `judge` cannot stand in for `body`, or undefined when it can: active, identical, and ready or still pending
 * (another run is preparing it: it is waited for rather than duplicated). Failed judges cannot, nor one whose listing
 * differs from the documented shape (an undocumented status, a missing field).
 */
function whyNotReusable(judge: Judge, body: CreateJudgeRequest): string | undefined {
  if (judge.problems?.length) return `its listing has ${judge.problems.join(', ')}`
  if (judge.status !== 'ready' && judge.status !== 'pending') return `status ${judge.status}`
  if (judge.is_active === false) return 'inactive'
  const differs = judgeDifferences(judge, body)
  return differs.length ? `differs in ${differs.join(', ')}` : undefined
}

/**
 * The newest ready, active judge equal to `body`, else the newest such judge still pending. The listing is newest
 * first, so paging stops at the first ready match. `onSkip` hears why each judge before it was passed over (for
 * debug logs).
 */
export async function findReusableJudge(
  judges: AsyncIterable<Judge>,
  body: CreateJudgeRequest,
  onSkip?: (judge: Judge, why: string) => void
): Promise<Judge | undefined> {
  let pending: Judge | undefined
  for await (const judge of judges) {
    const why = whyNotReusable(judge, body)
    if (why !== undefined) {
      onSkip?.(judge, why)
      continue
    }
    if (judge.status === 'ready') {
      if (pending) onSkip?.(pending, 'still pending, and an identical ready judge is used instead')
      return judge
    }
    if (pending) onSkip?.(judge, 'pending, and a newer identical judge is pending too')
    pending ??= judge
  }
  return pending
}

/**
 * The judge every run creating `body` at the same time settles on: the oldest usable identical one (earliest
 * `created_at`, then the smallest id), so two runs that both created one still submit to the same judge.
 */
export async function firstIdenticalJudge(
  judges: AsyncIterable<Judge>,
  body: CreateJudgeRequest
): Promise<Judge | undefined> {
  let first: Judge | undefined
  for await (const judge of judges) {
    if (whyNotReusable(judge, body) !== undefined) continue
    if (!first || olderThan(judge, first)) first = judge
  }
  return first
}

function olderThan(a: Judge, b: Judge): boolean {
  const at = Date.parse(a.created_at ?? '')
  const bt = Date.parse(b.created_at ?? '')
  if (at !== bt && !Number.isNaN(at) && !Number.isNaN(bt)) return at < bt
  return a.id < b.id
}

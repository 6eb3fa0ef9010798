/**
 * How every report prints a score or the threshold: one number of decimals for the whole run, two unless a score
 * would then print like the threshold it differs from ("0.70 < 0.70" for 0.699 against 0.7, "1.00" for 0.999
 * against 1). The digits grow until every score that differs from the threshold prints differently from it, and
 * until the threshold prints exactly as given; rounding never reorders two numbers, so a comparison always reads true.
 */

/** What sets the digits: the threshold and the scores compared with it. */
export interface ScoreScale {
  threshold: number
  items: readonly { score?: number }[]
}

const MIN_DIGITS = 2
/** Past this a double has no more decimals to tell apart. */
const MAX_DIGITS = 17

/** Fewest decimals (at least MIN_DIGITS) that print `a` and `b` differently, or MIN_DIGITS when they are equal. */
export function digitsToTell(a: number, b: number): number {
  if (a === b || !Number.isFinite(a) || !Number.isFinite(b)) return MIN_DIGITS
  let d = MIN_DIGITS
  while (d < MAX_DIGITS && a.toFixed(d) === b.toFixed(d)) d++
  return d
}

/** Fewest decimals (at least MIN_DIGITS) that print `x` exactly, up to MAX_DIGITS. */
function digitsOf(x: number): number {
  if (!Number.isFinite(x)) return MIN_DIGITS
  let d = MIN_DIGITS
  while (d < MAX_DIGITS && Number(x.toFixed(d)) !== x) d++
  return d
}

// Computed once per run's items (reports format thousands of scores).
const cache = new WeakMap<object, Map<number, number>>()

/** The decimals every number of this run is printed with. */
function scoreDigits(scale: ScoreScale): number {
  let byThreshold = cache.get(scale.items)
  const known = byThreshold?.get(scale.threshold)
  if (known !== undefined) return known
  let digits = digitsOf(scale.threshold)
  for (const { score } of scale.items)
    if (score !== undefined) digits = Math.max(digits, digitsToTell(score, scale.threshold))
  if (!byThreshold) cache.set(scale.items, (byThreshold = new Map()))
  byThreshold.set(scale.threshold, digits)
  return digits
}

/** A score, threshold or lowest score of this run, as every report prints it; `—` when there is none. */
export function formatScore(score: number | undefined, scale: ScoreScale): string {
  return score === undefined || !Number.isFinite(score) ? '—' : score.toFixed(scoreDigits(scale))
}

/**
 * A value and the limit it is compared with in one sentence of a rule's message ("scored 0.45, below its minimum
 * 0.5"): each in its shortest form, at the decimals that tell the two apart and print the limit as configured, so
 * rounding never makes the sentence read false ("0.5, below its minimum 0.5" for 0.4996).
 */
export function formatCompared(value: number, limit: number): [string, string] {
  const digits = Math.max(digitsToTell(value, limit), digitsOf(limit))
  const shortest = (x: number) => String(Number(x.toFixed(digits)))
  return [shortest(value), shortest(limit)]
}

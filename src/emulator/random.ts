/**
 * Seeded, order-independent randomness: every draw is a hash of the seed and the draw's own key, so one
 * outcome never depends on how many other draws happened before it (scores stay identical across runs).
 */
import { createHash } from 'node:crypto'

/** A float in [0, 1) determined by the seed and the parts. */
export function unit(seed: number, ...parts: (string | number)[]): number {
  const h = createHash('sha256')
    .update(JSON.stringify([seed, ...parts]))
    .digest()
  // 48 bits are plenty and stay exact in a double.
  return h.readUIntBE(0, 6) / 2 ** 48
}

/** A float in [lo, hi). */
export function between(seed: number, lo: number, hi: number, ...parts: (string | number)[]): number {
  return lo + (hi - lo) * unit(seed, ...parts)
}

/** One item of a non-empty list. */
export function pick<T>(seed: number, items: readonly T[], ...parts: (string | number)[]): T {
  return items[Math.floor(unit(seed, ...parts) * items.length)]
}

/** Bernoulli draw with probability `p`. */
export function chance(seed: number, p: number, ...parts: (string | number)[]): boolean {
  return p > 0 && unit(seed, ...parts) < p
}

/** A counter per stream name, so a stream's n-th draw is reproducible for the same sequence of events. */
export class Streams {
  private readonly counts = new Map<string, number>()
  constructor(private readonly seed: number) {}
  next(name: string): number {
    const n = this.counts.get(name) ?? 0
    this.counts.set(name, n + 1)
    return unit(this.seed, 'stream', name, n)
  }
  reset(): void {
    this.counts.clear()
  }
}

/** Round to a fixed number of decimals, so serialized scores are short and stable. */
export function round(value: number, decimals = 4): number {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

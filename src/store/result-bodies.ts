/**
 * Result bodies for the results lookup, from memory where possible. A completed job's row never changes (a terminal
 * status is final), so its body, once read and checked (`servableBody`), can be kept: the lookups of a pull
 * request's pushes ask for the same results again and again, and reading 900 bodies (1.6 MB) from the database on
 * each one was most of the answer's garbage. Bounded by the characters kept; the least recently asked go first.
 */
import { servableBody } from './body.js'
import type { ResultBodies } from './db/history.js'

/** Enough for about 35,000 typical result bodies. */
const RESULT_BODY_CACHE_CHARS = 64 * 1024 * 1024

export class ResultBodyCache {
  /** Job id → servable body (null: none). Map order is recency: a hit moves to the end. */
  private readonly kept = new Map<string, string | null>()
  private chars = 0

  constructor(
    /** Reads the stored bodies of completed jobs (as stored: `servableBody` is applied here). */
    private readonly read: (jobIds: string[]) => Promise<ReadonlyMap<string, string | null>>,
    private readonly maxChars = RESULT_BODY_CACHE_CHARS
  ) {}

  async bodies(jobIds: readonly string[]): Promise<ResultBodies> {
    const found = new Map<string, string | null>()
    const missing: string[] = []
    for (const id of new Set(jobIds)) {
      const body = this.kept.get(id)
      if (body === undefined) {
        missing.push(id)
        continue
      }
      this.kept.delete(id)
      this.kept.set(id, body)
      found.set(id, body)
    }
    if (missing.length === 0) return found
    const read = await this.read(missing)
    for (const id of missing) {
      const body = servableBody(read.get(id) ?? null) ?? null
      found.set(id, body)
      this.keep(id, body)
    }
    return found
  }

  private keep(id: string, body: string | null): void {
    // Two lookups that missed the same job at once both keep it: count it once.
    if (this.kept.has(id)) {
      this.chars -= this.kept.get(id)?.length ?? 0
      this.kept.delete(id)
    }
    const size = body?.length ?? 0
    if (size > this.maxChars) return
    this.kept.set(id, body)
    this.chars += size
    for (const [oldest, old] of this.kept) {
      if (this.chars <= this.maxChars) break
      this.kept.delete(oldest)
      this.chars -= old?.length ?? 0
    }
  }
}

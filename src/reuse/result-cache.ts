/**
 * A results cache without a store: one JSON file per judge fingerprint in a folder (the CLI's cache folder, or the
 * folder the GitHub Actions cache restores and saves). It keeps each item's two newest completed results, which is
 * all reuse and deltas need, in the store's own shapes, and answers lookups by the store's rule.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { type HistoryRow, selectLookup } from '../store/db/history.js'
import { type StoredResult, storedResultSchema } from '../store/protocol.js'
import {
  type HistoryQuery,
  type ItemHistory,
  type NewResult,
  type ResultHistory,
  historyFromAnswer
} from './history.js'

const CACHE_FORMAT_VERSION = 1
/** Results kept per item: the newest (reusable) and the one before it (for deltas). */
const KEEP_PER_ITEM = 2

const cacheFileSchema = z.object({
  version: z.literal(CACHE_FORMAT_VERSION),
  judge_fingerprint: z.string(),
  /** identity → completed results, newest first. */
  items: z.record(z.string(), z.array(storedResultSchema))
})
type CacheFile = z.infer<typeof cacheFileSchema>

/** A judge fingerprint as 32 hex characters, for file names and cache keys (it holds characters they dislike). */
export function fingerprintDigest(judgeFingerprint: string): string {
  return createHash('sha256').update(judgeFingerprint).digest('hex').slice(0, 32)
}

/** The cache file's name for a judge. */
export function cacheFileName(judgeFingerprint: string): string {
  return `results-${fingerprintDigest(judgeFingerprint)}.json`
}

export interface FolderCacheOptions {
  dir: string
  judgeFingerprint: string
  /** Told when an unreadable file is set aside (the run then reuses nothing). */
  onProblem?: (message: string) => void
  now?: () => Date
}

export function folderResultCache(options: FolderCacheOptions): ResultHistory {
  const path = join(options.dir, cacheFileName(options.judgeFingerprint))
  const now = options.now ?? (() => new Date())
  let loaded: CacheFile | undefined

  const load = async (): Promise<CacheFile> => {
    if (loaded) return loaded
    const empty: CacheFile = { version: CACHE_FORMAT_VERSION, judge_fingerprint: options.judgeFingerprint, items: {} }
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch {
      return (loaded = empty)
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    const parsed = cacheFileSchema.safeParse(json)
    if (!parsed.success || parsed.data.judge_fingerprint !== options.judgeFingerprint) {
      options.onProblem?.(`${path} is not a pique-gate results cache for this judge; it will be replaced`)
      return (loaded = empty)
    }
    return (loaded = parsed.data)
  }

  return {
    kind: 'cache',
    where: options.dir,
    async lookup(query: HistoryQuery): Promise<Map<string, ItemHistory>> {
      const file = await load()
      const rows: HistoryRow[] = []
      const kept = new Map<string, StoredResult>()
      for (const identity of new Set(query.identities)) {
        const results = file.items[identity] ?? []
        results.slice(0, KEEP_PER_ITEM).forEach((r, i) => {
          kept.set(r.job_id, r)
          rows.push({
            identity,
            job_id: r.job_id,
            updated_at: r.completed_at,
            url: r.url ?? null,
            repository: r.repository ?? null,
            commit_sha: r.commit ?? null,
            ref: r.ref ?? null,
            rn: i + 1,
            on_base: false
          })
        })
      }
      // The store's selection rule over the file's results as they are (already parsed and checked on load).
      const request = {
        judge_fingerprint: options.judgeFingerprint,
        identities: query.identities,
        max_age_seconds: query.maxAgeSeconds
      }
      const at = now()
      const answer = { items: selectLookup(request, rows, at, row => kept.get(row.job_id)), now: at.toISOString() }
      return historyFromAnswer(answer)
    },

    async remember(results: NewResult[]): Promise<void> {
      const completed = results.filter(r => r.result.outcome === 'completed')
      if (completed.length === 0) return
      const file = await load()
      const at = now().toISOString()
      for (const r of completed) {
        const before = (file.items[r.identity] ?? []).filter(p => p.job_id !== r.result.jobId)
        file.items[r.identity] = [
          {
            job_id: r.result.jobId,
            completed_at: at,
            result: r.body,
            ...(r.url ? { url: r.url } : {}),
            ...(r.ref ? { ref: r.ref } : {})
          },
          ...before
        ].slice(0, KEEP_PER_ITEM)
      }
      await mkdir(options.dir, { recursive: true })
      // Written whole and renamed: a run that dies mid-write leaves the previous cache, never half a file.
      const tmp = `${path}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(file))
      await rename(tmp, path)
    }
  }
}

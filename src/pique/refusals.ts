/**
 * A refused submit names its bad URLs by position: `video_urls[2]: video platform is not supported`, in the plain
 * `{"detail": "..."}` shape or FastAPI's 422 list (the client renders both as `loc: msg; loc: msg`). Read back into
 * positions, the rest of the batch can be sent again without them, and each refused URL gets the service's reason.
 */
import { PiqueApiError } from './errors.js'

export interface BatchRefusal {
  /** Position in the batch → the service's reason for that URL. */
  byIndex: Map<number, string>
  /** Problems not tied to one URL of the batch (judge_id, the list as a whole): the batch cannot be mended. */
  other: string[]
}

// A problem starts at the beginning or after "; ", with a path such as video_urls[2], judge_id or body.video_urls[0].
const PROBLEM_START = /(?:^|;\s+)((?:body\.)?[A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*):\s/g
const URL_PATH = /^(?:body\.)?video_urls\[(\d+)\]$/

/**
 * The problems of a refused submit of `batchSize` URLs, by URL position; undefined when `error` is not a
 * validation refusal (400 or 422) or names no URL at all.
 */
export function batchRefusal(error: unknown, batchSize: number): BatchRefusal | undefined {
  if (!(error instanceof PiqueApiError) || (error.status !== 400 && error.status !== 422) || !error.detail)
    return undefined
  const refusal = parseRefusal(error.detail, batchSize)
  return refusal.byIndex.size > 0 ? refusal : undefined
}

export function parseRefusal(detail: string, batchSize: number): BatchRefusal {
  const starts = [...detail.matchAll(PROBLEM_START)]
  const byIndex = new Map<number, string>()
  const other: string[] = []
  if (starts.length === 0) return { byIndex, other: [detail] }
  if (starts[0].index > 0) other.push(detail.slice(0, starts[0].index).trim())
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index : detail.length
    const reason = detail.slice(m.index + m[0].length, end).trim()
    const at = URL_PATH.exec(m[1])
    const index = at ? Number(at[1]) : -1
    if (index >= 0 && index < batchSize) {
      // Several problems at one URL are kept together.
      byIndex.set(index, byIndex.has(index) ? `${byIndex.get(index)}; ${reason}` : reason)
    } else other.push(`${m[1]}: ${reason}`)
  })
  return { byIndex, other }
}

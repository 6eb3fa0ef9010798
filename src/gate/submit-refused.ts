/**
 * A batch Pique refuses because of particular URLs (its validation error names `video_urls[i]`) is sent again
 * without them, so its other URLs are still evaluated; each refused URL keeps the service's reason, named by URL
 * rather than by its position in a batch the user never sees. Beside submit.ts, which sends every batch through here.
 */
import { batchRefusal } from '../pique/refusals.js'
import type { SocialMediaResponse } from '../pique/schema.js'

export interface RefusedUrl<T> {
  item: T
  /** `Pique refused <url>: <the service's reason>`. */
  reason: string
}

export type MendedBatch<T> =
  | { ok: true; reply: SocialMediaResponse; accepted: T[]; refused: RefusedUrl<T>[] }
  /** Refused (or failed) for a reason that is not one URL: `rest` were never accepted. */
  | { ok: false; error: unknown; rest: T[]; refused: RefusedUrl<T>[] }

/** Sends `batch`, dropping the URLs Pique refuses by position and sending the rest again, until it is accepted. */
export async function submitWithoutRefused<T extends { url: string }>(
  batch: readonly T[],
  send: (urls: string[]) => Promise<SocialMediaResponse>
): Promise<MendedBatch<T>> {
  let rest = [...batch]
  const refused: RefusedUrl<T>[] = []
  // Each refusal drops at least one URL, so this ends within batch.length + 1 sends.
  for (;;) {
    try {
      const reply = await send(rest.map(item => item.url))
      return { ok: true, reply, accepted: rest, refused }
    } catch (error) {
      const refusal = batchRefusal(error, rest.length)
      // Only a refusal that names URLs and nothing else is mended: a bad judge id would refuse the rest too.
      if (!refusal || refusal.other.length > 0) return { ok: false, error, rest, refused }
      refused.push(
        ...[...refusal.byIndex].map(([i, why]) => ({ item: rest[i], reason: `Pique refused ${rest[i].url}: ${why}` }))
      )
      rest = rest.filter((_, i) => !refusal.byIndex.has(i))
      if (rest.length === 0) return { ok: false, error, rest, refused }
    }
  }
}

/**
 * What makes two evaluated items "the same content" for reuse and history. A URL is known by its normalised form
 * (src/model/url-identity.ts, the rule URL lists and only-changed use too); a file by the SHA-256 of its bytes,
 * wherever it lives. The string form is what the store and the cache key on: `url:<normalised url>` or
 * `sha256:<64 hex>`.
 */
import type { Item } from '../model/index.js'
import { normalizeUrl } from '../model/url-identity.js'

export type ContentIdentity = { kind: 'url'; url: string } | { kind: 'file'; sha256: string }

export function urlIdentity(url: string): ContentIdentity {
  return { kind: 'url', url: normalizeUrl(url) }
}

export function fileIdentity(sha256: string): ContentIdentity {
  if (!/^[0-9a-f]{64}$/i.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`)
  return { kind: 'file', sha256: sha256.toLowerCase() }
}

export function identityKey(identity: ContentIdentity): string {
  return identity.kind === 'url' ? `url:${identity.url}` : `sha256:${identity.sha256}`
}

/** The identity key of a planned item (a URL today; a file's digest once files are items). */
export function itemIdentity(item: Item): string {
  switch (item.kind) {
    case 'url':
      return identityKey(urlIdentity(item.url))
    case 'file':
      return identityKey(fileIdentity(item.sha256))
  }
}

/**
 * Turns a judge file's local references into gs:// URIs: each file is hashed; a hash the lock knows (for this API)
 * reuses its URI; any other is uploaded through `reference_content` (a slot requested just before its PUT: those
 * URLs live ~5 minutes) when uploading is allowed. What was uploaded and what the lock lacked are returned, so the
 * caller can say the lock is stale and how to refresh it.
 */
import { resolve } from 'node:path'
import type { PiqueApi } from '../pique/api.js'
import { uploadReference } from '../pique/direct-upload.js'
import { extensionOf } from '../pique/media-types.js'
import { FileProblem, inspectFile, sha256File } from '../files/inspect.js'
import type { LocalReference } from './local.js'
import type { LockEntry, LockFile } from './lock.js'

export interface ResolvedReference extends LocalReference {
  sha256: string
  size: number
  uri?: string
  /** reused: from the lock; uploaded: by this call; missing: not in the lock and not uploaded. */
  status: 'reused' | 'uploaded' | 'missing'
}

export interface ResolveOptions {
  cwd?: string
  /** Origin of the API the URIs must belong to. */
  apiOrigin: string
  /** Upload references the lock lacks (needs `api`); otherwise they are reported `missing`. */
  api?: PiqueApi
  deadline?: number
  maxBytes: number
  log?: (line: string) => void
}

export class ReferenceProblem extends Error {
  constructor(
    readonly reference: LocalReference,
    message: string
  ) {
    super(message)
  }
}

/** Hashes every reference, once per distinct file. Throws ReferenceProblem for a file that cannot be a reference. */
async function hashReferences(
  references: readonly LocalReference[],
  options: Pick<ResolveOptions, 'cwd' | 'maxBytes'>
): Promise<Map<string, { sha256: string; size: number }>> {
  const cwd = options.cwd ?? process.cwd()
  const out = new Map<string, { sha256: string; size: number }>()
  for (const ref of references) {
    if (out.has(ref.path)) continue
    const absolute = resolve(cwd, ref.path)
    try {
      const inspected = await inspectFile(absolute, ref.path, { maxBytes: options.maxBytes })
      out.set(ref.path, { sha256: await sha256File(absolute), size: inspected.size })
    } catch (error) {
      if (error instanceof FileProblem) throw new ReferenceProblem(ref, `${ref.written}: ${error.message}`)
      throw error
    }
  }
  return out
}

export async function resolveReferences(
  references: readonly LocalReference[],
  lock: LockFile,
  options: ResolveOptions
): Promise<ResolvedReference[]> {
  const cwd = options.cwd ?? process.cwd()
  const hashes = await hashReferences(references, options)
  const uploadedNow = new Map<string, string>()
  const out: ResolvedReference[] = []
  for (const ref of references) {
    const { sha256, size } = hashes.get(ref.path) as { sha256: string; size: number }
    const locked = lock.references[sha256]
    if (locked && sameApi(locked, options.apiOrigin)) {
      out.push({ ...ref, sha256, size, uri: locked.uri, status: 'reused' })
      continue
    }
    const already = uploadedNow.get(sha256)
    if (already) {
      out.push({ ...ref, sha256, size, uri: already, status: 'uploaded' })
      continue
    }
    if (!options.api) {
      out.push({ ...ref, sha256, size, status: 'missing' })
      continue
    }
    options.log?.(`Uploading reference ${ref.path} (sha256 ${sha256.slice(0, 12)})`)
    const { uri } = await uploadReference(options.api, extensionOf(ref.path) || 'bin', resolve(cwd, ref.path), size, {
      deadline: options.deadline,
      onRetry: r => options.log?.(`Reference ${ref.path}: fresh upload URL (attempt ${r.attempt}): ${r.reason}`)
    })
    uploadedNow.set(sha256, uri)
    out.push({ ...ref, sha256, size, uri, status: 'uploaded' })
  }
  return out
}

function sameApi(entry: LockEntry, origin: string): boolean {
  try {
    return new URL(entry.api).origin === new URL(origin).origin
  } catch {
    return false
  }
}

/** The lock as it should be after `resolved`: one entry per current reference, stale entries dropped. */
export function lockFor(resolved: readonly ResolvedReference[], previous: LockFile, apiOrigin: string): LockFile {
  const references: LockFile['references'] = {}
  for (const r of resolved) {
    if (!r.uri) continue
    const kept = previous.references[r.sha256]
    references[r.sha256] =
      kept && kept.uri === r.uri
        ? kept
        : { uri: r.uri, file: r.path, api: new URL(apiOrigin).origin, uploaded_at: new Date().toISOString() }
  }
  return { version: previous.version, references }
}

/**
 * Reference media as code: a judge file may name local files where a detector takes reference content
 * (`reference_videos`, `reference_audio`, `brand_audio_url`, ... — the catalogue's `referenceKeys`). A value
 * without a URL scheme is such a file, relative to the judge file's folder. The judge body keeps a placeholder
 * gs:// URI per file (so it validates as the API would take it) until the gate swaps in the uploaded URI.
 */
import { dirname, posix, relative, resolve, sep } from 'node:path'
import { findDetector } from '../pique/detectors.js'
import { REFERENCE_URI_PREFIX } from '../pique/limits.js'

/** Placeholders stand in for local references until they are uploaded; never sent to the API. */
const PLACEHOLDER_PREFIX = `${REFERENCE_URI_PREFIX}pique-gate-local-reference/`

export interface LocalReference {
  /** Where the value sits in the judge document: ['detectors', 0, 'config', 'reference_videos', 1]. */
  docPath: (string | number)[]
  /** As written in the judge file. */
  written: string
  /** cwd-relative path with forward slashes. */
  path: string
  /** The placeholder URI that stands for it in the body. */
  placeholder: string
}

/** A value names a local file when it has no URL scheme (`gs:`, `https:`, ...). */
function isLocalReference(value: string): boolean {
  return value.trim() !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(value.trim())
}

/**
 * Finds local references in a judge document (the parsed YAML/JSON value) and replaces each with a placeholder,
 * in place. `judgeFile` and `cwd` resolve the relative paths.
 */
export function extractLocalReferences(document: unknown, judgeFile: string, cwd: string): LocalReference[] {
  const detectors = (document as { detectors?: unknown })?.detectors
  if (!Array.isArray(detectors)) return []
  const base = dirname(resolve(cwd, judgeFile))
  const found: LocalReference[] = []
  detectors.forEach((d: unknown, i) => {
    const detector = d as { detector_name?: unknown; config?: Record<string, unknown> }
    const keys = findDetector(String(detector?.detector_name))?.referenceKeys ?? []
    const config = detector?.config
    if (!config || typeof config !== 'object') return
    for (const key of keys) {
      const visit = (value: unknown, at: (string | number)[], set: (v: string) => void) => {
        if (typeof value !== 'string' || !isLocalReference(value)) return
        const path = relative(cwd, resolve(base, value.trim())).split(sep).join(posix.sep)
        const placeholder = `${PLACEHOLDER_PREFIX}${found.length}`
        found.push({ docPath: ['detectors', i, 'config', ...at], written: value, path, placeholder })
        set(placeholder)
      }
      const value = config[key]
      if (Array.isArray(value)) value.forEach((v, j) => visit(v, [key, j], s => (value[j] = s)))
      else visit(value, [key], s => (config[key] = s))
    }
  })
  return found
}

/** The body with each placeholder replaced by its uploaded URI. */
export function withReferenceUris<T>(body: T, uris: ReadonlyMap<string, string>): T {
  return JSON.parse(
    JSON.stringify(body, (_k, v: unknown) => (typeof v === 'string' && uris.has(v) ? uris.get(v) : v))
  ) as T
}

/**
 * A judge's fingerprint: its id plus a SHA-256 over its canonical content (name, description, content type and the
 * detector set, exactly what judge-match compares). Results are reused only under the same fingerprint. The gate's
 * `policy` section (and the threshold) are not part of a judge: changing them re-decides reused results, never
 * re-evaluates them.
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from '../pique/schema.js'
import { detectorSet } from './judge-match.js'

/** A judge as the API returns it or the file defines it (a reply may leave fields out: they hash as absent). */
export interface JudgeContent {
  id: string
  name?: string
  description?: string
  content_type?: string
  detectors: readonly { detector_name?: string; config?: Record<string, unknown> }[]
}

function judgeContentHash(judge: Omit<JudgeContent, 'id'>): string {
  const canonical = canonicalJson({
    name: judge.name,
    description: judge.description,
    content_type: judge.content_type,
    detectors: detectorSet(judge.detectors)
  })
  return createHash('sha256').update(canonical).digest('hex')
}

/** `<judge id>@sha256:<hex>`: stable across runs and machines, different for any change to the judge. */
export function judgeFingerprint(judge: JudgeContent): string {
  return `${judge.id}@sha256:${judgeContentHash(judge)}`
}

/**
 * What the judge measured of an item, read from its detector metrics (`video_specs` for video_specs and
 * video_quality, `image_specs` for image_specs): the numbers a reader of a failed size check wants to see.
 */
import type { ItemOutcome } from '../model/index.js'

export interface MeasuredSpecs {
  width?: number
  height?: number
  aspect_ratio?: string
  fps?: number
  duration_sec?: number
  megapixels?: number
  audio_sample_rate?: number
}

const METRIC_KEYS = ['video_specs', 'image_specs'] as const
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** The first measured specs any detector reported, or undefined. Values of unexpected types are dropped. */
export function measuredSpecs(o: Pick<ItemOutcome, 'result'>): MeasuredSpecs | undefined {
  for (const d of o.result?.detectorResults ?? []) {
    for (const key of METRIC_KEYS) {
      const raw = (d.metrics as Record<string, unknown> | undefined)?.[key]
      if (!raw || typeof raw !== 'object') continue
      const m = raw as Record<string, unknown>
      const specs: MeasuredSpecs = {
        width: num(m.width),
        height: num(m.height),
        aspect_ratio: typeof m.aspect_ratio === 'string' ? m.aspect_ratio : undefined,
        fps: num(m.fps),
        duration_sec: num(m.duration_sec),
        megapixels: num(m.megapixels),
        audio_sample_rate: num(m.audio_sample_rate)
      }
      const kept = Object.fromEntries(Object.entries(specs).filter(([, v]) => v !== undefined)) as MeasuredSpecs
      if (Object.keys(kept).length) return kept
    }
  }
  return undefined
}

/** "1280x720 (16:9), 30 fps, 12.5 s, 44.1 kHz". */
export function describeSpecs(s: MeasuredSpecs): string {
  const parts: string[] = []
  if (s.width !== undefined && s.height !== undefined)
    parts.push(`${s.width}x${s.height}${s.aspect_ratio ? ` (${s.aspect_ratio})` : ''}`)
  if (s.fps !== undefined) parts.push(`${Number(s.fps.toFixed(2))} fps`)
  if (s.duration_sec !== undefined) parts.push(`${Number(s.duration_sec.toFixed(1))} s`)
  if (s.megapixels !== undefined) parts.push(`${s.megapixels} MP`)
  if (s.audio_sample_rate !== undefined) parts.push(`${Number((s.audio_sample_rate / 1000).toFixed(1))} kHz`)
  return parts.join(', ')
}

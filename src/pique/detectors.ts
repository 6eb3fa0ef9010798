/**
 * The documented detector catalogue: each detector's known config keys, their types and its rules.
 * The catalogue grows on the service side, so an unknown detector (or an unknown key of a known one)
 * is a warning for callers to show, never a rejection.
 */
import { z } from 'zod'
import { type ContentType, REFERENCE_URI_PREFIX } from './limits.js'

const gsUri = z.string().refine(s => s.startsWith(REFERENCE_URI_PREFIX), {
  message: `expected a ${REFERENCE_URI_PREFIX} reference content URI`
})
const strings = z.array(z.string())
const int = z.number().int()
const num = z.number()
const bool = z.boolean()
const text = z.string()
/** "9:16"-style ratios. */
const aspectRatio = z.string().regex(/^\d+(\.\d+)?:\d+(\.\d+)?$/, { message: 'expected an aspect ratio like "9:16"' })

export type DetectorCategory = 'matching' | 'analysis' | 'visual' | 'image'

export interface DetectorSpec {
  name: string
  category: DetectorCategory
  /** Content types the detector evaluates. */
  contentTypes: readonly ContentType[]
  /** Matching detectors preprocess reference content: a judge that has one starts `pending`. */
  needsPreprocessing: boolean
  /** Known config keys; `null` when the documentation lists no keys for it (any config is passed through). */
  config: z.ZodObject | null
  /** Groups of keys of which at least one must be set. */
  atLeastOneOf?: readonly (readonly string[])[]
  /** Pairs that must satisfy min <= max when both are set. */
  ranges?: readonly (readonly [string, string])[]
  /**
   * Config keys holding reference content (a URI or a list of URIs): a judge file may name local files there, which
   * the gate uploads through `reference_content` and replaces with their gs:// URIs.
   */
  referenceKeys?: readonly string[]
}

const VIDEO: readonly ContentType[] = ['video']
const IMAGE: readonly ContentType[] = ['image']

function spec(
  name: string,
  category: DetectorCategory,
  shape: z.ZodRawShape | null,
  extra: Partial<Pick<DetectorSpec, 'atLeastOneOf' | 'ranges' | 'contentTypes' | 'referenceKeys'>> = {}
): DetectorSpec {
  return {
    name,
    category,
    contentTypes: extra.contentTypes ?? (category === 'image' ? IMAGE : VIDEO),
    needsPreprocessing: category === 'matching',
    config: shape === null ? null : z.looseObject(shape),
    atLeastOneOf: extra.atLeastOneOf,
    ranges: extra.ranges,
    referenceKeys: extra.referenceKeys
  }
}

export const DETECTORS: readonly DetectorSpec[] = [
  // Matching: need reference content, the judge starts `pending`.
  spec(
    'video_matching',
    'matching',
    { reference_videos: z.array(gsUri).min(1) },
    { referenceKeys: ['reference_videos'] }
  ),
  spec(
    'audio_matching',
    'matching',
    { reference_audio: gsUri },
    { contentTypes: ['video', 'audio'], referenceKeys: ['reference_audio'] }
  ),
  spec(
    'podcast_video_matching',
    'matching',
    { reference_videos: z.array(gsUri).min(1) },
    { referenceKeys: ['reference_videos'] }
  ),
  spec(
    'splitscreen_video_matching',
    'matching',
    {
      top_content_references: z.array(gsUri).optional(),
      top_content_description: text.optional(),
      bottom_content_references: z.array(gsUri).optional(),
      bottom_content_description: text.optional()
    },
    { referenceKeys: ['top_content_references', 'bottom_content_references'] }
  ),
  spec('video_matching_description', 'matching', { content_description: text.min(1) }),
  // Analysis.
  spec(
    'language',
    'analysis',
    { accepted_languages: strings.optional() },
    { contentTypes: ['video', 'audio', 'text'] }
  ),
  spec(
    'sentiment',
    'analysis',
    {
      // The reference lists these without saying string or list: both are accepted.
      desired_sentiment: z.union([text, strings]).optional(),
      undesired_sentiment: z.union([text, strings]).optional(),
      prohibited_content_types: strings.optional()
    },
    {
      atLeastOneOf: [['desired_sentiment', 'undesired_sentiment', 'prohibited_content_types']],
      contentTypes: ['video', 'audio', 'text']
    }
  ),
  spec('title_and_description', 'analysis', { required_hashtags: strings.optional() }),
  spec(
    'transcript_policy',
    'analysis',
    {
      talking_points: strings.optional(),
      language_to_avoid: strings.optional(),
      min_talking_points: int.min(0).optional(),
      max_language_to_avoid: int.min(0).optional()
    },
    { atLeastOneOf: [['talking_points', 'language_to_avoid']], contentTypes: ['video', 'audio'] }
  ),
  spec(
    'transcript_product',
    'analysis',
    { brand_name: text.optional(), product_name: text.optional() },
    { atLeastOneOf: [['brand_name', 'product_name']], contentTypes: ['video', 'audio'] }
  ),
  spec(
    'pronunciation',
    'analysis',
    {
      brand_name: text.optional(),
      product_name: text.optional(),
      brand_cue: text.optional(),
      product_cue: text.optional(),
      brand_audio_url: text.optional(),
      product_audio_url: text.optional()
    },
    {
      atLeastOneOf: [['brand_name', 'product_name']],
      contentTypes: ['video', 'audio'],
      referenceKeys: ['brand_audio_url', 'product_audio_url']
    }
  ),
  spec('clipper_demographics', 'analysis', null),
  // Visual and quality.
  spec(
    'video_specs',
    'visual',
    {
      min_width: int.positive().optional(),
      max_width: int.positive().optional(),
      min_height: int.positive().optional(),
      max_height: int.positive().optional(),
      allowed_aspect_ratios: z.array(aspectRatio).optional(),
      min_duration_sec: num.nonnegative().optional(),
      max_duration_sec: num.nonnegative().optional(),
      min_fps: num.positive().optional(),
      max_fps: num.positive().optional()
    },
    {
      ranges: [
        ['min_width', 'max_width'],
        ['min_height', 'max_height'],
        ['min_duration_sec', 'max_duration_sec'],
        ['min_fps', 'max_fps']
      ]
    }
  ),
  spec('video_quality', 'visual', {
    expected_aspect_ratios: z.array(aspectRatio).optional(),
    check_aspect_ratio: bool.optional(),
    min_width: int.positive().optional(),
    min_height: int.positive().optional()
  }),
  spec('audio_noise', 'visual', {}, { contentTypes: ['video', 'audio'] }),
  spec('background', 'visual', { desired_elements: strings.optional(), undesired_elements: strings.optional() }),
  spec('framing', 'visual', {}),
  spec('lighting', 'visual', {}),
  spec('overlays', 'visual', null),
  spec('product_application', 'visual', { require_application: bool.optional() }),
  spec('subtitles', 'visual', { require_subtitles: bool.optional() }),
  spec('transition_detection', 'visual', null),
  spec(
    'wardrobe',
    'visual',
    { wardrobe_rules: strings.optional(), beauty_rules: strings.optional(), max_violations: int.min(0).optional() },
    { atLeastOneOf: [['wardrobe_rules', 'beauty_rules']] }
  ),
  // Image.
  spec('image_specs', 'image', {
    allowed_aspect_ratios: z.array(aspectRatio).optional(),
    min_width: int.positive().optional(),
    min_height: int.positive().optional(),
    min_megapixels: num.positive().optional()
  }),
  spec('image_sharpness', 'image', null),
  spec('image_ip_infringement', 'image', { allowed_terms: strings.optional() })
]

const BY_NAME = new Map(DETECTORS.map(d => [d.name, d]))

export function findDetector(name: string): DetectorSpec | undefined {
  return BY_NAME.get(name)
}

export const DETECTOR_NAMES: readonly string[] = DETECTORS.map(d => d.name)

/** Known keys of a detector's config, or null when any key is accepted. */
export function knownConfigKeys(d: DetectorSpec): string[] | null {
  return d.config ? Object.keys(d.config.shape) : null
}

/** Levenshtein distance, for "did you mean" hints on detector names and config keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]
}

/** The closest candidate within a third of the word's length, if any. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.ceil(word.length / 3)) + 1
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best
}

/** ` (did you mean "x"?)` for the closest candidate, or '' when none is close: the one wording of the hint. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hint = closestMatch(word, candidates)
  return hint ? ` (did you mean "${hint}"?)` : ''
}

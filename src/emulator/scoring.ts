/**
 * Deterministic, plausible evaluation results. Every number is drawn from (seed, judge content, URL, detector),
 * never from ids or clocks, so the same seed and scenario give byte-identical scores in every run.
 * `video_specs` (and `video_quality`) are judged against their config from measured or seeded specs.
 */
import { createHash } from 'node:crypto'
import type { DetectorResult } from '../pique/results.js'
import { canonicalJson } from '../pique/schema.js'
import { aspectRatioOf, ratioValue, type VideoSpecs } from './media.js'
import type { ScenarioRule } from './options.js'
import { between, chance, pick, round, unit } from './random.js'

export interface ScoredDetector {
  id: string
  detector_name: string
  config: Record<string, unknown>
  weight: number
}

export interface ScoringInput {
  seed: number
  /** Hash of the judge's content (name, description, content type, detectors), see judgeFingerprint. */
  judgeFingerprint: string
  detectors: readonly ScoredDetector[]
  url: string
  rule?: ScenarioRule
  /** Specs measured from the file, when the URL served one. */
  measured?: VideoSpecs
}

export interface Scored {
  overallScore: number
  detectorResults: DetectorResult[]
}

/** A detector passes at or above this score. */
export const PASS_SCORE = 0.5

export function judgeFingerprint(judge: {
  name: string
  description: string
  content_type: string
  detectors: readonly { detector_name: string; config: Record<string, unknown> }[]
}): string {
  const content = { ...judge, detectors: judge.detectors.map((d) => ({ detector_name: d.detector_name, config: d.config })) }
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32)
}

// ---------- video specs ----------

const FORMATS = [
  { width: 1080, height: 1920 },
  { width: 720, height: 1280 },
  { width: 1920, height: 1080 },
  { width: 1080, height: 1080 },
  { width: 1080, height: 1350 }
]
const FPS = [24, 25, 30, 60]

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined)

function sameRatio(a: string, b: string): boolean {
  const x = ratioValue(a)
  const y = ratioValue(b)
  return Math.abs(x - y) / y < 0.01
}

/** Seeded specs for URLs that serve no measurable file: a common format that mostly fits the config. */
export function seededSpecs(seed: number, key: string, config: Record<string, unknown>): VideoSpecs {
  const allowed = strs(config.allowed_aspect_ratios) ?? strs(config.expected_aspect_ratios)
  const fits = FORMATS.filter(
    (f) =>
      (!allowed?.length || allowed.some((a) => sameRatio(a, aspectRatioOf(f.width, f.height)))) &&
      f.width >= (num(config.min_width) ?? 0) &&
      f.height >= (num(config.min_height) ?? 0) &&
      f.width <= (num(config.max_width) ?? Infinity) &&
      f.height <= (num(config.max_height) ?? Infinity)
  )
  const format = pick(seed, fits.length ? fits : FORMATS, key, 'format')
  const fpsFits = FPS.filter((f) => f >= (num(config.min_fps) ?? 0) && f <= (num(config.max_fps) ?? Infinity))
  const minDuration = num(config.min_duration_sec) ?? 8
  const maxDuration = Math.max(minDuration, num(config.max_duration_sec) ?? 60)
  return {
    ...format,
    aspect_ratio: aspectRatioOf(format.width, format.height),
    fps: pick(seed, fpsFits.length ? fpsFits : FPS, key, 'fps'),
    duration_sec: round(between(seed, minDuration, maxDuration, key, 'duration'), 6),
    audio_sample_rate: pick(seed, [44100, 48000], key, 'audio')
  }
}

interface Check {
  pass: boolean
  actual: number | string
  threshold: number | string | string[]
}

function specChecks(specs: VideoSpecs, config: Record<string, unknown>, ratioKey: string): Record<string, Check> {
  const checks: Record<string, Check> = {}
  const bound = (key: string, actual: number, ok: (a: number, t: number) => boolean) => {
    const t = num(config[key])
    if (t !== undefined) checks[key] = { pass: ok(actual, t), actual, threshold: t }
  }
  bound('min_width', specs.width, (a, t) => a >= t)
  bound('max_width', specs.width, (a, t) => a <= t)
  bound('min_height', specs.height, (a, t) => a >= t)
  bound('max_height', specs.height, (a, t) => a <= t)
  bound('min_duration_sec', specs.duration_sec, (a, t) => a >= t)
  bound('max_duration_sec', specs.duration_sec, (a, t) => a <= t)
  bound('min_fps', specs.fps, (a, t) => a >= t)
  bound('max_fps', specs.fps, (a, t) => a <= t)
  const ratios = strs(config[ratioKey])
  if (ratios?.length && config.check_aspect_ratio !== false) {
    checks[ratioKey] = { pass: ratios.some((r) => sameRatio(r, specs.aspect_ratio)), actual: specs.aspect_ratio, threshold: ratios }
  }
  return checks
}

const CHECK_WORDS: Record<string, string> = {
  min_width: 'width below minimum',
  max_width: 'width above maximum',
  min_height: 'height below minimum',
  max_height: 'height above maximum',
  min_duration_sec: 'shorter than minimum',
  max_duration_sec: 'longer than maximum',
  min_fps: 'frame rate below minimum',
  max_fps: 'frame rate above maximum',
  allowed_aspect_ratios: 'aspect ratio not allowed',
  expected_aspect_ratios: 'aspect ratio not expected'
}

function describeSpecs(s: VideoSpecs): string {
  return `${s.width}x${s.height} (${s.aspect_ratio}), ${s.fps.toFixed(1)}fps, ${s.duration_sec.toFixed(1)}s`
}

function specsResult(specs: VideoSpecs, config: Record<string, unknown>, ratioKey: string, label: string) {
  const checks = specChecks(specs, config, ratioKey)
  const failed = Object.entries(checks).filter(([, c]) => !c.pass)
  const total = Object.keys(checks).length
  const rationale = failed.length
    ? `${label} do not meet requirements: ${failed.map(([k, c]) => `${CHECK_WORDS[k] ?? k} (${c.actual} vs ${Array.isArray(c.threshold) ? c.threshold.join(', ') : c.threshold})`).join('; ')} — ${describeSpecs(specs)}`
    : `${label} meet requirements: ${describeSpecs(specs)}`
  return {
    passCheck: failed.length === 0,
    score: total ? round((total - failed.length) / total) : 1,
    rationale,
    metrics: { video_specs: { ...specs }, checks, issues_count: failed.length, total_checks: total }
  }
}

// ---------- other detectors ----------

type Draft = { passCheck: boolean; score: number; rationale: string; metrics: Record<string, unknown>; timestamps?: number[] }

const list = (v: unknown, fallback: string): string => strs(v)?.join(', ') || fallback

/** Rationale and metrics per detector family; `good` says which way the draw went. */
function narrative(name: string, config: Record<string, unknown>, good: boolean, confidence: number): Omit<Draft, 'passCheck' | 'score'> {
  const metrics = (m: Record<string, unknown>) => ({ [name]: { ...m, confidence } })
  switch (name) {
    case 'language': {
      const accepted = strs(config.accepted_languages) ?? ['en']
      const detected = good ? accepted[0] : 'unknown'
      return { rationale: good ? `Spoken language ${detected} is accepted (${accepted.join(', ')})` : `Spoken language could not be matched to ${accepted.join(', ')}`, metrics: metrics({ detected_language: detected }) }
    }
    case 'sentiment':
      return { rationale: good ? 'Overall sentiment matches the desired tone' : 'Sentiment drifts toward undesired tone', metrics: metrics({ sentiment: good ? 'positive' : 'negative' }) }
    case 'title_and_description':
      return { rationale: good ? `Required hashtags present: ${list(config.required_hashtags, 'none required')}` : `Missing required hashtags: ${list(config.required_hashtags, 'none')}`, metrics: metrics({ hashtags_found: good ? (strs(config.required_hashtags) ?? []) : [] }) }
    case 'transcript_product':
    case 'pronunciation': {
      const subject = [config.brand_name, config.product_name].filter((s) => typeof s === 'string').join(' / ') || 'brand'
      return { rationale: good ? `${subject} mentioned clearly` : `${subject} not mentioned clearly`, metrics: metrics({ mentions: good ? 2 : 0 }) }
    }
    case 'transcript_policy':
      return { rationale: good ? 'Talking points covered, no language to avoid' : 'Talking points missing or language to avoid used', metrics: metrics({ talking_points_covered: good ? (strs(config.talking_points)?.length ?? 0) : 0 }) }
    case 'subtitles':
      return { rationale: good ? 'Subtitles present and legible' : 'Subtitles missing or illegible', metrics: metrics({ subtitles_detected: good }) }
    case 'audio_noise':
      return { rationale: good ? 'Audio is clean with little background noise' : 'Noticeable background noise', metrics: metrics({ noise_level_db: good ? -48 : -22 }) }
    case 'wardrobe':
      return { rationale: good ? 'No wardrobe or beauty rule violations' : 'Wardrobe or beauty rules violated', metrics: metrics({ violations: good ? 0 : 2 }) }
    default:
      return { rationale: good ? `${name} check passed` : `${name} check did not pass`, metrics: metrics({}) }
  }
}

function drawDetector(input: ScoringInput, d: ScoredDetector, index: number, failing: boolean): Draft {
  const key = [input.judgeFingerprint, input.url, index, d.detector_name] as const
  if (d.detector_name === 'video_specs' || d.detector_name === 'video_quality') {
    const specs = input.measured ?? seededSpecs(input.seed, `${input.judgeFingerprint}|${input.url}`, d.config)
    const r = specsResult(
      specs,
      d.config,
      d.detector_name === 'video_specs' ? 'allowed_aspect_ratios' : 'expected_aspect_ratios',
      d.detector_name === 'video_specs' ? 'Video specs' : 'Video quality'
    )
    if (!failing) return r
    // A scenario can fail a detector whose measured specs pass: say so rather than "meet requirements".
    const rationale = r.passCheck ? `${r.rationale.replace(' meet requirements', ' rejected')} (failed by the emulator scenario)` : r.rationale
    return { ...r, rationale, passCheck: false, score: round(Math.min(r.score, between(input.seed, 0.05, 0.35, ...key))) }
  }
  // Mostly good content, now and then a miss: scores in [0.55, 1) or, one time in ten, [0.05, 0.45).
  const good = !failing && !chance(input.seed, 0.1, ...key, 'miss')
  const score = round(good ? between(input.seed, 0.55, 1, ...key, 'score') : between(input.seed, 0.05, 0.45, ...key, 'score'))
  const confidence = round(between(input.seed, 0.7, 0.99, ...key, 'confidence'), 2)
  const draft: Draft = { passCheck: good, score, ...narrative(d.detector_name, d.config, good, confidence) }
  // A miss is flagged at a moment of the video, as the results endpoint's optional `timestamps` report.
  if (!good) draft.timestamps = [round(between(input.seed, 0.5, 30, ...key, 'flagged'), 1)]
  return draft
}

/**
 * Scores shaped so the weighted mean is exactly `target`: failing detectors keep low scores when possible,
 * the others share the rest evenly.
 */
function shape(drafts: Draft[], weights: number[], failing: boolean[], target: number): void {
  const W = weights.reduce((a, b) => a + b, 0)
  const wFail = weights.reduce((a, w, i) => a + (failing[i] ? w : 0), 0)
  const wPass = W - wFail
  if (wPass === 0) {
    drafts.forEach((d) => (d.score = target))
    return
  }
  const sumFail = drafts.reduce((a, d, i) => a + (failing[i] ? weights[i] * d.score : 0), 0)
  let x = (target * W - sumFail) / wPass
  if (x > 1 || x < 0) {
    // Failing detectors absorb what the passing ones cannot.
    x = x > 1 ? 1 : 0
    const each = (target * W - x * wPass) / wFail
    drafts.forEach((d, i) => failing[i] && (d.score = round(each)))
  }
  drafts.forEach((d, i) => {
    if (failing[i]) return
    d.score = round(x)
    d.passCheck = x >= PASS_SCORE
  })
}

export function scoreEvaluation(input: ScoringInput): Scored {
  const failSet = new Set(input.rule?.failDetectors ?? [])
  const failing = input.detectors.map((d) => failSet.has(d.detector_name))
  const drafts = input.detectors.map((d, i) => drawDetector(input, d, i, failing[i]))
  const weights = input.detectors.map((d) => d.weight)
  const target = input.rule?.score
  if (target !== undefined) shape(drafts, weights, failing, target)
  const W = weights.reduce((a, b) => a + b, 0)
  const mean = W ? drafts.reduce((a, d, i) => a + d.score * weights[i], 0) / W : unit(input.seed, input.judgeFingerprint, input.url)
  return {
    overallScore: target ?? round(mean),
    detectorResults: drafts.map((d, i) => ({
      id: input.detectors[i].id,
      detectorName: input.detectors[i].detector_name,
      passCheck: d.passCheck,
      score: d.score,
      rationale: d.rationale,
      metrics: d.metrics,
      ...(d.timestamps ? { timestamps: d.timestamps } : {})
    }))
  }
}

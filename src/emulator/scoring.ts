/**
 * Deterministic, plausible evaluation results. Every number is drawn from (seed, judge content, URL, detector),
 * never from ids or clocks, so the same seed and scenario give byte-identical scores in every run.
 * `video_specs` (and `video_quality`) are judged against their config from measured or seeded specs.
 */
import { createHash } from 'node:crypto'
import type { DetectorResult } from '../pique/results.js'
import { canonicalJson } from '../pique/schema.js'
import {
  type ImageSpecs,
  type MeasuredMedia,
  aspectRatioOf,
  megapixelsOf,
  ratioValue,
  type VideoSpecs
} from './media.js'
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
  /** Specs measured from the file, when the URL served one or the file was uploaded. */
  measured?: MeasuredMedia
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
  const content = {
    ...judge,
    detectors: judge.detectors.map(d => ({ detector_name: d.detector_name, config: d.config }))
  }
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
const strs = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined

function sameRatio(a: string, b: string): boolean {
  const x = ratioValue(a)
  const y = ratioValue(b)
  return Math.abs(x - y) / y < 0.01
}

/** Seeded specs for URLs that serve no measurable file: a common format that mostly fits the config. */
export function seededSpecs(seed: number, key: string, config: Record<string, unknown>): VideoSpecs {
  const allowed = strs(config.allowed_aspect_ratios) ?? strs(config.expected_aspect_ratios)
  const fits = FORMATS.filter(
    f =>
      (!allowed?.length || allowed.some(a => sameRatio(a, aspectRatioOf(f.width, f.height)))) &&
      f.width >= (num(config.min_width) ?? 0) &&
      f.height >= (num(config.min_height) ?? 0) &&
      f.width <= (num(config.max_width) ?? Infinity) &&
      f.height <= (num(config.max_height) ?? Infinity)
  )
  const format = pick(seed, fits.length ? fits : FORMATS, key, 'format')
  const fpsFits = FPS.filter(f => f >= (num(config.min_fps) ?? 0) && f <= (num(config.max_fps) ?? Infinity))
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

/** Seeded specs for images that could not be measured: a common format that mostly fits the config. */
export function seededImageSpecs(seed: number, key: string, config: Record<string, unknown>): ImageSpecs {
  const video = seededSpecs(seed, key, config)
  return {
    width: video.width,
    height: video.height,
    aspect_ratio: video.aspect_ratio,
    megapixels: megapixelsOf(video.width, video.height)
  }
}

interface Check {
  pass: boolean
  actual: number | string
  threshold: number | string | string[]
}

type Specs = VideoSpecs | ImageSpecs

function specChecks(specs: Specs, config: Record<string, unknown>, ratioKey: string): Record<string, Check> {
  const checks: Record<string, Check> = {}
  const bound = (key: string, actual: number, ok: (a: number, t: number) => boolean) => {
    const t = num(config[key])
    if (t !== undefined) checks[key] = { pass: ok(actual, t), actual, threshold: t }
  }
  bound('min_width', specs.width, (a, t) => a >= t)
  bound('max_width', specs.width, (a, t) => a <= t)
  bound('min_height', specs.height, (a, t) => a >= t)
  bound('max_height', specs.height, (a, t) => a <= t)
  if ('fps' in specs) {
    bound('min_duration_sec', specs.duration_sec, (a, t) => a >= t)
    bound('max_duration_sec', specs.duration_sec, (a, t) => a <= t)
    bound('min_fps', specs.fps, (a, t) => a >= t)
    bound('max_fps', specs.fps, (a, t) => a <= t)
  } else bound('min_megapixels', specs.megapixels, (a, t) => a >= t)
  const ratios = strs(config[ratioKey])
  if (ratios?.length && config.check_aspect_ratio !== false) {
    checks[ratioKey] = {
      pass: ratios.some(r => sameRatio(r, specs.aspect_ratio)),
      actual: specs.aspect_ratio,
      threshold: ratios
    }
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
  min_megapixels: 'fewer megapixels than minimum',
  allowed_aspect_ratios: 'aspect ratio not allowed',
  expected_aspect_ratios: 'aspect ratio not expected'
}

function describeSpecs(s: Specs): string {
  if (!('fps' in s)) return `${s.width}x${s.height} (${s.aspect_ratio}), ${s.megapixels} MP`
  return `${s.width}x${s.height} (${s.aspect_ratio}), ${s.fps.toFixed(1)}fps, ${s.duration_sec.toFixed(1)}s`
}

function specsResult(specs: Specs, config: Record<string, unknown>, ratioKey: string, label: string, metric: string) {
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
    specs,
    metrics: { [metric]: { ...specs }, checks, issues_count: failed.length, total_checks: total }
  }
}

/**
 * One detector's score before its narrative is written. `rule` detectors score by their checks; `free` ones are
 * seeded draws. Text is built only once the score is final (see finalize), so it always agrees with it.
 */
type Draw =
  | { kind: 'rule'; named: boolean; score: number; label: string; checked: ReturnType<typeof specsResult> }
  | { kind: 'free'; named: boolean; score: number; confidence: number; flagged: number }

function drawDetector(input: ScoringInput, d: ScoredDetector, index: number, named: boolean): Draw {
  const key = [input.judgeFingerprint, input.url, index, d.detector_name] as const
  const rule = RULE_BASED[d.detector_name]
  if (rule) {
    const seedKey = `${input.judgeFingerprint}|${input.url}`
    const m = input.measured
    const specs =
      rule.metric === 'image_specs'
        ? m?.kind === 'image'
          ? m.specs
          : seededImageSpecs(input.seed, seedKey, d.config)
        : m?.kind === 'video'
          ? m.specs
          : seededSpecs(input.seed, seedKey, d.config)
    const checked = specsResult(specs, d.config, rule.ratioKey, rule.label, rule.metric)
    const label = rule.label
    // A scenario-failed detector scores low even when its checks pass (the rationale says the scenario did it).
    const score = named ? round(Math.min(checked.score, between(input.seed, 0.05, 0.35, ...key))) : checked.score
    return { kind: 'rule', named, score, label, checked }
  }
  // Mostly good content, now and then a miss: scores in [0.55, 1) or, one time in ten, [0.05, 0.45). A rule with a
  // fixed score names the detectors that fail, so the others never miss by chance there.
  const good = !named && (input.rule?.score !== undefined || !chance(input.seed, 0.1, ...key, 'miss'))
  return {
    kind: 'free',
    named,
    score: round(
      good ? between(input.seed, 0.55, 1, ...key, 'score') : between(input.seed, 0.05, 0.45, ...key, 'score')
    ),
    confidence: round(between(input.seed, 0.7, 0.99, ...key, 'confidence'), 2),
    // Where a miss is flagged, as the results endpoint's optional `timestamps` report.
    flagged: round(between(input.seed, 0.5, 30, ...key, 'flagged'), 1)
  }
}

/** Detectors that judge measured (or seeded) specs against their config, rather than drawing a score. */
const RULE_BASED: Record<string, { label: string; ratioKey: string; metric: string } | undefined> = {
  video_specs: { label: 'Video specs', ratioKey: 'allowed_aspect_ratios', metric: 'video_specs' },
  video_quality: { label: 'Video quality', ratioKey: 'expected_aspect_ratios', metric: 'video_specs' },
  image_specs: { label: 'Image specs', ratioKey: 'allowed_aspect_ratios', metric: 'image_specs' }
}

/** The highest score that still fails, at the precision scores are rounded to. */
const HIGHEST_FAILING = round(PASS_SCORE - 1e-4)

/** A group of detectors moved together to one shared score within [lo, hi]. */
interface Tier {
  members: (d: Draw) => boolean
  lo: number
  hi: number
}

/**
 * Moves scores so the weighted mean is exactly `target`, disturbing as little as possible. Groups are tried in
 * order, each set to one shared value within its bounds; the first that can absorb the rest ends the search.
 * The first two depend on the direction, so that detectors the scenario does not fail keep passing whenever the
 * failed ones can make up the difference (a reader sees exactly which detectors sank the clip):
 * - down: the detectors the scenario fails, staying failed (0..HIGHEST_FAILING); then the other drawn ones,
 *   staying passing (PASS_SCORE..1);
 * - up: the other drawn ones, passing (PASS_SCORE..1); then the failed ones, staying failed.
 * Then, for targets those cannot reach:
 * 3. drawn detectors the scenario does not fail, across the pass line (0..1; their text says so);
 * 4. rule-based detectors the scenario does not fail, leaving their check-based score (their text says so);
 * 5. detectors the scenario fails, above the pass line (a target no other way reaches; they still fail).
 */
function shape(draws: Draw[], weights: number[], target: number): void {
  const W = weights.reduce((a, b) => a + b, 0)
  const mean = draws.reduce((a, d, i) => a + weights[i] * d.score, 0) / W
  const scenarioFailed = (d: Draw) => d.named
  const otherDrawn = (d: Draw) => d.kind === 'free' && !d.named
  const failed: Tier = { members: scenarioFailed, lo: 0, hi: HIGHEST_FAILING }
  const passing: Tier = { members: otherDrawn, lo: PASS_SCORE, hi: 1 }
  const tiers: Tier[] = [
    ...(target < mean ? [failed, passing] : [passing, failed]),
    { members: otherDrawn, lo: 0, hi: 1 },
    { members: d => d.kind === 'rule' && !d.named, lo: 0, hi: 1 },
    { members: scenarioFailed, lo: 0, hi: 1 }
  ]
  for (const tier of tiers) {
    const inTier = draws.map(tier.members)
    const wTier = weights.reduce((a, w, i) => a + (inTier[i] ? w : 0), 0)
    if (wTier === 0) continue
    const rest = draws.reduce((a, d, i) => a + (inTier[i] ? 0 : weights[i] * d.score), 0)
    const wanted = (target * W - rest) / wTier
    const value = Math.min(tier.hi, Math.max(tier.lo, wanted))
    draws.forEach((d, i) => inTier[i] && (d.score = round(value)))
    if (value === wanted) return
  }
}

// ---------- narratives ----------

const list = (v: unknown, fallback: string): string => strs(v)?.join(', ') || fallback

/** Rationale and metrics per detector family, for a detector that passed (`good`) or not. */
function narrative(
  name: string,
  config: Record<string, unknown>,
  good: boolean,
  confidence: number
): { rationale: string; metrics: Record<string, unknown> } {
  const metrics = (m: Record<string, unknown>) => ({ [name]: { ...m, confidence } })
  switch (name) {
    case 'language': {
      const accepted = strs(config.accepted_languages) ?? ['en']
      const detected = good ? accepted[0] : 'unknown'
      return {
        rationale: good
          ? `Spoken language ${detected} is accepted (${accepted.join(', ')})`
          : `Spoken language could not be matched to ${accepted.join(', ')}`,
        metrics: metrics({ detected_language: detected })
      }
    }
    case 'sentiment':
      return {
        rationale: good ? 'Overall sentiment matches the desired tone' : 'Sentiment drifts toward undesired tone',
        metrics: metrics({ sentiment: good ? 'positive' : 'negative' })
      }
    case 'title_and_description':
      return {
        rationale: good
          ? `Required hashtags present: ${list(config.required_hashtags, 'none required')}`
          : `Missing required hashtags: ${list(config.required_hashtags, 'none')}`,
        metrics: metrics({ hashtags_found: good ? (strs(config.required_hashtags) ?? []) : [] })
      }
    case 'transcript_product':
    case 'pronunciation': {
      const subject = [config.brand_name, config.product_name].filter(s => typeof s === 'string').join(' / ') || 'brand'
      return {
        rationale: good ? `${subject} mentioned clearly` : `${subject} not mentioned clearly`,
        metrics: metrics({ mentions: good ? 2 : 0 })
      }
    }
    case 'transcript_policy':
      return {
        rationale: good
          ? 'Talking points covered, no language to avoid'
          : 'Talking points missing or language to avoid used',
        metrics: metrics({ talking_points_covered: good ? (strs(config.talking_points)?.length ?? 0) : 0 })
      }
    case 'subtitles':
      return {
        rationale: good ? 'Subtitles present and legible' : 'Subtitles missing or illegible',
        metrics: metrics({ subtitles_detected: good })
      }
    case 'audio_noise':
      return {
        rationale: good ? 'Audio is clean with little background noise' : 'Noticeable background noise',
        metrics: metrics({ noise_level_db: good ? -48 : -22 })
      }
    case 'wardrobe':
      return {
        rationale: good ? 'No wardrobe or beauty rule violations' : 'Wardrobe or beauty rules violated',
        metrics: metrics({ violations: good ? 0 : 2 })
      }
    default:
      return { rationale: good ? `${name} check passed` : `${name} check did not pass`, metrics: metrics({}) }
  }
}

interface Final {
  passCheck: boolean
  rationale: string
  metrics: Record<string, unknown>
  timestamps?: number[]
}

/** Only a target that nothing else can reach lifts a scenario-failed detector over the pass line: say why. */
const liftedNote = (score: number): string =>
  `failed by the emulator scenario, scored ${score} to reach its overall score`

/** Pass/fail and text from the final score: a detector never says "clean" while failing, or the reverse. */
function finalize(draw: Draw, d: ScoredDetector): Final {
  const lifted = draw.named && draw.score >= PASS_SCORE
  if (draw.kind === 'free') {
    const passCheck = !draw.named && draw.score >= PASS_SCORE
    const told = narrative(d.detector_name, d.config, passCheck, draw.confidence)
    if (lifted) told.rationale += ` (${liftedNote(draw.score)})`
    return { passCheck, ...told, ...(passCheck ? {} : { timestamps: [draw.flagged] }) }
  }
  const { checked, label, score, named } = draw
  // Passing needs every check and a passing score: a check-based score of 0.67 (2 of 3 checks) still fails.
  const passCheck = !named && checked.passCheck && score >= PASS_SCORE
  const note = lifted
    ? liftedNote(score)
    : named
      ? 'failed by the emulator scenario'
      : score !== checked.score
        ? `scored ${score} by the emulator scenario`
        : undefined
  let rationale = checked.rationale
  // Checks that pass under a failing verdict: "rejected", never "meet requirements".
  if (!passCheck && checked.passCheck) rationale = `${label} rejected: ${describeSpecs(checked.specs)} (${note})`
  else if (note) rationale += ` (${note})`
  return { passCheck, rationale, metrics: checked.metrics }
}

export function scoreEvaluation(input: ScoringInput): Scored {
  const failSet = new Set(input.rule?.failDetectors ?? [])
  const draws = input.detectors.map((d, i) => drawDetector(input, d, i, failSet.has(d.detector_name)))
  const weights = input.detectors.map(d => d.weight)
  const target = input.rule?.score
  if (target !== undefined) shape(draws, weights, target)
  const W = weights.reduce((a, b) => a + b, 0)
  const mean = W
    ? draws.reduce((a, d, i) => a + d.score * weights[i], 0) / W
    : unit(input.seed, input.judgeFingerprint, input.url)
  return {
    overallScore: target ?? round(mean),
    detectorResults: draws.map((draw, i) => {
      const d = input.detectors[i]
      const { passCheck, rationale, metrics, timestamps } = finalize(draw, d)
      return {
        id: d.id,
        detectorName: d.detector_name,
        passCheck,
        score: draw.score,
        rationale,
        metrics,
        ...(timestamps ? { timestamps } : {})
      }
    })
  }
}

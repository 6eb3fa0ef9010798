/**
 * The `realistic` profile: the emulator behaving like the production service rather than like its documentation.
 * Jobs take seconds to minutes (scaled by `timeScale`), downloads fail per platform with the messages scrapers really
 * give, single URLs are refused at submit, and replies drift the ways a real service's do: undocumented non-final
 * statuses and events, extra fields, both body spellings, both signature header names, non-final webhooks.
 * Every draw is keyed on the seed and the submitted URL (never on a random job id), so a seed replays exactly.
 */
import { WEBHOOK } from '../pique/limits.js'
import { type EvaluationResult, type ResultSpelling, serializeResult } from '../pique/results.js'
import { chance, pick, unit } from './random.js'

export const EMULATOR_PROFILES = ['documented', 'realistic'] as const
export type EmulatorProfile = (typeof EMULATOR_PROFILES)[number]

/** Platforms the social-media endpoint scrapes, by host; anything else is `other`. */
export const PLATFORMS = ['youtube', 'tiktok', 'instagram', 'x', 'facebook', 'other'] as const
export type Platform = (typeof PLATFORMS)[number]

export function platformOf(url: string): Platform {
  let host: string
  try {
    host = new URL(url).hostname.replace(/^(www|m|vm)\./, '')
  } catch {
    return 'other'
  }
  if (host === 'youtu.be' || host.endsWith('youtube.com')) return 'youtube'
  if (host.endsWith('tiktok.com')) return 'tiktok'
  if (host.endsWith('instagram.com')) return 'instagram'
  if (host === 'x.com' || host.endsWith('twitter.com')) return 'x'
  if (host.endsWith('facebook.com') || host === 'fb.watch') return 'facebook'
  return 'other'
}

/**
 * Probability that downloading a URL of the platform fails. Short-video platforms that fight scrapers fail most
 * (the vendor calls the endpoint "pilot" for this reason); the figures are plausible, not measured.
 */
export const DOWNLOAD_FAILURE_RATES: Record<Platform, number> = {
  youtube: 0.05,
  tiktok: 0.15,
  instagram: 0.2,
  x: 0.12,
  facebook: 0.12,
  other: 0.04
}

/** Of the failed downloads, the share that fails at once (the submit reply's job is `failed` with error_message). */
export const SUBMIT_TIME_FAILURE_SHARE = 0.3

/** Probability a URL is refused at submit as a request-validation failure naming `video_urls[i]`. */
export const SUBMIT_REJECTION_RATE = 0.02

/** Download errors as scrapers word them; `{platform}` is the platform's display name. */
export const DOWNLOAD_ERRORS = [
  'Download failed: {platform} blocked the request (bot detection: sign in to confirm you are not a bot)',
  'Download failed: unable to extract video data from {platform} (the platform changed its page format)',
  'Video unavailable: this video is private',
  'Video unavailable: this video has been removed by the uploader',
  'Download failed: timed out after 120 s waiting for {platform}',
  'Download failed: HTTP Error 429: Too Many Requests from {platform}'
] as const

const DISPLAY: Record<Platform, string> = {
  youtube: 'YouTube',
  tiktok: 'TikTok',
  instagram: 'Instagram',
  x: 'X',
  facebook: 'Facebook',
  other: 'the site'
}

/** Reasons a single URL is refused at submit. */
export const SUBMIT_REJECTIONS = [
  'Unsupported URL: no video found at this address',
  'URL not supported: playlists and profile pages cannot be evaluated'
] as const

/** Stage durations in seconds before scaling: log-uniform between the bounds (most jobs short, some minutes long). */
export const STAGE_SECONDS = {
  awaiting_upload: [1, 20],
  pending: [1, 30],
  processing: [5, 360]
} as const satisfies Record<string, readonly [number, number]>

/** Statuses and events the docs do not show, as a drifting service sends them while a job runs. */
export const UNDOCUMENTED_STATUSES = {
  awaiting_upload: 'downloading',
  pending: 'queued',
  processing: 'analyzing'
} as const
export const UNDOCUMENTED_EVENT = 'evaluation.processing'

/** How often each drift shows. */
export const DRIFT_RATES = {
  /** A non-final reply (results endpoint or webhook) carries an undocumented status. */
  undocumentedStatus: 0.3,
  /** A non-final reply carries an undocumented event. */
  undocumentedEvent: 0.2,
  /** A reply uses the other channel's spelling (`results` ↔ `detector_results`). */
  otherSpelling: 0.3,
  /** A webhook is signed under `X-Webhook-Signature` instead of `X-Pique-Signature` (same strict format). */
  otherHeaderName: 0.3,
  /** A job sends a non-final webhook when it starts processing. */
  progressWebhook: 0.6
} as const

export type DownloadFailure = { at: 'submit' | 'processing'; error: string }

/** The realistic profile's draws for one emulator (seed and time scale). */
export class RealisticProfile {
  constructor(
    private readonly seed: number,
    private readonly timeScale: number
  ) {}

  /** How long the job of `url` spends in `stage`, in ms (scaled). */
  stageMs(url: string, stage: keyof typeof STAGE_SECONDS): number {
    const [lo, hi] = STAGE_SECONDS[stage]
    const seconds = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * unit(this.seed, 'realistic', stage, url))
    return Math.round(seconds * 1000 * this.timeScale)
  }

  /** Whether (and when, and how) downloading `url` fails. */
  downloadFailure(url: string): DownloadFailure | undefined {
    const platform = platformOf(url)
    if (!chance(this.seed, DOWNLOAD_FAILURE_RATES[platform], 'realistic', 'download', url)) return undefined
    const error = pick(this.seed, DOWNLOAD_ERRORS, 'realistic', 'download-error', url).replace(
      '{platform}',
      DISPLAY[platform]
    )
    const at = chance(this.seed, SUBMIT_TIME_FAILURE_SHARE, 'realistic', 'download-at', url) ? 'submit' : 'processing'
    return { at, error }
  }

  /** Why the service refuses `url` at submit, if it does. */
  submitRejection(url: string): string | undefined {
    if (!chance(this.seed, SUBMIT_REJECTION_RATE, 'realistic', 'reject', url)) return undefined
    return pick(this.seed, SUBMIT_REJECTIONS, 'realistic', 'reject-reason', url)
  }

  /** Whether the job of `url` sends a non-final webhook when it starts processing. */
  progressWebhook(url: string): boolean {
    return chance(this.seed, DRIFT_RATES.progressWebhook, 'realistic', 'progress-webhook', url)
  }

  /** The signature header name of a delivery (`what` tells the deliveries of one URL apart). */
  signatureHeaderName(url: string, what: string): string {
    return chance(this.seed, DRIFT_RATES.otherHeaderName, 'realistic', 'header', url, what)
      ? WEBHOOK.signatureHeaders[1]
      : WEBHOOK.signatureHeader
  }

  /**
   * A submit reply's job as the drifting service lists it: a job that has not failed is sometimes `queued` (not a
   * documented status), and each carries a field the docs do not show. A failed job keeps `failed` and its message.
   */
  driftSubmittedJob(job: { job_id: string; url: string; status: string; error_message: string | null }) {
    const queued =
      job.status !== 'failed' &&
      chance(this.seed, DRIFT_RATES.undocumentedStatus, 'realistic', 'submit-status', job.url)
    return { ...job, status: queued ? UNDOCUMENTED_STATUSES.pending : job.status, position_in_queue: 1 }
  }

  /**
   * A result as the drifting service sends it on `channel`: extra fields always; on non-final bodies, sometimes an
   * undocumented status or event; sometimes the other channel's spelling of the detector list (`results` +
   * `criterion_id` ↔ `detector_results` + `detector_config_id`, as serializeResult writes each). A final body keeps its
   * documented status and event, so the emulator's record and what the gate reads agree on every outcome.
   */
  drift(result: EvaluationResult, url: string, channel: ResultSpelling): Record<string, unknown> {
    const status = result.status
    const key = (what: string) => ['realistic', what, channel, status, url] as const
    const other: ResultSpelling = channel === 'webhook' ? 'results-endpoint' : 'webhook'
    const spelling = chance(this.seed, DRIFT_RATES.otherSpelling, ...key('spelling')) ? other : channel
    const out: Record<string, unknown> = {
      ...serializeResult(result, spelling),
      api_version: '2026-02-01',
      request_id: `req_${channel}`
    }
    const running = status in UNDOCUMENTED_STATUSES
    if (running && chance(this.seed, DRIFT_RATES.undocumentedStatus, ...key('status')))
      out.status = UNDOCUMENTED_STATUSES[status as keyof typeof UNDOCUMENTED_STATUSES]
    if (running && chance(this.seed, DRIFT_RATES.undocumentedEvent, ...key('event'))) out.event = UNDOCUMENTED_EVENT
    if (status === 'processing') out.progress = Math.round(unit(this.seed, ...key('progress')) * 100) / 100
    return out
  }
}

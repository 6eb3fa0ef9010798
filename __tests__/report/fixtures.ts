/**
 * RunReports for the reporter tests, built like the gate builds them. `mixedRun` is also the example rendered
 * into docs/examples/*.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadJudgeFile, loadUrlLists } from '../../src/config/load.js'
import type { ConfigProblem } from '../../src/config/types.js'
import { describeFailure, failureReport } from '../../src/gate/failure.js'
import type { Item, ItemOutcome, RunReport } from '../../src/model/index.js'
import { PiqueApiError } from '../../src/pique/errors.js'
import { MISSING_KEY_REASON } from '../../src/config/surface.js'
import { decide, skippedReport } from '../../src/gate/verdict.js'
import type { DetectorResult, EvaluationResult } from '../../src/pique/results.js'
import { planAnnotations } from '../../src/report/annotations.js'
import { renderComment } from '../../src/report/comment.js'
import { renderSummary } from '../../src/report/summary.js'

const JUDGE = {
  id: '3f6c2a9e-8b1d-4c57-9e0a-5d2b7f41c8aa',
  name: 'Spring launch: brand safety',
  origin: 'reused' as const,
  status: 'ready',
  detectors: ['video_specs', 'transcript_product', 'sentiment']
}

const T0 = '2026-03-02T10:00:00.000Z'
/** As the gate echoes them: secret inputs masked. */
const INPUTS = {
  judge: '.pique/judge.yml',
  urls: 'content/urls.txt',
  threshold: '0.7',
  'api-key': '***',
  'store-token': '***',
  'on-missing-key': 'skip'
}

function detector(
  n: number,
  name: string,
  pass: boolean,
  score: number,
  rationale: string,
  extra: Partial<DetectorResult>
): DetectorResult {
  return {
    id: `c1a7e0f2-0000-4000-8000-00000000000${n}`,
    detectorName: name,
    passCheck: pass,
    score,
    rationale,
    ...extra
  }
}

const specs = (pass: boolean, score: number, rationale: string) =>
  detector(1, 'video_specs', pass, score, rationale, {
    metrics: {
      video_specs: {
        width: pass ? 1080 : 640,
        height: pass ? 1920 : 360,
        aspect_ratio: pass ? '9:16' : '16:9',
        fps: 30,
        duration_sec: 38.03
      }
    }
  })
const product = (pass: boolean, score: number, rationale: string) =>
  detector(2, 'transcript_product', pass, score, rationale, { metrics: { mentions: pass ? 3 : 0 } })
const sentiment = (pass: boolean, score: number, rationale: string) =>
  detector(3, 'sentiment', pass, score, rationale, {
    metrics: { sentiment: pass ? 'positive' : 'negative' },
    timestamps: pass ? undefined : [12.5, 31]
  })

let seq = 0
function job(): string {
  seq += 1
  return `job_${String(seq).padStart(16, '0')}`
}

export function completed(
  url: string,
  file: string,
  line: number,
  score: number,
  threshold: number,
  detectors: DetectorResult[]
): ItemOutcome {
  const jobId = job()
  const result: EvaluationResult = {
    event: 'evaluation.completed',
    jobId,
    status: 'completed',
    outcome: 'completed',
    judgeId: JUDGE.id,
    overallScore: score,
    detectorResults: detectors,
    timestamp: '2026-03-02T10:02:10.000Z'
  }
  return {
    kind: 'url',
    url,
    source: { file, line },
    state: score >= threshold ? 'passed' : 'below_threshold',
    jobId,
    batchId: 'batch_A1b2C3d4E5f6G7h8',
    score,
    result,
    submittedAt: '2026-03-02T10:00:05.000Z',
    finishedAt: '2026-03-02T10:02:10.000Z'
  }
}

export function failedEval(url: string, file: string, line: number, error: string): ItemOutcome {
  const jobId = job()
  return {
    kind: 'url',
    url,
    source: { file, line },
    state: 'failed',
    jobId,
    batchId: 'batch_A1b2C3d4E5f6G7h8',
    error,
    result: { event: 'evaluation.failed', jobId, status: 'failed', outcome: 'failed', error, detectorResults: [] },
    submittedAt: '2026-03-02T10:00:05.000Z',
    finishedAt: '2026-03-02T10:01:00.000Z'
  }
}

export function pending(url: string, file: string, line: number): ItemOutcome {
  const jobId = job()
  return {
    kind: 'url',
    url,
    source: { file, line },
    state: 'pending',
    jobId,
    batchId: 'batch_A1b2C3d4E5f6G7h8',
    result: { event: 'evaluation.pending', jobId, status: 'processing', outcome: 'running', detectorResults: [] },
    submittedAt: '2026-03-02T10:00:05.000Z'
  }
}

export const good = (): DetectorResult[] => [
  specs(true, 1, 'Video specs meet requirements: 1080x1920 (9:16), 30.0fps, 38.0s'),
  product(true, 0.9, 'Brand "Acme" and product "Glow Serum" are both mentioned.'),
  sentiment(true, 0.85, 'Upbeat and positive throughout.')
]

/** The report the gate's verdict makes of these outcomes, with fixed times so rendered examples are stable. */
export function reportOf(urls: ItemOutcome[], overrides: Partial<RunReport> = {}): RunReport {
  const decided = decide({
    threshold: overrides.threshold ?? 0.7,
    failOnError: overrides.failOnError ?? true,
    waitMode: 'store',
    judge: JUDGE,
    batchIds: ['batch_A1b2C3d4E5f6G7h8'],
    outcomes: urls,
    results: new Map(),
    timedOut: urls.some(u => u.state === 'pending'),
    skippedUnchanged: overrides.skippedUnchanged ?? 0,
    startedAt: T0,
    inputs: INPUTS,
    warnings: []
  })
  return { ...decided, finishedAt: '2026-03-02T10:02:31.000Z', ...overrides }
}

const TH = 0.7

export function passingRun(): RunReport {
  return reportOf([
    completed('https://www.tiktok.com/@acme/video/7301', 'content/urls.txt', 1, 0.92, TH, good()),
    completed('https://www.youtube.com/shorts/aB3dE5', 'content/urls.txt', 2, 0.81, TH, good())
  ])
}

export function failingRun(): RunReport {
  return reportOf([
    completed('https://www.tiktok.com/@acme/video/7301', 'content/urls.txt', 1, 0.41, TH, [
      specs(false, 0.2, 'Aspect ratio 16:9 is not allowed (expected 9:16)'),
      product(true, 0.8, 'Brand mentioned.'),
      sentiment(true, 0.9, 'Positive.')
    ])
  ])
}

/** Every kind of outcome, with user text that needs escaping. The docs example. */
export function mixedRun(): RunReport {
  seq = 100
  return reportOf(
    [
      completed('https://www.tiktok.com/@acme/video/7301', 'content/urls.txt', 1, 0.92, TH, good()),
      completed('https://www.youtube.com/shorts/aB3dE5', 'content/urls.txt', 2, 0.58, TH, [
        specs(true, 1, 'Video specs meet requirements: 1080x1920 (9:16), 30.0fps, 38.0s'),
        product(
          false,
          0.1,
          'Product "Glow Serum" is never named | only the brand <Acme> appears; @marketing please check'
        ),
        sentiment(true, 0.8, 'Positive.')
      ]),
      completed('https://www.instagram.com/reel/Cx9_yZ/', 'content/urls.txt', 3, 0.34, TH, [
        specs(false, 0.2, 'Aspect ratio 16:9 is not allowed (expected 9:16); 640x360 is below min_width 720'),
        product(true, 0.9, 'Brand and product named.'),
        sentiment(false, 0.3, 'Negative tone around 0:12 and 0:31: *complaints* about the price')
      ]),
      failedEval(
        'https://www.tiktok.com/@acme/video/7302',
        'content/urls.txt',
        4,
        'Failed to download video: bot detection'
      ),
      pending('https://www.youtube.com/shorts/zZ9yY8', 'content/more.yaml', 2),
      completed('https://www.youtube.com/shorts/qQ1wW2', 'url-list', 1, 0.88, TH, good())
    ],
    { skippedUnchanged: 3 }
  )
}

export function failedEvaluationRun(failOnError = true): RunReport {
  return reportOf(
    [
      failedEval(
        'https://www.tiktok.com/@acme/video/7302',
        'content/urls.txt',
        1,
        'Failed to download video: bot detection'
      ),
      completed('https://www.tiktok.com/@acme/video/7301', 'content/urls.txt', 2, 0.9, TH, good())
    ],
    { failOnError }
  )
}

export function timedOutRun(): RunReport {
  return reportOf([
    completed('https://www.tiktok.com/@acme/video/7301', 'content/urls.txt', 1, 0.9, TH, good()),
    pending('https://www.youtube.com/shorts/zZ9yY8', 'content/urls.txt', 2)
  ])
}

/** No api-key on a fork pull request: the files were validated, nothing was evaluated. */
export function skippedRun(): RunReport {
  return skippedReport({
    threshold: TH,
    failOnError: true,
    waitMode: 'store',
    skippedUnchanged: 0,
    startedAt: T0,
    inputs: INPUTS,
    warnings: [],
    reason: `Evaluation skipped: ${MISSING_KEY_REASON}. The judge file and 12 URLs were validated`
  })
}

/** `n` URLs across two files, a tenth below threshold, with long rationales: the size-bound case. */
export function largeRun(n: number): RunReport {
  const urls: ItemOutcome[] = []
  for (let i = 0; i < n; i++) {
    const low = i % 10 === 3
    const long = `Frame-level review ${i}: ` + 'the subject is partly off-frame and the lighting is uneven; '.repeat(8)
    urls.push(
      completed(
        `https://www.tiktok.com/@creator${i}/video/${7300000000 + i}`,
        i % 2 ? 'content/b.txt' : 'content/a.txt',
        Math.floor(i / 2) + 1,
        low ? 0.3 + (i % 7) / 100 : 0.75 + (i % 20) / 100,
        TH,
        [specs(!low, low ? 0.2 : 1, long), product(true, 0.9, long), sentiment(!low, low ? 0.25 : 0.9, long)]
      )
    )
  }
  return reportOf(urls)
}

/** The config-error fixture's files: one problem in the judge file, two in the URL list. */
const BAD_JUDGE = [
  'name: Spring launch',
  'description: Brand safety for the spring launch',
  'content_type: video',
  'detectors:',
  '  - detector_name: video_specs',
  '    config:',
  '      min_fps: fast',
  ''
].join('\n')
const BAD_URLS = [
  'https://www.tiktok.com/@acme/video/7301',
  'https://www.youtube.com/shorts/aB3dE5',
  'ftp://clips.example/<x>',
  ...[1, 2, 3, 4, 5].map(n => `https://www.tiktok.com/@acme/video/740${n}`),
  'mailto:@marketing',
  ''
].join('\n')

/**
 * A run that stopped on problems in its files, found by the real loaders (so the examples show the messages users
 * get): one in the judge file, two in the URL list.
 */
export async function configErrorRun(): Promise<RunReport> {
  const dir = await mkdtemp(join(tmpdir(), 'pique-config-error-'))
  try {
    await mkdir(join(dir, '.pique'))
    await mkdir(join(dir, 'content'))
    await writeFile(join(dir, '.pique/judge.yml'), BAD_JUDGE)
    await writeFile(join(dir, 'content/urls.txt'), BAD_URLS)
    const problems: ConfigProblem[] = []
    for (const load of [
      loadJudgeFile('.pique/judge.yml', { cwd: dir }),
      loadUrlLists(['content/urls.txt'], { cwd: dir })
    ]) {
      await load.catch((error: unknown) => {
        if (!(error instanceof ConfigError)) throw error
        problems.push(...error.problems)
      })
    }
    const report = failureReport(describeFailure(new ConfigError(problems)), {
      startedAt: T0,
      threshold: TH,
      failOnError: true,
      waitMode: 'store',
      inputs: INPUTS
    })
    return { ...report, finishedAt: '2026-03-02T10:00:01.000Z' }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Pique refused the API key: the plan was made (two URLs), the judge was never reached. */
export function authErrorRun(): RunReport {
  const error = new PiqueApiError(
    'GET /v1/judges: 401 Unauthorized: invalid API key',
    401,
    'GET',
    '/v1/judges',
    'invalid API key'
  )
  const plannedItems: Item[] = [
    { kind: 'url', url: 'https://www.tiktok.com/@acme/video/7301', source: { file: 'content/urls.txt', line: 1 } },
    { kind: 'url', url: 'https://www.youtube.com/shorts/aB3dE5', source: { file: 'content/urls.txt', line: 2 } }
  ]
  return {
    ...failureReport(describeFailure(error), {
      startedAt: T0,
      threshold: TH,
      failOnError: true,
      waitMode: 'store',
      plannedItems,
      inputs: INPUTS
    }),
    finishedAt: '2026-03-02T10:00:02.000Z'
  }
}

/** The job summary as the action renders it, with the annotation count. */
export const summaryOf = (r: RunReport): string =>
  renderSummary(r, { reportPath: 'out/pique-gate-report.json', annotations: planAnnotations(r) })
/** The PR comment of the judge file `.pique/judge.yml` on run 9 of commit abcdef1. */
export const commentOf = (r: RunReport): string =>
  renderComment(r, {
    judgeKey: '.pique/judge.yml',
    runUrl: 'https://github.com/acme/site/actions/runs/9',
    sha: 'abcdef123456'
  })

/**
 * A run as a real campaign looks: 36 URLs from three list files in nested folders, long URLs with tracking
 * parameters, long rationales, five URLs needing attention among 31 passes (one a close call: 0.699 against 0.7).
 * The browser test renders it, and docs/examples/*.png show it.
 */
export function realisticRun(): RunReport {
  seq = 200
  const TIKTOK = 'content/campaigns/2026-spring-launch/creators/tiktok-partners-emea.txt'
  const YOUTUBE = 'content/campaigns/2026-spring-launch/youtube-shorts.yaml'
  const REELS = 'content/campaigns/2026-spring-launch/instagram-reels.txt'
  const failing = [
    completed(
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG&index=12&pp=iAQB8AUB&si=Hk3j2F9s0aLwQm7x',
      YOUTUBE,
      14,
      0.41,
      TH,
      [
        specs(
          false,
          0.2,
          'Aspect ratio 16:9 is not allowed for this campaign (expected 9:16 vertical video); the resolution 640x360 is also below the min_width of 720 pixels set in the judge'
        ),
        product(true, 0.9, 'Brand and product named.'),
        sentiment(
          false,
          0.35,
          'The presenter complains about the price twice (0:12 and 0:31) and calls the texture "sticky"; the overall tone is negative'
        )
      ]
    ),
    completed(
      'https://www.tiktok.com/@glowserum.official.partners.emea/video/7351234567890123456?is_from_webapp=1&sender_device=pc&web_id=7351234567890',
      TIKTOK,
      3,
      0.58,
      TH,
      [
        specs(true, 1, 'Video specs meet requirements: 1080x1920 (9:16), 30.0fps, 38.0s'),
        product(
          false,
          0.1,
          'The product "Glow Serum" is never named in the transcript; only the brand "Acme" is mentioned once, at 0:41, after the call to action'
        ),
        sentiment(true, 0.8, 'Positive.')
      ]
    ),
    completed(
      'https://www.instagram.com/reel/C5xYz_AbCdEfGhIjKlMnOpQ/?utm_source=ig_web_copy_link&igsh=MzRlODBiNWFlZA==',
      REELS,
      27,
      0.699,
      TH,
      [
        specs(true, 1, 'Video specs meet requirements: 1080x1920 (9:16), 30.0fps, 22.4s'),
        product(true, 0.9, 'Brand and product named.'),
        sentiment(false, 0.45, 'Mostly neutral; the music and captions read as flat rather than upbeat')
      ]
    ),
    failedEval(
      'https://www.tiktok.com/@acme.skincare.creators.collective/video/7352345678901234567',
      TIKTOK,
      9,
      'Failed to download video: the platform answered 429 Too Many Requests after 3 attempts (bot detection suspected); retry later or upload the file'
    ),
    pending('https://www.youtube.com/shorts/Zq8Xw7Vu6Ts5?feature=share&si=a1B2c3D4e5F6g7H8', YOUTUBE, 21)
  ]
  const passing = Array.from({ length: 31 }, (_, i) => {
    const [url, file, line] =
      i % 3 === 0
        ? [
            `https://www.tiktok.com/@acme.partner.${i}/video/7351${String(20458800000000 + i * 7919).padStart(15, '0')}`,
            TIKTOK,
            10 + i
          ]
        : i % 3 === 1
          ? [`https://www.youtube.com/shorts/Pq${String(i).padStart(2, '0')}Rs7Tu8Vw?feature=share`, YOUTUBE, 30 + i]
          : [`https://www.instagram.com/reel/C6${String(i).padStart(2, '0')}aBcDeFgHiJkLmN/`, REELS, i]
    return completed(url, file, line, 0.72 + ((i * 37) % 27) / 100, TH, good())
  })
  return reportOf([...failing, ...passing])
}

/**
 * The fault suite: for each seed and wait mode, the bundled action runs twice against its own emulator and store —
 * once without faults, once under seeded read-side faults (10 % 5xx on reads, 429 bursts with Retry-After, 30 % of
 * webhooks dropped, duplicates, delays, reordering) — and must reach the same verdict with the same per-item
 * results. Both runs of a seed go side by side, so their wall times are compared under the same load.
 */
import {
  DEFAULT_EMULATOR_API_KEY,
  type EmulatorFaults,
  NO_FAULTS,
  type ScenarioRule
} from '../../src/emulator/options.js'
import { PiqueClient } from '../../src/pique/client.js'
import { parse } from 'yaml'
import { type Environment, runAction, startEnvironment } from '../e2e/harness.js'

export type Mode = 'api' | 'store'

/** Jobs take seconds, like the service's minutes scaled down, so lookups of lost webhooks have something to be late against. */
const TIMINGS = { judgeReadyMs: 200, awaitingUploadMs: 200, pendingMs: 300, processingMs: 6_000 }

const SCENARIO: ScenarioRule[] = [
  { match: 'https://clips.example/low/*', score: 0.45, failDetectors: ['video_specs'] },
  { match: 'https://clips.example/private/*', fail: 'Failed to download video: this video is private' },
  { match: 'https://clips.example/slow/*', delayMs: 2_000 }
]

/** 12 URLs in one batch: most scored from the seed, one low, one permanently failing, two slower. */
const PATHS = ['a/1', 'a/2', 'a/3', 'low/4', 'a/5', 'slow/6', 'a/7', 'private/8', 'a/9', 'slow/10', 'a/11', 'a/12']

export const READ_FAULTS: EmulatorFaults = {
  endpoints: {
    getResult: { errorRate: 0.1 },
    getJudge: { errorRate: 0.1 },
    listJudges: { errorRate: 0.1 }
  },
  rateLimitBurst: { rate: 0.05, length: 3, retryAfterSeconds: 1 },
  webhooks: { dropRate: 0.3, duplicateRate: 0.2, delayRate: 0.2, delayMs: 500, reorderWindowMs: 300 }
}

const JUDGE = [
  'name: Fault suite',
  'description: The same judge in every run',
  'content_type: video',
  'detectors:',
  '  - detector_name: video_specs',
  '    config: { min_width: 720 }',
  '  - detector_name: audio_noise',
  '    config: {}',
  ''
].join('\n')

export interface ItemResult {
  url: string
  state: string
  score: number | null
  error: string | null
}

export interface RunResult {
  code: number
  verdict: string
  items: ItemResult[]
  ms: number
}

export interface SeedResult {
  seed: number
  mode: Mode
  clean: RunResult
  faulty: RunResult
  same: boolean
  ratio: number
}

async function oneRun(seed: number, mode: Mode, faults: EmulatorFaults): Promise<RunResult> {
  const env: Environment = await startEnvironment(SCENARIO, {
    seed,
    faults,
    timings: TIMINGS,
    webhookRetry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1_000, timeoutMs: 2_000 }
  })
  try {
    // The judge exists, as in a repository whose judge file has not changed: the run finds and reuses it.
    const client = new PiqueClient({ baseUrl: env.emulator.url, apiKey: DEFAULT_EMULATOR_API_KEY })
    await client.createJudge(parse(JUDGE), { deadline: Date.now() + 30_000 })
    const inputs: Record<string, string> = {
      judge: 'judge.yml',
      urls: 'urls.txt',
      threshold: '0.6',
      'timeout-minutes': '3',
      'poll-interval-seconds': '1',
      ...(mode === 'store'
        ? { wait: 'store', 'store-url': env.store.url, 'store-token': env.storeToken }
        : { wait: 'api' })
    }
    const urls = PATHS.map(p => `https://clips.example/${p}`).join('\n')
    const started = Date.now()
    const run = await runAction(env, inputs, { 'judge.yml': JUDGE, 'urls.txt': `${urls}\n` })
    const ms = Date.now() - started
    const report = run.report
    if (!report) throw new Error(`seed ${seed} ${mode}: no report (exit ${run.code})\n${run.stdout}\n${run.stderr}`)
    return {
      code: run.code,
      verdict: report.verdict,
      items: report.urls.map(u => ({ url: u.url, state: u.state, score: u.score, error: u.error ?? null })),
      ms
    }
  } finally {
    await env.close()
  }
}

export async function runSeed(seed: number, mode: Mode): Promise<SeedResult> {
  const [clean, faulty] = await Promise.all([oneRun(seed, mode, NO_FAULTS), oneRun(seed, mode, READ_FAULTS)])
  const same =
    clean.code === faulty.code &&
    clean.verdict === faulty.verdict &&
    JSON.stringify(clean.items) === JSON.stringify(faulty.items)
  return { seed, mode, clean, faulty, same, ratio: faulty.ms / clean.ms }
}

/** Runs `seeds` seeds per mode, `parallel` seeds at a time. */
export async function runSuite(seeds: number, parallel: number, first = 1): Promise<SeedResult[]> {
  const work: { seed: number; mode: Mode }[] = []
  for (let seed = first; seed < first + seeds; seed++)
    for (const mode of ['api', 'store'] as const) work.push({ seed, mode })
  const results: SeedResult[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(parallel, work.length) }, async () => {
      while (next < work.length) {
        const { seed, mode } = work[next++]
        results.push(await runSeed(seed, mode))
      }
    })
  )
  return results.sort((a, b) => a.seed - b.seed || a.mode.localeCompare(b.mode))
}

/** One line per mode: seeds that matched, and the wall-time ratio (total, and the worst seed). */
export function summarize(results: SeedResult[]): string[] {
  return (['api', 'store'] as const).map(mode => {
    const rs = results.filter(r => r.mode === mode)
    const clean = rs.reduce((s, r) => s + r.clean.ms, 0)
    const faulty = rs.reduce((s, r) => s + r.faulty.ms, 0)
    const worst = Math.max(...rs.map(r => r.ratio))
    return `${mode}: ${rs.filter(r => r.same).length}/${rs.length} seeds with the fault-free verdict and results; wall time ${(faulty / 1000).toFixed(1)} s vs ${(clean / 1000).toFixed(1)} s fault-free (ratio ${(faulty / clean).toFixed(2)}, worst seed ${worst.toFixed(2)})`
  })
}

import { afterEach, describe, expect, it } from '@jest/globals'
import type { RunningEmulator, ScenarioRule } from '../../src/emulator/options.js'
import { call, fastEmulator, videoJudge, waitForResult } from './helpers.js'

const URLS = [
  'https://www.tiktok.com/@a/video/1',
  'https://www.youtube.com/watch?v=b',
  'https://www.instagram.com/reel/c/',
  'https://fixed.example/v',
  'https://partial.example/v'
]
const SCENARIO: ScenarioRule[] = [
  { match: 'https://fixed.example/*', score: 0.42 },
  { match: 'https://partial.example/*', failDetectors: ['language'] }
]

const running: RunningEmulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map(e => e.close()))
})

/** Everything a run produces except ids and timestamps, serialized. */
async function scores(seed: number, scenario = SCENARIO): Promise<string> {
  const emu = await fastEmulator({ seed, scenario })
  running.push(emu)
  const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge('Determinism'))
  const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', { judge_id: judge.body.id, video_urls: URLS })
  const results = await Promise.all(r.body.jobs.map((j: { job_id: string }) => waitForResult(emu.url, j.job_id)))
  return JSON.stringify(
    results.map(({ body }) => ({
      overall_score: body.overall_score,
      detector_results: body.detector_results.map(
        ({ detector_config_id: _id, ...rest }: Record<string, unknown>) => rest
      )
    }))
  )
}

describe('scores', () => {
  it('are byte-identical for the same seed and scenario across two emulator instances', async () => {
    const [a, b] = await Promise.all([scores(7), scores(7)])
    expect(a).toBe(b)
    expect(await scores(8)).not.toBe(a)
  })

  it('are a weighted mean of plausible detector results', async () => {
    const emu = await fastEmulator({ seed: 3 })
    running.push(emu)
    const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge())
    const weights = (await call(emu.url, 'GET', `/v1/judges/${judge.body.id}`)).body.detector_configs.map(
      (d: { weight: number }) => d.weight
    )
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judge.body.id,
      video_urls: URLS.slice(0, 3)
    })
    for (const job of r.body.jobs) {
      const { body } = await waitForResult(emu.url, job.job_id)
      const results = body.detector_results as {
        score: number
        pass_check: boolean
        rationale: string
        metrics: Record<string, unknown>
      }[]
      const mean =
        results.reduce((a, d, i) => a + d.score * weights[i], 0) / weights.reduce((a: number, w: number) => a + w, 0)
      expect(body.overall_score).toBeCloseTo(mean, 3)
      for (const d of results) {
        expect(d.score).toBeGreaterThanOrEqual(0)
        expect(d.score).toBeLessThanOrEqual(1)
        expect(typeof d.pass_check).toBe('boolean')
        expect(d.rationale.length).toBeGreaterThan(5)
      }
      // video_specs metrics of the documented shape.
      expect(results[0].metrics).toEqual({
        video_specs: {
          width: expect.any(Number),
          height: expect.any(Number),
          aspect_ratio: expect.any(String),
          fps: expect.any(Number),
          duration_sec: expect.any(Number),
          audio_sample_rate: expect.any(Number)
        },
        checks: {
          min_width: { pass: expect.any(Boolean), actual: expect.any(Number), threshold: 720 },
          allowed_aspect_ratios: { pass: expect.any(Boolean), actual: expect.any(String), threshold: ['9:16'] },
          min_fps: { pass: expect.any(Boolean), actual: expect.any(Number), threshold: 24 }
        },
        issues_count: expect.any(Number),
        total_checks: 3
      })
    }
  })

  it('follow scenario rules exactly: a fixed overall score, named detectors failing', async () => {
    const emu = await fastEmulator({
      seed: 11,
      scenario: [
        { match: '*/fixed', score: 0.42, failDetectors: ['audio_noise'] },
        { match: '*/fail-lang', failDetectors: ['language'] }
      ]
    })
    running.push(emu)
    const judge = await call(emu.url, 'POST', '/v1/judges', videoJudge())
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judge.body.id,
      video_urls: ['https://x.example/fixed', 'https://x.example/fail-lang']
    })
    const fixed = (await waitForResult(emu.url, r.body.jobs[0].job_id)).body
    expect(fixed.overall_score).toBe(0.42)
    const noise = fixed.detector_results.find((d: { detector_name: string }) => d.detector_name === 'audio_noise')
    expect(noise.pass_check).toBe(false)
    // Shaped so the weighted mean (weights 1, 3, 1) gives the fixed score.
    const mean = (fixed.detector_results[0].score + 3 * noise.score + fixed.detector_results[2].score) / 5
    expect(mean).toBeCloseTo(0.42, 3)
    const lang = (await waitForResult(emu.url, r.body.jobs[1].job_id)).body.detector_results.find(
      (d: { detector_name: string }) => d.detector_name === 'language'
    )
    expect(lang).toMatchObject({ pass_check: false, timestamps: [expect.any(Number)] })
    expect(lang.score).toBeLessThan(0.5)
  })

  it('a scenario-failed video_specs says it was rejected, never that the specs meet requirements', async () => {
    const emu = await fastEmulator({ seed: 5, scenario: [{ match: '*', failDetectors: ['video_specs'] }] })
    running.push(emu)
    const judge = await call(
      emu.url,
      'POST',
      '/v1/judges',
      videoJudge('Lenient', [{ detector_name: 'video_specs', config: { min_fps: 1 } }])
    )
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judge.body.id,
      video_urls: ['https://x.example/a']
    })
    const specs = (await waitForResult(emu.url, r.body.jobs[0].job_id)).body.detector_results[0]
    expect(specs.pass_check).toBe(false)
    expect(specs.rationale).not.toMatch(/meet requirements/)
    expect(specs.rationale).toMatch(/^Video specs rejected: .*\(failed by the emulator scenario\)$/)
  })

  it('judge video_specs against the config: a failing check lowers the score and is named', async () => {
    const emu = await fastEmulator()
    running.push(emu)
    // No format is at least 4000 wide: the seeded specs cannot meet it.
    const judge = await call(
      emu.url,
      'POST',
      '/v1/judges',
      videoJudge('Strict', [{ detector_name: 'video_specs', config: { min_width: 4000, min_fps: 1 } }])
    )
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', {
      judge_id: judge.body.id,
      video_urls: ['https://x.example/v']
    })
    const [d] = (await waitForResult(emu.url, r.body.jobs[0].job_id)).body.detector_results
    expect(d).toMatchObject({
      pass_check: false,
      score: 0.5,
      metrics: { issues_count: 1, total_checks: 2, checks: { min_width: { pass: false, threshold: 4000 } } }
    })
    expect(d.rationale).toMatch(/width below minimum/)
  })
})

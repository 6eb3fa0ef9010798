import { describe, expect, it } from '@jest/globals'
import { parseResultBody, serializeResult } from '../../src/pique/results.js'

// The two documented examples, verbatim in shape (../shared/seeds/social-media-urls.txt).
const seedCompleted = {
  evaluation_id: 'a1922bbb-7264-4e2e-82f6-778702b05a30',
  job_id: 'job_AbC123XyZ456789',
  content_id: '550e8400-e29b-41d4-a716-446655440000',
  judge_id: 'a1b2c3d4-e5f6-4789-9012-3456789abcde',
  status: 'completed',
  overall_score: 0.85,
  timestamp: '2025-11-12T23:16:08.526491Z',
  results: [
    {
      criterion_id: '848b9b59-2775-4303-8912-0a6ff40b6fd6',
      detector_name: 'video_specs',
      pass_check: true,
      score: 1,
      rationale: 'Video specs meet requirements: 576x1024 (9:16), 30.0fps, 38.0s',
      metrics: {
        video_specs: {
          width: 576,
          height: 1024,
          aspect_ratio: '9:16',
          fps: 30,
          duration_sec: 38.033991,
          audio_sample_rate: 44100
        }
      }
    }
  ]
}
const seedFailed = {
  event: 'evaluation.failed',
  job_id: 'job_3vp2mT7dJh5vhZmpk2G_yg',
  status: 'failed',
  timestamp: '2025-11-12T23:16:08.526491Z',
  error: 'Failed to process video',
  judge_id: '9e8ed8b4-e4ff-4137-9469-11181586a9e6'
}

describe('result bodies', () => {
  it('reads the seed webhook without an event field, inferring evaluation.completed', () => {
    const parsed = parseResultBody(seedCompleted)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.result).toMatchObject({
      event: 'evaluation.completed',
      jobId: 'job_AbC123XyZ456789',
      overallScore: 0.85
    })
    expect(parsed.result.detectorResults[0]).toMatchObject({
      id: '848b9b59-2775-4303-8912-0a6ff40b6fd6',
      detectorName: 'video_specs',
      passCheck: true,
      score: 1
    })
  })

  it('reads the results-endpoint spelling (detector_results, detector_config_id, timestamps)', () => {
    const { results, ...rest } = seedCompleted
    const body = {
      ...rest,
      event: 'evaluation.completed',
      detector_results: results.map(({ criterion_id, ...d }) => ({
        ...d,
        detector_config_id: criterion_id,
        timestamps: [3.5]
      }))
    }
    const parsed = parseResultBody(body)
    expect(parsed.ok && parsed.result.detectorResults[0]).toMatchObject({
      id: '848b9b59-2775-4303-8912-0a6ff40b6fd6',
      timestamps: [3.5]
    })
  })

  it('reads a failed result and a pending one', () => {
    expect(parseResultBody(seedFailed)).toMatchObject({
      ok: true,
      result: { event: 'evaluation.failed', error: 'Failed to process video' }
    })
    expect(parseResultBody({ event: 'evaluation.pending', job_id: 'job_x', status: 'processing' })).toMatchObject({
      ok: true,
      result: { status: 'processing' }
    })
  })

  it('rejects bodies that are not results, with the field at fault', () => {
    expect(parseResultBody({ hello: 'world' })).toMatchObject({ ok: false })
    expect(parseResultBody({ job_id: 'job_x', status: 'completed' })).toEqual({
      ok: false,
      reason: 'overall_score: a completed result needs overall_score'
    })
    expect(parseResultBody({ ...seedCompleted, overall_score: 1.5 })).toMatchObject({ ok: false })
    // Every problem on one line, paths written as in config errors.
    expect(
      parseResultBody({
        status: 'completed',
        overall_score: 0.5,
        results: [{ detector_name: 'video_specs', score: 'high' }]
      })
    ).toEqual({
      ok: false,
      reason: 'job_id: is required; results[0].score: expected a number, got a string'
    })
    expect(parseResultBody({ ...seedCompleted, event: 'evaluation.failed' })).toMatchObject({ ok: false })
  })

  it('serializes in the webhook spelling and the results-endpoint spelling, and reads both back', () => {
    const parsed = parseResultBody(seedCompleted)
    if (!parsed.ok) throw new Error(parsed.reason)
    const webhook = serializeResult(parsed.result, 'webhook')
    expect(webhook).toHaveProperty('results')
    expect((webhook.results as Record<string, unknown>[])[0]).toHaveProperty('criterion_id')
    const endpoint = serializeResult(parsed.result, 'results-endpoint')
    expect(endpoint).toHaveProperty('detector_results')
    expect((endpoint.detector_results as Record<string, unknown>[])[0]).toHaveProperty('detector_config_id')
    for (const body of [webhook, endpoint]) {
      const again = parseResultBody(JSON.parse(JSON.stringify(body)))
      expect(again.ok && again.result).toEqual(
        parsed.result.detectorResults.length ? { ...parsed.result, event: 'evaluation.completed' } : undefined
      )
    }
  })
})

import { describe, expect, it } from '@jest/globals'
import { isTerminal, parseResultBody, readDeliveryState, serializeResult } from '../../src/pique/results.js'

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

  it('refuses only a body that names no job or no state, with the field at fault', () => {
    expect(parseResultBody({ hello: 'world' })).toMatchObject({ ok: false })
    expect(parseResultBody([seedCompleted])).toMatchObject({ ok: false })
    // Every problem on one line, paths written as in config errors.
    expect(parseResultBody({ status: 'completed', overall_score: 0.5 })).toEqual({
      ok: false,
      reason: 'job_id: is required'
    })
    expect(parseResultBody({ job_id: 'job_x', overall_score: 0.5 })).toEqual({
      ok: false,
      reason: 'body: has neither status nor event'
    })
    expect(parseResultBody({ job_id: 'job_x', status: 3 })).toEqual({
      ok: false,
      reason: 'status: expected a string, got a whole number'
    })
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

// Replies that differ from the documented examples the way a real service drifts: each is read, never refused.
describe('tolerated result bodies', () => {
  const read = (body: unknown, jobId?: string) => {
    const parsed = parseResultBody(body, jobId)
    if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`)
    return parsed.result
  }

  it('an undocumented status is not finished yet, with a note naming the value', () => {
    const r = read({ event: 'evaluation.pending', job_id: 'job_q', status: 'queued', queue_position: 4 })
    expect(r).toMatchObject({ status: 'queued', outcome: 'running' })
    expect(isTerminal(r)).toBe(false)
    expect(r.notes).toEqual([
      {
        kind: 'undocumented_status',
        value: 'queued',
        message: 'undocumented job status "queued": read as not finished yet, still waiting'
      }
    ])
  })

  it('an undocumented event is not finished yet, even beside a terminal status', () => {
    const r = read({ event: 'evaluation.rescored', job_id: 'job_e', status: 'completed', overall_score: 0.9 })
    expect(r).toMatchObject({ event: 'evaluation.rescored', outcome: 'running' })
    expect(r.notes?.map(n => [n.kind, n.value])).toEqual([['undocumented_event', 'evaluation.rescored']])
  })

  it('an undocumented event without a status is not finished yet, its status unknown', () => {
    const r = read({ event: 'evaluation.updated', job_id: 'job_u' })
    expect(r).toMatchObject({ status: 'unknown', event: 'evaluation.updated', outcome: 'running' })
    expect(r.notes?.map(n => n.kind)).toEqual(['undocumented_event'])
  })

  it('a missing (or null) status is inferred from a documented event', () => {
    expect(read({ event: 'evaluation.completed', job_id: 'job_n', status: null, overall_score: 0.6 })).toMatchObject({
      status: 'completed',
      outcome: 'completed',
      overallScore: 0.6
    })
    expect(read({ event: 'evaluation.failed', job_id: 'job_f', error: 'Private video' })).toMatchObject({
      status: 'failed',
      outcome: 'failed',
      error: 'Private video'
    })
  })

  it.each([
    ['missing', { job_id: 'job_s', status: 'completed' }, 'without overall_score'],
    ['null', { ...seedCompleted, overall_score: null }, 'overall_score is null'],
    ['above 1', { ...seedCompleted, overall_score: 1.5 }, 'overall_score 1.5 is outside 0–1'],
    ['negative', { ...seedCompleted, overall_score: -0.1 }, 'overall_score -0.1 is outside 0–1'],
    ['a string', { ...seedCompleted, overall_score: '0.85' }, 'overall_score is "0.85", not a number'],
    ['a percentage', { ...seedCompleted, overall_score: 85 }, 'overall_score 85 is outside 0–1']
  ])('a completed body whose overall_score is %s is that job’s evaluation error', (_what, body, reason) => {
    const r = read(body)
    expect(r).toMatchObject({ status: 'completed', outcome: 'unusable' })
    expect(r.overallScore).toBeUndefined()
    expect(r.error).toBe(`Pique reported the evaluation completed, but ${reason}`)
    expect(isTerminal(r)).toBe(true)
  })

  it('when event and status disagree, the status decides and a note says so', () => {
    const completed = read({ ...seedCompleted, event: 'evaluation.failed' })
    expect(completed).toMatchObject({ status: 'completed', outcome: 'completed', overallScore: 0.85 })
    expect(completed.notes).toEqual([
      {
        kind: 'disagreement',
        value: 'evaluation.failed/completed',
        message: 'event "evaluation.failed" disagrees with status "completed": the status decides'
      }
    ])
    const stillRunning = read({ event: 'evaluation.completed', job_id: 'job_p', status: 'processing' })
    expect(stillRunning).toMatchObject({ outcome: 'running' })
    expect(stillRunning.notes?.[0].kind).toBe('disagreement')
  })

  it('a completed body with only its job, status and score is complete: every other field is optional', () => {
    expect(read({ job_id: 'job_min', status: 'completed', overall_score: 0.7 })).toMatchObject({
      outcome: 'completed',
      overallScore: 0.7,
      event: 'evaluation.completed',
      detectorResults: []
    })
    expect(read({ job_id: 'job_min', status: 'completed', overall_score: 0.7, results: null }).detectorResults).toEqual(
      []
    )
  })

  it('extra fields, nulls and unusable detector fields are ignored, not fatal', () => {
    const r = read({
      ...seedCompleted,
      model_version: '2026-02',
      billing: { credits: 3 },
      results: [
        { detector_name: 'video_specs', score: 'high', pass_check: 'yes', rationale: null, extra: 1 },
        { criterion_id: 'c2', score: 0.4 },
        'not a detector'
      ]
    })
    expect(r.outcome).toBe('completed')
    expect(r.detectorResults).toEqual([
      expect.objectContaining({ detectorName: 'video_specs', score: undefined, passCheck: undefined }),
      expect.objectContaining({ id: 'c2', detectorName: 'unknown', score: 0.4 })
    ])
  })

  it('the results endpoint supplies a missing job_id, and refuses a body about another job', () => {
    expect(read({ status: 'processing' }, 'job_asked')).toMatchObject({ jobId: 'job_asked', outcome: 'running' })
    expect(read({ job_id: null, status: 'processing' }, 'job_asked')).toMatchObject({ jobId: 'job_asked' })
    expect(parseResultBody({ job_id: 'job_other', status: 'processing' }, 'job_asked')).toEqual({
      ok: false,
      reason: 'job_id: names job_other, not the job asked for (job_asked)'
    })
  })
})

// The store files deliveries with the same reader: its state is the reader's, in the receiver's terms.
describe('readDeliveryState', () => {
  it.each([
    [
      { job_id: 'j', status: 'completed', overall_score: 0.5, timestamp: 't1' },
      { ok: true, jobId: 'j', status: 'completed', timestamp: 't1' }
    ],
    [
      { job_id: 'j', event: 'evaluation.failed' },
      { ok: true, jobId: 'j', status: 'failed' }
    ],
    [
      { job_id: 'j', status: 'completed', overall_score: null },
      { ok: true, jobId: 'j', status: 'completed' }
    ],
    [
      { job_id: 'j', event: 'evaluation.failed', status: 'completed', overall_score: 0.4 },
      { ok: true, jobId: 'j', status: 'completed' }
    ],
    [
      { job_id: 'j', status: 'queued' },
      { ok: true, jobId: 'j', status: undefined, undocumented: 'status "queued" is not a documented job status' }
    ],
    [
      { job_id: 'j', event: 'evaluation.progress', status: 'processing' },
      { ok: true, jobId: 'j', status: undefined, undocumented: 'event "evaluation.progress" is not a documented event' }
    ],
    [{ status: 'completed' }, { ok: false, reason: 'job_id: is required' }],
    [
      { job_id: 'j', overall_score: 0.5 },
      { ok: false, reason: 'body: has neither status nor event' }
    ],
    [null, { ok: false, reason: 'body: expected a mapping, got null' }]
  ])('%j', (body, state) => {
    expect(readDeliveryState(body)).toEqual(state)
  })
})

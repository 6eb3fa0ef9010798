import { describe, expect, it } from '@jest/globals'
import { scoreDrop } from '../../src/gate/max-drop.js'
import { policyBreaches } from '../../src/gate/detector-policy.js'
import type { DetectorResult, EvaluationResult } from '../../src/pique/results.js'

const result = (detectors: Partial<DetectorResult>[], overall = 0.9): EvaluationResult => ({
  event: 'evaluation.completed',
  jobId: 'job_1',
  status: 'completed',
  outcome: 'completed',
  overallScore: overall,
  detectorResults: detectors.map(d => ({ detectorName: 'x', ...d }))
})

const JUDGE = ['video_specs', 'brand_safety', 'watermark']

describe('policyBreaches', () => {
  it('asks nothing without a policy', () => {
    expect(policyBreaches(result([{ detectorName: 'video_specs', passCheck: false }]), undefined)).toEqual([])
  })

  it('require_pass_check: a failed, missing or unreported check breaks it, with the rationale', () => {
    const r = result([
      { detectorName: 'video_specs', passCheck: false, rationale: 'aspect ratio 1:1, expected 9:16' },
      { detectorName: 'brand_safety', score: 0.9 }
    ])
    expect(policyBreaches(r, { require_pass_check: ['*'] }, JUDGE).map(b => b.message)).toEqual([
      'failed the required video_specs check: aspect ratio 1:1, expected 9:16',
      'brand_safety reported no pass/fail check, and its check is required',
      'watermark reported no result, and its check is required'
    ])
    expect(policyBreaches(r, { require_pass_check: ['*'], ignore: ['brand_safety', 'watermark'] }, JUDGE)).toEqual([
      {
        rule: 'require_pass_check',
        detector: 'video_specs',
        message: 'failed the required video_specs check: aspect ratio 1:1, expected 9:16'
      }
    ])
  })

  it('min_scores: "*" for every detector, a named minimum wins, ignored detectors never count', () => {
    const r = result([
      { detectorName: 'video_specs', score: 0.45 },
      { detectorName: 'brand_safety', score: 0.65 },
      { detectorName: 'watermark', score: 0.1 }
    ])
    const breaches = policyBreaches(r, { min_scores: { '*': 0.5, brand_safety: 0.7 }, ignore: ['watermark'] }, JUDGE)
    expect(breaches.map(b => b.message)).toEqual([
      'video_specs scored 0.45, below its minimum 0.5',
      'brand_safety scored 0.65, below its minimum 0.7'
    ])
    expect(breaches.every(b => b.rule === 'min_score')).toBe(true)
    expect(policyBreaches(r, { min_scores: { brand_safety: 0.6 } }, JUDGE)).toEqual([])
  })

  it('never prints a minimum as met by rounding: a score just under it reads below it, the minimum as written', () => {
    const r = result([
      { detectorName: 'video_specs', score: 0.4996 },
      { detectorName: 'brand_safety', score: 0.5 }
    ])
    expect(
      policyBreaches(r, { min_scores: { video_specs: 0.5, brand_safety: 0.555 } }, JUDGE).map(b => b.message)
    ).toEqual(['video_specs scored 0.4996, below its minimum 0.5', 'brand_safety scored 0.5, below its minimum 0.555'])
  })

  it('a detector with a minimum and no score breaks the rule', () => {
    expect(policyBreaches(result([]), { min_scores: { brand_safety: 0.5 } }, JUDGE)[0].message).toBe(
      'brand_safety reported no score, and its minimum is 0.5'
    )
  })
})

describe('scoreDrop', () => {
  it('fails a fall larger than max-drop, even above the threshold, and says against what', () => {
    expect(scoreDrop(0.71, { score: 0.82, from: 'previous' }, 0.1)?.message).toBe(
      'score fell from 0.82 to 0.71 (−0.11), more than the allowed drop of 0.1'
    )
    expect(scoreDrop(0.8, { score: 0.95, from: 'base', ref: 'main' }, 0.1)?.message).toBe(
      'score fell from 0.95 on main to 0.8 (−0.15), more than the allowed drop of 0.1'
    )
  })

  it('allows a fall of exactly max-drop, a rise, and anything without a baseline or without max-drop', () => {
    expect(scoreDrop(0.72, { score: 0.82, from: 'previous' }, 0.1)).toBeUndefined()
    expect(scoreDrop(0.9, { score: 0.82, from: 'previous' }, 0)).toBeUndefined()
    expect(scoreDrop(0.1, undefined, 0.1)).toBeUndefined()
    expect(scoreDrop(0.1, { score: 0.9, from: 'previous' }, undefined)).toBeUndefined()
  })
})

/** The reuse stage's split and the rules applied to each finished item (pure parts; end to end: e2e/reuse.test.ts). */
import { describe, expect, it } from '@jest/globals'
import { applyRules } from '../../src/gate/breaches.js'
import { planReuse } from '../../src/gate/reuse.js'
import { type ItemOutcome, type OutcomeFields, type UrlItem, inPlanOrder, itemName } from '../../src/model/index.js'
import type { EvaluationResult } from '../../src/pique/results.js'
import type { ItemHistory, PastResult } from '../../src/reuse/history.js'

const item = (path: string, line: number): UrlItem => ({
  kind: 'url',
  url: `https://www.tiktok.com/@b/video/${path}`,
  source: { file: 'urls.txt', line }
})
const result = (jobId: string, score: number): EvaluationResult => ({
  event: 'evaluation.completed',
  jobId,
  status: 'completed',
  outcome: 'completed',
  overallScore: score,
  detectorResults: [{ detectorName: 'video_specs', passCheck: score >= 0.5, score }]
})
const past = (jobId: string, score: number, ageSeconds = 60): PastResult => ({
  jobId,
  completedAt: new Date(Date.now() - ageSeconds * 1000).toISOString(),
  ageSeconds,
  result: result(jobId, score)
})

describe('planReuse', () => {
  it('reuses what has a reusable result, submits the rest, and attaches earlier results to both', () => {
    const items = [item('1', 1), item('2?utm_source=x', 2), item('3', 3)]
    const found = new Map<string, ItemHistory>([
      ['url:https://www.tiktok.com/@b/video/2', { reusable: past('job_r', 0.8, 3600), previous: past('job_p', 0.9) }],
      [
        'url:https://www.tiktok.com/@b/video/3',
        { previous: past('job_old', 0.7), base: { ...past('job_b', 0.95), ref: 'main' } }
      ]
    ])
    const plan = planReuse(items, found)
    expect(plan.toSubmit.map(itemName)).toEqual([items[0].url, items[2].url])
    expect(plan.toSubmit[0]).toMatchObject({ identity: 'url:https://www.tiktok.com/@b/video/1' })
    expect(plan.toSubmit[1]).toMatchObject({
      previous: { jobId: 'job_old', score: 0.7 },
      base: { jobId: 'job_b', score: 0.95, ref: 'main' }
    })
    expect(plan.reused).toEqual([
      expect.objectContaining({
        url: items[1].url,
        state: 'submitted',
        jobId: 'job_r',
        reused: { ageSeconds: 3600, completedAt: expect.any(String) },
        previous: expect.objectContaining({ jobId: 'job_p', score: 0.9 })
      })
    ])
    expect(plan.results.get('job_r')?.overallScore).toBe(0.8)
  })

  it('puts submitted and reused outcomes back in plan order', () => {
    const items = [item('a', 1), item('b', 2), item('c', 3)]
    const out = (i: UrlItem, jobId: string): ItemOutcome => ({ ...i, state: 'submitted', jobId })
    const merged = inPlanOrder(items, [out(items[2], 'j3'), out(items[0], 'j1'), out(items[1], 'j2')])
    expect(merged.map(o => o.jobId)).toEqual(['j1', 'j2', 'j3'])
  })
})

describe('applyRules', () => {
  const settled = (score: number, extra: Partial<OutcomeFields> = {}): ItemOutcome => ({
    ...item('x', 1),
    state: score >= 0.7 ? 'passed' : 'below_threshold',
    score,
    jobId: 'job_x',
    result: result('job_x', score),
    ...extra
  })

  it('a passing item that breaks a policy rule or max-drop is broke_rule, with every reason', () => {
    const o = applyRules(settled(0.75, { previous: { jobId: 'p', score: 0.9, completedAt: '' } }), {
      threshold: 0.7,
      policy: { min_scores: { video_specs: 0.8 } },
      detectors: ['video_specs'],
      maxDrop: 0.1
    })
    expect(o.state).toBe('broke_rule')
    expect(o.breaches?.map(b => b.rule)).toEqual(['min_score', 'max_drop'])
  })

  it('a below-threshold item keeps its state and names the threshold first', () => {
    const o = applyRules(settled(0.4), { threshold: 0.7, policy: { require_pass_check: ['video_specs'] } })
    expect(o.state).toBe('below_threshold')
    expect(o.breaches?.map(b => b.message)).toEqual([
      'overall score 0.4 is below the threshold 0.7',
      'failed the required video_specs check'
    ])
  })

  it('max-drop compares with the base branch when known, and leaves a passing item alone otherwise', () => {
    const base = { jobId: 'b', score: 0.95, completedAt: '', ref: 'main' }
    const previous = { jobId: 'p', score: 0.8, completedAt: '' }
    expect(applyRules(settled(0.8, { base, previous }), { threshold: 0.7, maxDrop: 0.1 }).breaches?.[0].message).toBe(
      'score fell from 0.95 on main to 0.8 (−0.15), more than the allowed drop of 0.1'
    )
    const fine = settled(0.8, { previous })
    expect(applyRules(fine, { threshold: 0.7, maxDrop: 0.1 })).toBe(fine)
  })
})

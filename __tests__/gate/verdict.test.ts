import { describe, expect, it } from '@jest/globals'
import type { ItemOutcome } from '../../src/model/index.js'
import { gateOutputs } from '../../src/gate/outputs.js'
import { type DecideInput, decide } from '../../src/gate/verdict.js'
import type { EvaluationResult } from '../../src/pique/results.js'

const outcome = (n: number, state: ItemOutcome['state'] = 'submitted', error?: string): ItemOutcome => ({
  kind: 'url',
  url: `https://v.example/${n}`,
  source: { file: 'urls.txt', line: n },
  state,
  jobId: `job_${n}`,
  batchId: 'batch_1',
  error
})
const completed = (n: number, score: number): EvaluationResult => ({
  event: 'evaluation.completed',
  jobId: `job_${n}`,
  status: 'completed',
  outcome: 'completed',
  overallScore: score,
  detectorResults: []
})
const failed = (n: number, error: string): EvaluationResult => ({
  event: 'evaluation.failed',
  jobId: `job_${n}`,
  status: 'failed',
  outcome: 'failed',
  error,
  detectorResults: []
})

function input(outcomes: ItemOutcome[], results: EvaluationResult[], extra: Partial<DecideInput> = {}): DecideInput {
  return {
    threshold: 0.7,
    failOnError: true,
    waitMode: 'api',
    judge: { id: 'j1', name: 'Launch', origin: 'created', status: 'ready', detectors: ['video_specs'] },
    batchIds: ['batch_1'],
    outcomes,
    results: new Map(results.map(r => [r.jobId, r])),
    timedOut: false,
    skippedUnchanged: 0,
    startedAt: new Date().toISOString(),
    inputs: {},
    warnings: [],
    ...extra
  }
}

describe('decide', () => {
  it('passes when every score reaches the threshold (equal counts as passing)', () => {
    const report = decide(input([outcome(1), outcome(2)], [completed(1, 0.7), completed(2, 0.95)]))
    expect(report.verdict).toBe('passed')
    expect(report.reason).toBe('All 2 evaluated URLs scored at least 0.70 (lowest 0.70)')
    expect(report.counts).toMatchObject({ total: 2, passed: 2, belowThreshold: 0 })
    expect(report.minScore).toBe(0.7)
    expect(gateOutputs(report, 'r.json')).toMatchObject({
      passed: 'true',
      evaluated: '2',
      'failed-count': '0',
      'min-score': '0.7',
      'judge-created': 'true',
      'judge-id': 'j1',
      'batch-ids': 'batch_1'
    })
  })

  it('fails on one URL below the threshold', () => {
    const report = decide(input([outcome(1), outcome(2)], [completed(1, 0.69), completed(2, 0.9)]))
    expect(report.verdict).toBe('failed')
    expect(report.reason).toBe('1 of 2 URLs scored below 0.70')
    expect(report.items[0]).toMatchObject({ state: 'below_threshold', score: 0.69 })
    const outputs = gateOutputs(report, 'r.json')
    expect(outputs['failed-count']).toBe('1')
    expect(JSON.parse(outputs.results)).toEqual([
      { url: 'https://v.example/1', state: 'below_threshold', score: 0.69, job_id: 'job_1' },
      { url: 'https://v.example/2', state: 'passed', score: 0.9, job_id: 'job_2' }
    ])
  })

  it('fails on a failed evaluation unless fail-on-error is false, then warns', () => {
    const outcomes = [outcome(1), outcome(2), outcome(3, 'failed', 'Bot detection blocked the download')]
    const results = [completed(1, 0.9), failed(2, 'Failed to process video')]
    const strict = decide(input(outcomes, results))
    expect(strict.verdict).toBe('failed')
    expect(strict.reason).toBe('2 evaluations failed')
    expect(strict.items[1]).toMatchObject({ state: 'failed', error: 'Failed to process video' })
    const lenient = decide(input(outcomes, results, { failOnError: false }))
    expect(lenient.verdict).toBe('passed')
    expect(lenient.reason).toBe(
      'The 1 evaluated URL scored at least 0.70 (lowest 0.90); 2 evaluations failed (fail-on-error is false)'
    )
    expect(lenient.warnings).toEqual([
      'Evaluation failed for https://v.example/2 (urls.txt:2): Failed to process video',
      'Evaluation failed for https://v.example/3 (urls.txt:3): Bot detection blocked the download'
    ])
    expect(gateOutputs(lenient, 'r.json')).toMatchObject({ 'failed-count': '0', evaluated: '3', passed: 'true' })
  })

  it('fails with the unfinished URLs at the deadline and keeps the partial results', () => {
    const report = decide(
      input([outcome(1), outcome(2), outcome(3)], [completed(1, 0.8), completed(2, 0.5)], { timedOut: true })
    )
    expect(report.verdict).toBe('failed')
    expect(report.reason).toBe('1 of 3 URLs scored below 0.70; 1 unfinished at the deadline (timeout-minutes)')
    expect(report.items.map(u => u.state)).toEqual(['passed', 'below_threshold', 'pending'])
    expect(gateOutputs(report, 'r.json')).toMatchObject({ evaluated: '2', 'failed-count': '2', 'min-score': '0.5' })
  })

  it('leaves the results output empty when it would pass 1 MiB, and never otherwise', () => {
    const many = Array.from({ length: 6000 }, (_, i) => ({
      ...outcome(i),
      url: `https://v.example/${'x'.repeat(150)}/${i}`
    }))
    const results = many.map((_, i) => completed(i, 0.9))
    const big = gateOutputs(decide(input(many, results)), 'r.json')
    expect(big.results).toBe('')
    expect(big.evaluated).toBe('6000')
    const small = gateOutputs(decide(input(many.slice(0, 100), results.slice(0, 100))), 'r.json')
    expect(JSON.parse(small.results)).toHaveLength(100)
  })

  it('reports submitted jobs without a verdict on scores in wait: none', () => {
    const report = decide(input([outcome(1), outcome(2)], [], { waitMode: 'none' }))
    expect(report.verdict).toBe('submitted')
    expect(report.items.map(u => u.state)).toEqual(['submitted', 'submitted'])
    expect(gateOutputs(report, 'r.json')).toMatchObject({ passed: 'false', evaluated: '0', 'min-score': '' })
  })
})

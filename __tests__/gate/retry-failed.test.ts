import { describe, expect, it } from '@jest/globals'
import { memoryLog } from '../../src/gate/log.js'
import {
  mergeRetry,
  retryItem,
  retryTransientFailures,
  timeForAnotherJob,
  transientFailures
} from '../../src/gate/retry-failed.js'
import { type ItemOutcome, itemName } from '../../src/model/index.js'
import type { EvaluationResult } from '../../src/pique/results.js'
import { TransientErrors } from '../../src/pique/transient-errors.js'

const item = (n: number, jobId?: string): ItemOutcome => ({
  kind: 'url',
  url: `https://v.example/${n}`,
  source: { file: 'urls.txt', line: n },
  state: 'submitted',
  jobId,
  batchId: 'b1',
  submittedAt: '2026-01-01T00:00:00.000Z'
})
const failed = (jobId: string, error: string): EvaluationResult => ({
  event: 'evaluation.failed',
  jobId,
  status: 'failed',
  outcome: 'failed',
  error,
  detectorResults: []
})
const scored = (jobId: string, overallScore: number): EvaluationResult => ({
  event: 'evaluation.completed',
  jobId,
  status: 'completed',
  outcome: 'completed',
  overallScore,
  detectorResults: []
})
const rule = { threshold: 0.7, retryFailed: 1, transient: new TransientErrors() }

describe('retry-failed', () => {
  it('picks failed evaluations whose error is transient, with attempts left', () => {
    const outcomes = [item(1, 'j1'), item(2, 'j2'), item(3, 'j3'), item(4, 'j4')]
    const results = new Map([
      ['j1', failed('j1', 'Failed to download video: bot detection')],
      ['j2', failed('j2', 'Failed to download video: this video is private')],
      ['j3', scored('j3', 0.2)]
    ])
    expect(transientFailures(outcomes, results, rule).map(p => [itemName(p.outcome), p.why])).toEqual([
      ['https://v.example/1', 'bot detection']
    ])
    const retriedOnce = { ...outcomes[0], otherJobs: [{ jobId: 'j0', state: 'failed' as const }] }
    expect(transientFailures([retriedOnce], results, rule)).toEqual([])
    expect(transientFailures([retriedOnce], results, { ...rule, retryFailed: 2 })).toHaveLength(1)
  })

  it('resubmits only when the time left covers the median job time', () => {
    const now = 1_000_000
    expect(timeForAnotherJob(now + 5_000, [], now)).toBe(true)
    expect(timeForAnotherJob(now + 5_000, [1_000, 4_000, 60_000], now)).toBe(true)
    expect(timeForAnotherJob(now + 5_000, [1_000, 40_000, 60_000], now)).toBe(false)
    expect(timeForAnotherJob(now, [], now)).toBe(false)
  })

  it('lets a finished retry decide, and keeps an earlier failure when the retry did not finish', () => {
    const first = item(1, 'j1')
    const results = new Map<string, EvaluationResult>([
      ['j1', failed('j1', 'timed out')],
      ['j2', scored('j2', 0.9)]
    ])
    const merged = mergeRetry(first, { ...item(1, 'j2'), batchId: 'b2' }, results, 0.7)
    expect(merged).toMatchObject({
      jobId: 'j2',
      batchId: 'b2',
      otherJobs: [{ jobId: 'j1', state: 'failed', error: 'timed out' }]
    })
    const unfinished = mergeRetry(first, item(1, 'j3'), results, 0.7)
    expect(unfinished).toMatchObject({ jobId: 'j1', otherJobs: [{ jobId: 'j3', state: 'pending' }] })
  })

  it('runs rounds of submit and wait, and says when there is no time for a retry', async () => {
    const results = new Map<string, EvaluationResult>([['j1', failed('j1', 'rate limit exceeded, try again')]])
    const log = memoryLog()
    const submitted: string[] = []
    const outcomes = await retryTransientFailures(
      [item(1, 'j1')],
      { ...rule, deadline: Date.now() + 10_000, log, results, tookMs: () => [] },
      {
        submit: async items => {
          submitted.push(...items.map(itemName))
          return items.map(i => ({ ...i, state: 'submitted' as const, jobId: 'j2', batchId: 'b2' }))
        },
        wait: async () => {
          results.set('j2', scored('j2', 0.95))
        }
      }
    )
    expect(submitted).toEqual(['https://v.example/1'])
    expect(outcomes[0]).toMatchObject({ jobId: 'j2', otherJobs: [{ jobId: 'j1' }] })
    expect(log.lines.join('\n')).toContain('Resubmitting 1 URL whose evaluation failed with a transient error')

    const late = memoryLog()
    await retryTransientFailures(
      [item(1, 'j1')],
      { ...rule, deadline: Date.now() + 1_000, log: late, results, tookMs: () => [60_000] },
      { submit: async () => Promise.reject(new Error('not called')), wait: async () => undefined }
    )
    expect(late.lines.join('\n')).toContain('too little time is left for a new job to finish')
  })

  it('retries a media file whose evaluation failed with a transient error, keeping what reuse attached', async () => {
    const clip: ItemOutcome = {
      kind: 'file',
      path: 'media/teaser.mp4',
      source: { file: 'media/teaser.mp4', line: 0 },
      size: 1234,
      sha256: 'ab'.repeat(32),
      contentType: 'video',
      mime: 'video/mp4',
      title: 'Teaser',
      identity: `sha256:${'ab'.repeat(32)}`,
      previous: { jobId: 'j0', score: 0.8, completedAt: '2025-12-31T00:00:00.000Z' },
      state: 'submitted',
      jobId: 'f1',
      submittedAt: '2026-01-01T00:00:00.000Z'
    }
    const results = new Map<string, EvaluationResult>([['f1', failed('f1', 'processing timed out, try again')]])
    expect(transientFailures([clip], results, rule).map(p => itemName(p.outcome))).toEqual(['media/teaser.mp4'])
    // The new job is asked for the same file and the same identity, with nothing of the failed job.
    expect(retryItem(clip)).toEqual({
      kind: 'file',
      path: 'media/teaser.mp4',
      source: { file: 'media/teaser.mp4', line: 0 },
      size: 1234,
      sha256: 'ab'.repeat(32),
      contentType: 'video',
      mime: 'video/mp4',
      title: 'Teaser',
      identity: `sha256:${'ab'.repeat(32)}`,
      previous: { jobId: 'j0', score: 0.8, completedAt: '2025-12-31T00:00:00.000Z' }
    })
    // A URL's new job keeps its identity too, so its result is remembered for reuse.
    const url = { ...item(1, 'j1'), identity: 'url:https://v.example/1' }
    expect(retryItem(url)).toEqual({
      kind: 'url',
      url: 'https://v.example/1',
      source: url.source,
      identity: url.identity
    })
    const log = memoryLog()
    const outcomes = await retryTransientFailures(
      [clip],
      { ...rule, deadline: Date.now() + 10_000, log, results, tookMs: () => [] },
      {
        submit: async items => items.map(i => ({ ...i, state: 'submitted' as const, jobId: 'f2' })),
        wait: async () => {
          results.set('f2', scored('f2', 0.9))
        }
      }
    )
    expect(outcomes[0]).toMatchObject({ jobId: 'f2', identity: clip.identity, otherJobs: [{ jobId: 'f1' }] })
    expect(log.lines.join('\n')).toContain('Resubmitting 1 file whose evaluation failed with a transient error')
  })
})

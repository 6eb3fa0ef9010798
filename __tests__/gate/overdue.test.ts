import { describe, expect, it } from '@jest/globals'
import type { ItemOutcome } from '../../src/model/index.js'
import { LookupSchedule, OVERDUE_RULES, submittedJobs } from '../../src/gate/overdue.js'

describe('when a job is overdue (store mode)', () => {
  const jobs = new Map([
    ['a1', { batchId: 'A', submittedAt: 0 }],
    ['a2', { batchId: 'A', submittedAt: 0 }],
    ['b1', { batchId: 'B', submittedAt: 1_000 }],
    ['b2', { batchId: 'B', submittedAt: 1_000 }]
  ])

  it('is late against its batch-mates (1.5x the slowest), never sooner than the floor', () => {
    const finished = new Map([['a1', 20_000]])
    const s = new LookupSchedule(jobs, finished, OVERDUE_RULES, 0)
    expect(s.overdueAt('a2')).toBe(30_000)
    // No mate of B finished: the run's finished jobs are the measure.
    expect(s.overdueAt('b2')).toBe(31_000)
    const fast = new LookupSchedule(jobs, new Map([['a1', 1_000]]), OVERDUE_RULES, 0)
    expect(fast.overdueAt('a2')).toBe(5_000)
  })

  it('falls back to the quiet period when nothing finished, and spaces repeated lookups', () => {
    const s = new LookupSchedule(jobs, new Map(), OVERDUE_RULES, 0)
    expect(s.overdueAt('a1')).toBe(120_000)
    expect(s.due(['a1', 'a2'], 119_999)).toEqual([])
    expect(s.due(['a1', 'a2'], 120_000)).toEqual(['a1', 'a2'])
    s.lookedUp('a1', 120_000)
    expect(s.dueAt('a1')).toBe(125_000)
    s.lookedUp('a1', 125_000)
    expect(s.dueAt('a1')).toBe(135_000)
    expect(s.nextDue(['a1', 'a2'])).toBe(120_000)
  })

  it('follows jobs that finish after the schedule was made, with the slowest mate deciding', () => {
    const finished = new Map<string, number>()
    const s = new LookupSchedule(jobs, finished, OVERDUE_RULES, 0)
    expect(s.overdueAt('a2')).toBe(120_000)
    finished.set('a1', 8_000)
    expect(s.overdueAt('a2')).toBe(12_000)
    expect(s.overdueAt('b2')).toBe(13_000)
    finished.set('b1', 11_000) // B's own mate now decides, whatever A did
    expect(s.overdueAt('b2')).toBe(16_000)
    finished.set('x9', 1_000_000) // not one of this wait's jobs: ignored
    expect(s.slowest()).toEqual({
      byBatch: new Map([
        ['A', 8_000],
        ['B', 10_000]
      ]),
      any: 10_000
    })
    expect(s.due(['a2', 'b2'], 15_000)).toEqual(['a2'])
    expect(s.due(['b2', 'a2'], 16_000)).toEqual(['a2', 'b2'])
  })

  it("measures a media file's job, which has no batch, against the run's finished jobs", () => {
    const at = (ms: number) => new Date(ms).toISOString()
    const outcomes: ItemOutcome[] = [
      {
        kind: 'url',
        url: 'https://a.example/1',
        source: { file: 'u.txt', line: 1 },
        state: 'submitted',
        jobId: 'u1',
        batchId: 'B',
        submittedAt: at(0)
      },
      {
        kind: 'file',
        path: 'clips/a.mp4',
        source: { file: 'media.yml', line: 1 },
        size: 1,
        sha256: 'ab'.repeat(32),
        contentType: 'video',
        mime: 'video/mp4',
        state: 'submitted',
        jobId: 'f1',
        submittedAt: at(2_000)
      }
    ]
    const jobs = submittedJobs(outcomes)
    expect([...jobs.keys()]).toEqual(['u1', 'f1'])
    const s = new LookupSchedule(jobs, new Map([['u1', 8_000]]), OVERDUE_RULES, 0)
    // Its webhook lost, the file's job is looked up once it took 1.5 times the slowest finished job (8 s): at 14 s,
    // not after two quiet minutes.
    expect(s.overdueAt('f1')).toBe(14_000)
    expect(s.due(['f1'], 14_000)).toEqual(['f1'])
  })
})

import { describe, expect, it } from '@jest/globals'
import { memoryLog } from '../../src/gate/log.js'
import { JobTracker } from '../../src/gate/tracker.js'
import { lookupMargin, waitForResults } from '../../src/gate/wait.js'
import { pollOrder, rateLimitWait } from '../../src/gate/wait-api.js'
import type { StoreReader } from '../../src/gate/wait-store.js'
import { serializeResult } from '../../src/pique/results.js'
import type { QueryResponse } from '../../src/store/protocol.js'
import { PiqueApiError } from '../../src/pique/errors.js'
import { FakeApi } from './fake-api.js'

async function submitted(api: FakeApi, outcomes: Parameters<FakeApi['outcomes']['set']>[1][]): Promise<string[]> {
  const urls = outcomes.map((_, i) => `https://v.example/${i}`)
  outcomes.forEach((o, i) => api.outcomes.set(urls[i], o))
  const reply = await api.submitSocialMedia({ judge_id: 'j', video_urls: urls })
  return reply.jobs.map(j => j.job_id as string)
}

const base = (timeoutMs: number) => ({
  deadline: Date.now() + timeoutMs,
  timeoutMs,
  pollIntervalMs: 5,
  concurrency: 2,
  log: memoryLog()
})
/** The score of a job the tracker counts as finished; undefined while it is still pending. */
const finishedScore = (tracker: JobTracker, jobId: string) =>
  tracker.isPending(jobId) ? undefined : tracker.latest.get(jobId)?.overallScore

describe('api mode', () => {
  it('polls only pending jobs until each one finishes', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [
      { score: 0.9 },
      { score: 0.4, pendingPolls: 3 },
      { fail: 'Failed to process video', pendingPolls: 1 }
    ])
    const tracker = new JobTracker(ids, 0.7)
    const options = base(5000)
    const { timedOut } = await waitForResults('api', { api }, tracker, options)
    expect(timedOut).toBe(false)
    expect(tracker.done).toBe(3)
    expect(tracker.failing()).toBe(2)
    // Each job is polled until done and never again: 1 + 4 + 2.
    expect(api.resultCalls.filter(id => id === ids[0])).toHaveLength(1)
    expect(api.resultCalls.filter(id => id === ids[1])).toHaveLength(4)
    expect(api.resultCalls.filter(id => id === ids[2])).toHaveLength(2)
    expect(options.log.lines.at(-1)).toMatch(/^Progress: 3\/3 done, 2 failing so far, \d+s left$/)
  })

  it('stops at the deadline with the unfinished jobs pending', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }, { never: true }])
    const tracker = new JobTracker(ids, 0.7)
    const started = Date.now()
    const { timedOut } = await waitForResults('api', { api }, tracker, base(150))
    expect(timedOut).toBe(true)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(tracker.pending()).toEqual([ids[1]])
    expect(finishedScore(tracker, ids[0])).toBe(0.9)
  })

  it('paces rounds by the rate-limit headers', () => {
    const now = 1_000_000
    expect(rateLimitWait(undefined, 10, now)).toBe(0)
    expect(rateLimitWait({ remaining: 50, resetAt: now + 30_000 }, 10, now)).toBe(0)
    expect(rateLimitWait({ remaining: 3, resetAt: now + 30_000 }, 10, now)).toBe(30_000)
    expect(pollOrder(['a', 'b', 'c', 'd'], 0, { remaining: 2 })).toEqual(['a', 'b'])
    expect(pollOrder(['a', 'b', 'c', 'd'], 2, { remaining: 2 })).toEqual(['c', 'd'])
    expect(pollOrder(['a', 'b', 'c', 'd'], 1, { remaining: 0 })).toEqual(['b'])
    expect(pollOrder(['a', 'b'], 5, undefined)).toEqual(['b', 'a'])
    // A quota from a window that has reset is stale: it no longer limits the round.
    expect(pollOrder(['a', 'b', 'c'], 0, { remaining: 0, resetAt: now - 1 }, now)).toEqual(['a', 'b', 'c'])
    expect(pollOrder(['a', 'b', 'c'], 0, { remaining: 1, resetAt: now + 1 }, now)).toEqual(['a'])
  })

  it('logs progress while waiting', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9, pendingPolls: 8 }])
    const options = base(5000)
    await waitForResults('api', { api }, new JobTracker(ids, 0.7), {
      ...options,
      pollIntervalMs: 10,
      progressEveryMs: 20
    })
    expect(options.log.lines.filter(l => l.startsWith('Progress: 0/1 done')).length).toBeGreaterThanOrEqual(1)
  })
})

/** A store that learns results from `deliver` (standing in for webhooks) and long-polls like the real one. */
class FakeStore implements StoreReader {
  private cursor = 0
  private readonly jobs = new Map<string, { seq: number; result: Record<string, unknown> }>()
  private wake?: () => void
  queries: { job_ids: string[]; after?: number; wait_seconds?: number }[] = []

  deliver(body: Record<string, unknown>): void {
    this.jobs.set(String(body.job_id), { seq: ++this.cursor, result: body })
    this.wake?.()
  }

  async query(req: { job_ids: string[]; wait_seconds?: number; after?: number }): Promise<QueryResponse> {
    this.queries.push(req)
    const changed = () => req.job_ids.some(id => (this.jobs.get(id)?.seq ?? 0) > (req.after ?? 0))
    if (!changed() && req.wait_seconds) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, req.wait_seconds! * 1000)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    const known = req.job_ids.filter(id => this.jobs.has(id))
    return {
      jobs: known.map(id => {
        const j = this.jobs.get(id)!
        return { job_id: id, status: j.result.status as 'completed', result: j.result, seq: j.seq, updated_at: '' }
      }),
      missing: req.job_ids.filter(id => !this.jobs.has(id)),
      cursor: this.cursor
    }
  }
}

describe('store mode', () => {
  it('long-polls all pending jobs at once with the cursor, and needs no results-endpoint calls', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }, { score: 0.2 }, { fail: 'Bot detection' }])
    const store = new FakeStore()
    const tracker = new JobTracker(ids, 0.7)
    ids.forEach((id, i) =>
      setTimeout(() => store.deliver(serializeResult(api.finalResult(id), 'webhook')), 20 * (i + 1))
    )
    const { timedOut } = await waitForResults('store', { api, store }, tracker, base(10_000))
    expect(timedOut).toBe(false)
    expect(tracker.done).toBe(3)
    expect(tracker.failing()).toBe(2)
    expect(api.resultCalls).toEqual([])
    expect(store.queries[0]).toMatchObject({ job_ids: ids, after: 0 })
    expect(store.queries.at(-1)!.job_ids.length).toBeLessThan(3)
    expect(store.queries.at(-1)!.after).toBeGreaterThan(0)
    expect(store.queries.length).toBeLessThanOrEqual(4)
  })

  it('looks a job whose webhook was lost up on the results endpoint once, near the deadline', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }, { score: 0.8 }])
    const store = new FakeStore()
    store.deliver(serializeResult(api.finalResult(ids[0]), 'webhook'))
    const tracker = new JobTracker(ids, 0.7)
    const options = base(500)
    const { timedOut } = await waitForResults('store', { api, store }, tracker, options)
    expect(timedOut).toBe(false)
    expect(api.resultCalls).toEqual([ids[1]])
    expect(finishedScore(tracker, ids[1])).toBe(0.8)
    expect(lookupMargin(500)).toBe(100)
    expect(lookupMargin(30 * 60_000)).toBe(30_000)
    expect(options.log.lines).toContain(
      '1 job has no result in the store near the deadline; looking them up on the results endpoint once'
    )
  })

  it('asks the results endpoint when no job has finished for a while, long before the deadline', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }, { score: 0.8 }, { never: true }])
    const store = new FakeStore()
    store.deliver(serializeResult(api.finalResult(ids[0]), 'webhook'))
    const tracker = new JobTracker(ids, 0.7)
    const options = { ...base(60_000), quietLookupMs: 100 }
    const waiting = waitForResults('store', { api, store }, tracker, options)
    // The lost webhook's job is found by the quiet lookup; the never-ending one keeps the wait going.
    await new Promise(r => setTimeout(r, 400))
    expect(finishedScore(tracker, ids[1])).toBe(0.8)
    expect(api.resultCalls.filter(id => id === ids[1])).toHaveLength(1)
    expect(api.resultCalls.filter(id => id === ids[0])).toHaveLength(0)
    expect(options.log.lines).toContain(
      '1 result found on the results endpoint (their webhooks did not reach the store)'
    )
    store.deliver(serializeResult({ ...api.finalResult(ids[1]), jobId: ids[2] }, 'webhook'))
    expect((await waiting).timedOut).toBe(false)
  })

  it('after the near-deadline lookup, still takes results the store receives until the deadline itself', async () => {
    const api = new FakeApi()
    // The results endpoint never has the second job; only its (late) webhook does.
    const ids = await submitted(api, [{ score: 0.9 }, { never: true }])
    const store = new FakeStore()
    store.deliver(serializeResult(api.finalResult(ids[0]), 'webhook'))
    const tracker = new JobTracker(ids, 0.7)
    const options = base(2000)
    // The lookup runs 400 ms before the deadline (a fifth of the budget); the webhook lands 200 ms before it.
    const late = setTimeout(() => store.deliver(serializeResult(api.finalResult(ids[1]), 'webhook')), 1800)
    try {
      const { timedOut } = await waitForResults('store', { api, store }, tracker, options)
      expect(timedOut).toBe(false)
      expect(finishedScore(tracker, ids[1])).toBe(0.9)
      expect(api.resultCalls).toEqual([ids[1]])
      expect(options.log.lines).toContain(
        '1 job has no result in the store near the deadline; looking them up on the results endpoint once'
      )
    } finally {
      clearTimeout(late)
    }
  })

  it('warns once about an unreadable stored result and finds the job on the results endpoint', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.8 }])
    // A store that does not long-poll and keeps returning a body that says nothing of the job's state.
    const store: StoreReader = {
      query: async () => ({
        jobs: [
          {
            job_id: ids[0],
            status: 'completed',
            result: { job_id: ids[0], overall_score: 0.3 },
            seq: 1,
            updated_at: ''
          }
        ],
        missing: [],
        cursor: 1
      })
    }
    const tracker = new JobTracker(ids, 0.7)
    // About three answers (a pause of 250 ms after each) before the lookup 160 ms before the deadline.
    const options = base(800)
    const { timedOut } = await waitForResults('store', { api, store }, tracker, options)
    expect(timedOut).toBe(false)
    expect(finishedScore(tracker, ids[0])).toBe(0.8)
    const warnings = options.log.lines.filter(l =>
      l.startsWith(`warning: The store holds an unreadable result for ${ids[0]}`)
    )
    expect(warnings).toHaveLength(1)
  })

  it('treats a stored delivery marked unrecognised as not final, says so once, and takes the final one', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.8 }])
    const queued = { event: 'evaluation.pending', job_id: ids[0], status: 'queued' }
    let answers = 0
    // A store that does not long-poll: three answers with the undocumented status, then the final result.
    const store: StoreReader = {
      query: async () => {
        answers++
        const final = answers > 3
        return {
          jobs: [
            {
              job_id: ids[0],
              status: final ? 'completed' : 'unrecognised',
              result: final ? serializeResult(api.finalResult(ids[0]), 'webhook') : queued,
              seq: final ? 2 : 1,
              updated_at: ''
            }
          ],
          missing: [],
          cursor: final ? 2 : 1
        }
      }
    }
    const options = base(10_000)
    const tracker = new JobTracker(ids, 0.7, n => options.log.warning(`${n.jobId}: ${n.note.message}`))
    expect((await waitForResults('store', { api, store }, tracker, options)).timedOut).toBe(false)
    expect(finishedScore(tracker, ids[0])).toBe(0.8)
    expect(api.resultCalls).toEqual([])
    expect(options.log.lines.filter(l => l.includes('undocumented'))).toEqual([
      `warning: ${ids[0]}: undocumented job status "queued": read as not finished yet, still waiting`
    ])
  })

  it('reads webhook bodies the docs do not show: undocumented status waits, a scoreless completion is an error', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ never: true }, { never: true }])
    // The store hands back what Pique sent: first an undocumented status for both jobs, then for the first a completed
    // body whose score is null, and for the second one whose event disagrees with its status.
    const bodies = [
      [
        { event: 'evaluation.pending', job_id: ids[0], status: 'queued' },
        { event: 'evaluation.pending', job_id: ids[1], status: 'queued' }
      ],
      [
        { event: 'evaluation.completed', job_id: ids[0], status: 'completed', overall_score: null },
        { event: 'evaluation.failed', job_id: ids[1], status: 'completed', overall_score: 0.75, results: [] }
      ]
    ]
    let answer = 0
    const store: StoreReader = {
      query: async () => {
        const round = bodies[Math.min(answer++, bodies.length - 1)]
        return {
          jobs: round.map((result, i) => ({
            job_id: ids[i],
            status: 'processing',
            result,
            seq: answer,
            updated_at: ''
          })),
          missing: [],
          cursor: answer
        }
      }
    }
    const options = base(3000)
    const tracker = new JobTracker(ids, 0.7, n => options.log.warning(`${n.jobId}: ${n.note.message}`))
    const { timedOut } = await waitForResults('store', { api, store }, tracker, options)
    expect(timedOut).toBe(false)
    expect(tracker.latest.get(ids[0])).toMatchObject({
      outcome: 'unusable',
      error: 'Pique reported the evaluation completed, but overall_score is null'
    })
    expect(tracker.latest.get(ids[1])).toMatchObject({ outcome: 'completed', overallScore: 0.75 })
    expect(tracker.failing()).toBe(1)
    expect(options.log.lines.filter(l => l.startsWith('warning: job_'))).toEqual([
      `warning: ${ids[0]}: undocumented job status "queued": read as not finished yet, still waiting`,
      `warning: ${ids[1]}: event "evaluation.failed" disagrees with status "completed": the status decides`
    ])
    expect(api.resultCalls).toEqual([])
  })

  it('keeps waiting through store outages and still fails only the jobs that are really unfinished', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }, { never: true }])
    let calls = 0
    const store: StoreReader = {
      query: async () => {
        calls++
        throw Object.assign(new Error('no answer from the store'), { status: 0 })
      }
    }
    const tracker = new JobTracker(ids, 0.7)
    const options = base(600)
    const { timedOut } = await waitForResults('store', { api, store }, tracker, options)
    expect(calls).toBeGreaterThanOrEqual(1)
    expect(timedOut).toBe(true)
    expect(tracker.pending()).toEqual([ids[1]])
    expect(options.log.lines.filter(l => l.startsWith('warning: The store did not answer'))).toHaveLength(1)
  })

  it('looks a job up as soon as it is overdue against its batch-mates, long before the quiet period or deadline', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }, { score: 0.8 }, { score: 0.7 }])
    const store = new FakeStore()
    const tracker = new JobTracker(ids, 0.7)
    const submittedAt = Date.now()
    const jobs = new Map(ids.map(id => [id, { batchId: 'b1', submittedAt }]))
    // Two mates report after ~60 ms; the third's webhook is lost.
    setTimeout(() => {
      store.deliver(serializeResult(api.finalResult(ids[0]), 'webhook'))
      store.deliver(serializeResult(api.finalResult(ids[1]), 'webhook'))
    }, 60)
    const options = { ...base(60_000), quietLookupMs: 60_000, jobs, overdue: { floorMs: 200 } }
    const { timedOut } = await waitForResults('store', { api, store }, tracker, options)
    const took = Date.now() - submittedAt
    expect(timedOut).toBe(false)
    // Overdue at max(floor 200 ms, 1.5 x ~60 ms): looked up once, promptly.
    expect(took).toBeGreaterThanOrEqual(190)
    expect(took).toBeLessThan(2_000)
    expect(api.resultCalls).toEqual([ids[2]])
    expect(finishedScore(tracker, ids[2])).toBe(0.7)
    expect(options.log.lines).toContain(
      '1 job overdue against the jobs that finished; looking it up on the results endpoint'
    )
  })

  it('looks an overdue job up again, spaced, while its lookup fails or it is still running', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }, { score: 0.6, pendingPolls: 1 }])
    const store = new FakeStore()
    store.deliver(serializeResult(api.finalResult(ids[0]), 'webhook'))
    const tracker = new JobTracker(ids, 0.7)
    const jobs = new Map(ids.map(id => [id, { batchId: 'b1', submittedAt: Date.now() }]))
    // The first lookup fails (503 after the client's retries), the second says processing, the third has it.
    const getResult = api.getResult.bind(api)
    let calls = 0
    api.getResult = async jobId => {
      if (++calls === 1)
        throw new PiqueApiError('get result: Pique answered 503', 503, 'GET', `/v1/evaluations/results/${jobId}`)
      return getResult(jobId)
    }
    const options = { ...base(60_000), quietLookupMs: 60_000, jobs, overdue: { floorMs: 100 } }
    const { timedOut } = await waitForResults('store', { api, store }, tracker, options)
    expect(timedOut).toBe(false)
    expect(calls).toBe(3)
    expect(finishedScore(tracker, ids[1])).toBe(0.6)
    expect(tracker.lookups.get(ids[1])).toMatchObject({ count: 3, failed: 1 })
    expect(options.log.lines.filter(l => l.includes('Could not read the result of'))).toHaveLength(1)
  })

  it('keeps a round of lookups within the rate-limit quota the API reported', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }, { score: 0.9 }, { score: 0.9 }, { score: 0.9 }])
    const store = new FakeStore()
    const tracker = new JobTracker(ids, 0.7)
    const jobs = new Map(ids.map(id => [id, { batchId: 'b1', submittedAt: Date.now() }]))
    store.deliver(serializeResult(api.finalResult(ids[0]), 'webhook'))
    let remaining = 1
    const getResult = api.getResult.bind(api)
    api.getResult = async jobId => {
      remaining = Math.max(0, remaining - 1)
      return getResult(jobId)
    }
    const resetAt = Date.now() + 400
    const rateLimit = () => ({ limit: 100, remaining: Date.now() >= resetAt ? 100 : remaining, resetAt })
    const options = { ...base(60_000), quietLookupMs: 60_000, jobs, overdue: { floorMs: 50 }, rateLimit }
    const started = Date.now()
    await waitForResults('store', { api, store }, tracker, options)
    // One lookup fits the quota at first; the other two wait for the reset.
    expect(api.resultCalls).toHaveLength(3)
    expect(Date.now() - started).toBeGreaterThanOrEqual(380)
  })

  it('stops at once when the store rejects the token', async () => {
    const api = new FakeApi()
    const ids = await submitted(api, [{ score: 0.9 }])
    const store: StoreReader = {
      query: async () =>
        Promise.reject(Object.assign(new Error('store answered 401 (check store-token)'), { status: 401 }))
    }
    await expect(waitForResults('store', { api, store }, new JobTracker(ids, 0.7), base(5000))).rejects.toThrow(
      'The store rejected the read token (store-token): store answered 401 (check store-token)'
    )
  })
})

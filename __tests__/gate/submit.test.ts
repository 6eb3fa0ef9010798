import { PiqueApiError } from '../../src/pique/errors.js'
import { describe, expect, it } from '@jest/globals'
import { chunk, forEachLimit } from '../../src/gate/concurrency.js'
import { memoryLog } from '../../src/gate/log.js'
import { type ItemOutcome, type UrlItem, itemName } from '../../src/model/index.js'
import { submitAll } from '../../src/gate/submit.js'
import { LIMITS } from '../../src/pique/limits.js'
import { FakeApi } from './fake-api.js'

const planned = (n: number): UrlItem[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'url',
    url: `https://v.example/${i + 1}`,
    source: { file: 'urls.txt', line: i + 2 }
  }))

describe('batching', () => {
  it('splits into chunks of at most the API maximum, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunk([], 20)).toEqual([])
    expect(() => chunk([1], 0)).toThrow(RangeError)
  })

  it('never runs more than the limit at once and stops after the first error', async () => {
    let inFlight = 0
    let peak = 0
    await forEachLimit(Array.from({ length: 10 }), 3, async () => {
      peak = Math.max(peak, ++inFlight)
      await new Promise(r => setTimeout(r, 5))
      inFlight--
    })
    expect(peak).toBe(3)
    const started: number[] = []
    await expect(
      forEachLimit([1, 2, 3, 4, 5], 1, async n => {
        started.push(n)
        if (n === 2) throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(started).toEqual([1, 2])
  })
})

describe('submitAll', () => {
  it('submits 45 URLs as 3 batches and keeps job, batch and source line with every URL', async () => {
    const api = new FakeApi()
    const registered: string[] = []
    const { outcomes, batchIds } = await submitAll(api, planned(45), {
      judgeId: 'j1',
      webhookUrl: 'https://store.example/v1/webhooks/pique',
      maxConcurrency: 2,
      log: memoryLog(),
      onBatch: async (batchId: string, o: ItemOutcome[]) => void registered.push(`${batchId}:${o.length}`)
    })
    expect(api.submits.map(s => s.video_urls.length)).toEqual([LIMITS.urlsPerBatch.max, LIMITS.urlsPerBatch.max, 5])
    expect(
      api.submits.every(s => s.judge_id === 'j1' && s.webhook_url === 'https://store.example/v1/webhooks/pique')
    ).toBe(true)
    expect(batchIds).toHaveLength(3)
    expect(registered.sort()).toEqual(batchIds.map((id, i) => `${id}:${i < 2 ? 20 : 5}`).sort())
    expect(outcomes.map(itemName)).toEqual(planned(45).map(p => p.url))
    expect(outcomes[44]).toMatchObject({
      state: 'submitted',
      batchId: batchIds[2],
      source: { file: 'urls.txt', line: 46 }
    })
    expect(new Set(outcomes.map(o => o.jobId)).size).toBe(45)
  })

  it('records jobs failed at submit and batches the API rejects, and carries on', async () => {
    const api = new FakeApi()
    const urls = planned(25)
    api.outcomes.set(urls[3].url, { failAtSubmit: 'Video download blocked (bot detection)' })
    api.rejectBatchWith = urls[22].url
    const log = memoryLog()
    const { outcomes, batchIds } = await submitAll(api, urls, { judgeId: 'j1', maxConcurrency: 1, log })
    expect(batchIds).toHaveLength(1)
    expect(api.submits[0].webhook_url).toBeUndefined()
    expect(outcomes[3]).toMatchObject({
      state: 'failed',
      error: 'Video download blocked (bot detection)',
      jobId: expect.any(String)
    })
    // Refused without naming a URL: the whole batch is not accepted, so its URLs were never evaluated.
    for (const o of outcomes.slice(20))
      expect(o).toMatchObject({
        state: 'not_evaluated',
        notEvaluated: { reason: 'not_accepted', detail: expect.stringMatching(/^its batch was not accepted: /) }
      })
    expect(log.lines.some(l => l.startsWith('warning: Batch 2/2 (5 URLs): submit failed'))).toBe(true)
  })

  it('sends a batch refused for particular URLs again without them; each refused URL keeps the reason, by URL', async () => {
    const api = new FakeApi()
    const urls = planned(5)
    const bad = new Map([
      [urls[1].url, 'video platform is not supported'],
      [urls[3].url, 'video is private']
    ])
    const submit = api.submitSocialMedia.bind(api)
    api.submitSocialMedia = async body => {
      const problems = body.video_urls.flatMap((u, i) => (bad.has(u) ? [`video_urls[${i}]: ${bad.get(u)}`] : []))
      if (problems.length)
        throw new PiqueApiError('refused', 422, 'POST', '/v1/evaluations/social-media', problems.join('; '))
      return submit(body)
    }
    const log = memoryLog()
    const { outcomes, batchIds } = await submitAll(api, urls, { judgeId: 'j1', maxConcurrency: 1, log })
    expect(batchIds).toHaveLength(1)
    expect(api.submits[0].video_urls).toEqual([urls[0].url, urls[2].url, urls[4].url])
    expect(outcomes.map(o => o.state)).toEqual([
      'submitted',
      'not_evaluated',
      'submitted',
      'not_evaluated',
      'submitted'
    ])
    expect(outcomes[1].notEvaluated).toEqual({
      reason: 'refused',
      detail: `Pique refused ${urls[1].url}: video platform is not supported`
    })
    expect(outcomes[3].error).toBe(`Pique refused ${urls[3].url}: video is private`)
    expect(JSON.stringify(outcomes)).not.toContain('video_urls[')
  })

  it('stops at a bad key instead of failing every URL', async () => {
    const api = new FakeApi()
    api.failWith = 401
    await expect(
      submitAll(api, planned(45), { judgeId: 'j1', maxConcurrency: 1, log: memoryLog() })
    ).rejects.toMatchObject({ status: 401 })
  })
})

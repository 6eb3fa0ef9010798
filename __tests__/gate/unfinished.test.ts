import { describe, expect, it } from '@jest/globals'
import { whyUnfinished } from '../../src/gate/unfinished.js'
import type { ItemOutcome } from '../../src/model/index.js'
import type { EvaluationResult } from '../../src/pique/results.js'

const o: ItemOutcome = {
  kind: 'url',
  url: 'https://v.example/1',
  source: { file: 'u.txt', line: 1 },
  state: 'submitted',
  jobId: 'job_1'
}
const processing: EvaluationResult = {
  event: 'evaluation.pending',
  jobId: 'job_1',
  status: 'processing',
  outcome: 'running',
  detectorResults: []
}
const at = Date.parse('2026-01-01T10:02:29Z')

describe('why an unfinished job never finished in the gate’s eyes', () => {
  it('still processing, when the last read said so', () => {
    expect(whyUnfinished(o, processing, { count: 3, failed: 0, lastAt: at, lastOkAt: at }, 'api')).toEqual({
      reason: 'still_processing',
      detail: 'still processing at Pique at the deadline (job job_1, last looked up at 10:02:29)'
    })
    // A lookup the deadline cut after that changes nothing.
    const cut = { count: 4, failed: 1, lastAt: at, lastOkAt: at - 5000, stoppedByDeadline: true, lastError: 'cut' }
    expect(whyUnfinished(o, processing, cut, 'api').reason).toBe('still_processing')
  })

  it('its result never reached the gate, when the last lookup failed, saying why it stopped', () => {
    const note = { count: 2, failed: 2, lastAt: at, lastError: 'get result: Pique answered 503' }
    expect(whyUnfinished(o, undefined, note, 'store')).toEqual({
      reason: 'result_not_received',
      detail:
        'its result never reached the gate: no webhook reached the store, and the last of its 2 lookups failed at 10:02:29: get result: Pique answered 503; job job_1 may well have finished at Pique.'
    })
    expect(whyUnfinished(o, undefined, undefined, 'store').detail).toBe(
      'its result never reached the gate: no webhook reached the store, and the deadline came before it was looked up (job job_1)'
    )
  })
})

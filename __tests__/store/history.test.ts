// The results lookup's answer is written with each stored body spliced in as text (no parse and re-stringify of
// 1.6 MB per run); it must say exactly what the parsed answer says, for every kind of stored row.
import { describe, expect, it } from '@jest/globals'
import { MAX_JSON_DEPTH, exceedsDepth, servableBody } from '../../src/store/body.js'
import { type HistoryRow, answerLookup, answerLookupJson } from '../../src/store/db/history.js'
import { ResultBodyCache } from '../../src/store/result-bodies.js'

const now = new Date('2026-12-01T12:00:00.000Z')
const body = (score: number, extra = '') =>
  `{"event":"evaluation.completed","job_id":"j","status":"completed","overall_score":${score},"detector_results":[{"name":"a \\"quoted\\" \\u2028 line","score":${score}}]${extra}}`

/** The bodies as stored, by job id: what the backends read. */
const stored = new Map<string, string | null>()

function row(
  identity: string,
  jobId: string,
  minutesAgo: number,
  result: string | null,
  rn: number,
  over: Partial<HistoryRow> = {}
): HistoryRow {
  stored.set(jobId, result)
  return {
    identity,
    job_id: jobId,
    updated_at: new Date(now.getTime() - minutesAgo * 60_000).toISOString(),
    url: `https://www.tiktok.com/@a/video/${identity}`,
    repository: 'org/repo',
    commit_sha: 'abc',
    ref: 'refs/heads/feature',
    rn,
    on_base: 0,
    ...over
  }
}

const deep = '{"a":' + '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1) + '}'

const rows: HistoryRow[] = [
  row('fresh', 'j1', 5, body(0.8), 1),
  row('fresh', 'j0', 60, body(0.9), 2),
  row('stale', 'j2', 60 * 24 * 30, body(0.5), 1),
  row('bom', 'j3', 1, '\ufeff' + body(0.7), 1),
  row('array', 'j4', 1, '[1,2]', 1),
  row('array', 'j5', 10, body(0.6), 2),
  row('deep', 'j6', 1, deep, 1),
  row('null', 'j7', 1, null, 1),
  row('based', 'j8', 2, body(0.4), 1, { ref: null, commit_sha: null }),
  row('based', 'j9', 30, body(0.45, ',"x":{}'), 3, { on_base: 1, ref: 'refs/heads/main' }),
  row('based', 'j10', 40, body(0.3), 4, { on_base: true, ref: 'refs/heads/main' }),
  // A row edited by hand or restored by another tool: not JSON. It counts as no result; the answer stays JSON.
  row('corrupt', 'j11', 1, '{"event":"evaluation.completed","overall_score":0.9', 1),
  row('corrupt', 'j12', 20, body(0.55), 2)
]

describe('results lookup answer', () => {
  it.each([
    ['reuse on', 7 * 86_400],
    ['history only', 0]
  ])('written with spliced bodies says what the parsed answer says (%s)', (_what, maxAge) => {
    const req = {
      judge_fingerprint: 'fp',
      identities: ['fresh', 'stale', 'bom', 'array', 'deep', 'null', 'based', 'never', 'fresh', 'corrupt'],
      max_age_seconds: maxAge,
      base: { repository: 'org/repo', ref: 'refs/heads/main' }
    }
    const bodies = new Map([...stored].map(([id, body]) => [id, servableBody(body) ?? null]))
    const text = answerLookupJson(req, rows, bodies, now).join('')
    const parsed = answerLookup(req, rows, bodies, now)
    expect(JSON.parse(text)).toEqual(parsed)
    // Each identity once, in request order; a body kept with a BOM is served without it.
    expect(parsed.items.map(i => i.identity)).toEqual([
      'fresh',
      'stale',
      'bom',
      'array',
      'deep',
      'null',
      'based',
      'corrupt'
    ])
    const bom = parsed.items.find(i => i.identity === 'bom')
    expect((maxAge ? bom?.reusable : bom?.previous)?.result.overall_score).toBe(0.7)
    // Bodies that cannot be served count as no result: an array, a body nested past the limit, none.
    expect(parsed.items.find(i => i.identity === 'array')).toMatchObject({ reusable: null, previous: null })
    expect(parsed.items.find(i => i.identity === 'deep')).toMatchObject({ reusable: null, previous: null })
    expect(parsed.items.find(i => i.identity === 'corrupt')).toMatchObject({ reusable: null, previous: null })
    expect(parsed.items.find(i => i.identity === 'based')?.base?.job_id).toBe('j9')
  })

  it('written in parts is whole JSON when nothing was found', () => {
    const req = { judge_fingerprint: 'fp', identities: ['never'], max_age_seconds: 60 }
    expect(JSON.parse(answerLookupJson(req, rows, new Map(), now).join(''))).toEqual({
      items: [],
      now: now.toISOString()
    })
  })

  it('counts nesting only where it can exceed the limit', () => {
    expect(exceedsDepth(deep, MAX_JSON_DEPTH)).toBe(true)
    expect(exceedsDepth('[' + '{}'.repeat(200) + ']', MAX_JSON_DEPTH)).toBe(false)
    expect(exceedsDepth(`{"s":"${'['.repeat(100)}"}`, MAX_JSON_DEPTH)).toBe(false)
    expect(exceedsDepth('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false)
  })

  it('counts a body kept by two lookups that missed it at once only once', async () => {
    let release = () => {}
    const gate = new Promise<void>(resolve => (release = resolve))
    let reads = 0
    const cache = new ResultBodyCache(
      async ids => {
        reads++
        await gate
        return new Map(ids.map(id => [id, body(0.8)]))
      },
      3 * body(0.8).length
    )
    // Round after round of the same job asked twice at once: the cache must still hold three bodies at the end.
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      const both = Promise.all([cache.bodies([id]), cache.bodies([id])])
      release()
      await both
    }
    const before = reads
    await cache.bodies(['c', 'd', 'e'])
    expect(reads).toBe(before)
  })

  it('reads each body from the database once, and keeps no more than its bound', async () => {
    const reads: string[][] = []
    const cache = new ResultBodyCache(
      async ids => {
        reads.push(ids)
        return new Map(ids.map(id => [id, stored.get(id) ?? null]))
      },
      2 * body(0.8).length
    )
    expect((await cache.bodies(['j1', 'j3', 'j4', 'j1'])).get('j3')).toBe(body(0.7)) // the BOM dropped
    expect(reads).toEqual([['j1', 'j3', 'j4']])
    const again = await cache.bodies(['j3', 'j4'])
    expect(again.get('j4')).toBeNull() // an array body is kept as "none", not read again
    expect(reads).toHaveLength(1)
    // Three bodies do not fit in two bodies' room: the least recently asked (j1) went first.
    await cache.bodies(['j0'])
    await cache.bodies(['j3', 'j1'])
    expect(reads).toEqual([['j1', 'j3', 'j4'], ['j0'], ['j1']])
  })
})

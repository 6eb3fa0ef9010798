/**
 * timeout-minutes holds against a flaky API: the gate passes its deadline to every Pique call, so the client's own
 * retry budget (120 s by default) cannot carry a run past it. A loopback Pique whose results endpoint keeps answering
 * 503 with Retry-After: 5 would otherwise hold each lookup for seconds past the deadline.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { mapInputs, readSettings } from '../../src/config/settings.js'
import { memoryLog } from '../../src/gate/log.js'
import { runGate } from '../../src/gate/run-gate.js'
import { PiqueClient } from '../../src/pique/client.js'
import { type ScriptedServer, judge, reply, scriptedServer, submitReply } from '../pique/client-server.js'
import { itemName } from '../../src/model/index.js'

const dir = mkdtempSync(join(tmpdir(), 'pique-gate-deadline-'))
let server: ScriptedServer | undefined
afterAll(async () => {
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

const URLS = ['https://v.example/a', 'https://v.example/b']
const JUDGE = judge(3)
const TIMEOUT_MS = 1_200

describe('the gate against an API that keeps answering 503', () => {
  it('ends near timeout-minutes with the unfinished URLs pending', async () => {
    writeFileSync(join(dir, 'urls.txt'), `${URLS.join('\n')}\n`)
    server = await scriptedServer((req, res) => {
      if (req.url === `/v1/judges/${JUDGE.id}`) return reply(200, JUDGE)(req, res)
      if (req.url === '/v1/evaluations/social-media') return reply(202, submitReply(URLS))(req, res)
      return reply(503, { detail: 'overloaded' }, { 'retry-after': '5' })(req, res)
    })
    const api = new PiqueClient({ baseUrl: server.url, apiKey: 'pk_test_deadline' })
    const settings = readSettings(
      mapInputs({
        'api-key': 'pk_test_deadline',
        'judge-id': JUDGE.id,
        urls: 'urls.txt',
        threshold: '0.7',
        wait: 'api',
        'poll-interval-seconds': '0.05',
        'timeout-minutes': String(TIMEOUT_MS / 60_000)
      })
    )
    const log = memoryLog()
    const started = Date.now()
    const report = await runGate(settings, { api, rateLimit: () => api.rateLimit, log, cwd: dir, env: {} })
    const took = Date.now() - started

    // Generous margin: without the deadline each lookup alone would wait out Retry-After (5 s), up to 5 attempts.
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 50)
    expect(took).toBeLessThan(TIMEOUT_MS + 2_000)
    expect(report.verdict).toBe('failed')
    expect(report.reason).toBe('2 unfinished at the deadline (timeout-minutes)')
    expect(report.items.map(u => [itemName(u), u.state])).toEqual(URLS.map(u => [u, 'pending']))
    expect(server.requests.filter(r => r.url.startsWith('/v1/evaluations/results/')).length).toBeGreaterThan(0)
    for (const r of server.requests) expect(r.at).toBeLessThan(started + TIMEOUT_MS + 100)
  })
})

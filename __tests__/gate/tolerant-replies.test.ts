/**
 * The gate against a Pique that answers like a real service drifting from its docs: the real client, a scripted
 * loopback server, the exact replies. Every tolerance ends in a verdict the docs' rules give, never in a crash or
 * a silent wait, and what differed is said once and kept in the report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { itemName } from '../../src/model/index.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { mapInputs, readSettings } from '../../src/config/settings.js'
import { memoryLog } from '../../src/gate/log.js'
import { runGate } from '../../src/gate/run-gate.js'
import { PiqueClient } from '../../src/pique/client.js'
import { FAST_RETRY, type ScriptedServer, reply, scriptedServer } from '../pique/client-server.js'

const dir = mkdtempSync(join(tmpdir(), 'pique-gate-tolerant-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let server: ScriptedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const DETECTORS = [{ detector_name: 'video_specs', config: { min_width: 720 } }]
writeFileSync(
  join(dir, 'judge.json'),
  JSON.stringify({ name: 'Launch', description: 'Vertical clips', content_type: 'video', detectors: DETECTORS })
)
const URLS = ['https://v.example/queued', 'https://v.example/private', 'https://v.example/null', 'https://v.example/ok']
writeFileSync(join(dir, 'urls.txt'), `${URLS.join('\n')}\n`)
const JOB = (i: number) => `job_tolerant000000${i}`

/** The same judge as the file, as a list entry, with `extra` over it. */
const listed = (id: string, extra: Record<string, unknown>) => ({
  id,
  name: 'Launch',
  description: 'Vertical clips',
  content_type: 'video',
  status: 'ready',
  detector_configs: DETECTORS.map((d, i) => ({ id: `${id}-d${i}`, ...d, weight: 1 })),
  is_active: true,
  created_at: '2026-01-22T05:33:07.965372Z',
  ...extra
})

/** Results by job: the replies each poll gets, the last one repeating. */
const RESULTS: Record<string, unknown[]> = {
  // Undocumented status first, then a completed body whose event disagrees with its status.
  [JOB(0)]: [
    { event: 'evaluation.pending', job_id: JOB(0), status: 'queued', queue_position: 3 },
    { event: 'evaluation.failed', job_id: JOB(0), status: 'completed', overall_score: 0.9, detector_results: [] }
  ],
  // Completed without a usable score.
  [JOB(2)]: [{ event: 'evaluation.completed', job_id: JOB(2), status: 'completed', overall_score: null }],
  // An undocumented event while running, then the seed's completed form (no event) with extra fields.
  [JOB(3)]: [
    { event: 'evaluation.progress', job_id: JOB(3), status: 'processing', progress: 0.5 },
    { job_id: JOB(3), status: 'completed', overall_score: 0.8, results: [], model: 'v7', cost: { credits: 1 } }
  ]
}

function drifted(): Parameters<typeof scriptedServer>[0] {
  const polls = new Map<string, number>()
  return (req, res) => {
    const url = new URL(req.url, 'http://x')
    if (req.method === 'GET' && url.pathname === '/v1/judges')
      return reply(200, {
        judges: [
          // Identical to the file but in a status the docs do not show, with fields they do not show.
          listed('judge-archived', { status: 'archived', archived_at: '2026-02-01T00:00:00Z' }),
          // Identical but without a description: cannot be compared, so not reused.
          listed('judge-bare', { description: undefined }),
          // Another judge missing most optional fields: read, not reused.
          { id: 'judge-minimal', status: 'ready' }
        ],
        total: 3
        // no has_more: the client infers it from total
      })(req, res)
    if (req.method === 'POST' && url.pathname === '/v1/judges')
      return reply(201, { id: 'judge-new', status: 'ready', request_id: 'r1' })(req, res)
    if (req.method === 'GET' && url.pathname === '/v1/judges/judge-new') {
      // No updated_at, and a field the docs do not show.
      return reply(200, listed('judge-new', { organization_id: 'org_1' }))(req, res)
    }
    if (req.method === 'POST' && url.pathname === '/v1/evaluations/social-media')
      return reply(202, {
        batch_id: 'batch_tolerant00000001',
        jobs: [
          { job_id: JOB(0), url: URLS[0], status: 'queued', error_message: null, priority: 'low' },
          {
            job_id: JOB(1),
            url: URLS[1],
            status: 'failed',
            error_message: 'Video unavailable: this video is private'
          },
          { job_id: JOB(2), url: URLS[2], status: 'awaiting_upload' },
          { job_id: JOB(3), url: URLS[3], status: 'queued' }
        ],
        total_videos: 4
        // no webhook_id
      })(req, res)
    const job = url.pathname.split('/').pop() ?? ''
    const script = RESULTS[job]
    if (!script) return reply(404, { detail: 'Job not found' })(req, res)
    const n = polls.get(job) ?? 0
    polls.set(job, n + 1)
    return reply(200, script[Math.min(n, script.length - 1)])(req, res)
  }
}

describe('the gate against drifted replies (api mode)', () => {
  it('reads every reply, tracks every billed job, and decides by the rules', async () => {
    server = await scriptedServer(drifted())
    const log = memoryLog()
    const settings = readSettings(
      mapInputs({
        'api-key': 'pk_test_tolerant',
        'api-url': server.url,
        judge: 'judge.json',
        urls: 'urls.txt',
        threshold: '0.7',
        wait: 'api',
        'poll-interval-seconds': '0.01',
        'timeout-minutes': '0.5'
      })
    )
    const api = new PiqueClient({ baseUrl: server.url, apiKey: 'pk_test_tolerant', retry: FAST_RETRY })
    const report = await runGate(settings, { api, log, cwd: dir, env: {} })

    // Neither drifted judge was reused; a debug line says why for each.
    expect(report.judge).toMatchObject({ id: 'judge-new', origin: 'created' })
    expect(log.debugLines).toContain(
      'Judge judge-archived ("Launch") not reused: its listing has undocumented status "archived"'
    )
    expect(log.debugLines).toContain('Judge judge-bare ("Launch") not reused: its listing has no description')
    expect(log.debugLines).toContain(
      'Judge judge-minimal ("no name") not reused: its listing has no name, no description, no content_type, no detector_configs'
    )

    expect(report.items.map(u => [itemName(u), u.state, u.jobId, u.score ?? null, u.error ?? null])).toEqual([
      [URLS[0], 'passed', JOB(0), 0.9, null],
      [URLS[1], 'failed', JOB(1), null, 'Video unavailable: this video is private'],
      [URLS[2], 'failed', JOB(2), null, 'Pique reported the evaluation completed, but overall_score is null'],
      [URLS[3], 'passed', JOB(3), 0.8, null]
    ])
    expect(report.verdict).toBe('failed')
    expect(report.reason).toBe('2 evaluations failed')
    expect(report.batchIds).toEqual(['batch_tolerant00000001'])

    // Said once per value (the queued job was polled more than once, and two jobs were queued at submit).
    const said = (text: string) => log.lines.filter(l => l.includes(text))
    expect(said('the undocumented status "queued"')).toEqual([
      `warning: Pique's submit reply gave job ${JOB(0)} the undocumented status "queued"; it is tracked like any submitted job`
    ])
    expect(said('undocumented job status "queued"')).toHaveLength(1)
    expect(said('undocumented event "evaluation.progress"')).toHaveLength(1)
    // The report keeps what differed, naming the URL and its line.
    expect(report.warnings).toEqual([
      `Pique's reply for ${URLS[0]} (urls.txt:1, job ${JOB(0)}): undocumented job status "queued": read as not finished yet, still waiting`,
      `Pique's reply for ${URLS[3]} (urls.txt:4, job ${JOB(3)}): undocumented event "evaluation.progress": read as not finished yet, still waiting`,
      `Pique's reply for ${URLS[0]} (urls.txt:1, job ${JOB(0)}): event "evaluation.failed" disagrees with status "completed": the status decides`
    ])
  })
})

import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { PiqueClient, resolveBaseUrl } from '../../src/pique/client.js'
import { PiqueApiError, PiqueRequestError, PiqueResponseError } from '../../src/pique/errors.js'
import { HOSTS, LIMITS } from '../../src/pique/limits.js'
import { FAST_RETRY, type ScriptedServer, judge, reply, scriptedServer, submitReply } from './client-server.js'

const KEY = 'pk_test_client_7Hq2'
let server: ScriptedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const clientFor = (s: ScriptedServer, extra: Partial<ConstructorParameters<typeof PiqueClient>[0]> = {}) =>
  new PiqueClient({ baseUrl: s.url, apiKey: KEY, retry: FAST_RETRY, timeoutMs: 2_000, ...extra })

describe('PiqueClient endpoints', () => {
  it('sends X-API-Key, JSON and a pique-gate/<version> User-Agent to /v1 paths', async () => {
    server = await scriptedServer(reply(200, judge(1)))
    const got = await clientFor(server).getJudge('00000000-0000-4000-8000-000000000001')
    expect(got.name).toBe('judge 1')
    const [req] = server.requests
    expect(req.method).toBe('GET')
    expect(req.url).toBe('/v1/judges/00000000-0000-4000-8000-000000000001')
    expect(req.headers['x-api-key']).toBe(KEY)
    expect(req.headers.accept).toBe('application/json')
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version
    expect(req.headers['user-agent']).toMatch(new RegExp(`^pique-gate/${version.replace(/\./g, '\\.')}`))
  })

  it('accepts a base URL with a trailing /v1 or slash, and the names production/sandbox', async () => {
    server = await scriptedServer(reply(200, { judges: [], total: 0, has_more: false }))
    await new PiqueClient({ baseUrl: `${server.url}/v1/`, apiKey: KEY }).listJudges()
    expect(server.requests[0].url).toBe(`/v1/judges?limit=${LIMITS.listLimit.default}&offset=0`)
    expect(resolveBaseUrl('sandbox')).toBe(HOSTS.sandbox)
    expect(resolveBaseUrl('toString')).toBe('toString')
    expect(new PiqueClient({ baseUrl: 'production', apiKey: KEY }).origin).toBe(HOSTS.production)
    expect(() => new PiqueClient({ baseUrl: 'api.getpique.ai', apiKey: KEY })).toThrow(/not a URL/)
  })

  it('pages listAllJudges with limit=100 through has_more across 3 pages, in the order served', async () => {
    const all = Array.from({ length: 230 }, (_, i) => judge(230 - i)) // newest first
    server = await scriptedServer((req, res) => {
      const q = new URL(req.url, 'http://x').searchParams
      const limit = Number(q.get('limit'))
      const offset = Number(q.get('offset'))
      const page = all.slice(offset, offset + limit)
      reply(200, { judges: page, total: all.length, has_more: offset + page.length < all.length })(req, res)
    })
    const seen: string[] = []
    for await (const j of clientFor(server).listAllJudges({ content_type: 'video' })) seen.push(j.id)
    expect(seen).toEqual(all.map(j => j.id))
    expect(server.requests.map(r => r.url)).toEqual([
      '/v1/judges?limit=100&offset=0&content_type=video',
      '/v1/judges?limit=100&offset=100&content_type=video',
      '/v1/judges?limit=100&offset=200&content_type=video'
    ])
  })

  it('stops paging with a clear error when a page says has_more but is empty', async () => {
    server = await scriptedServer(reply(200, { judges: [], total: 5, has_more: true }))
    const iterate = async () => {
      for await (const _ of clientFor(server!).listAllJudges()) void _
    }
    await expect(iterate()).rejects.toThrow(/has_more at offset 0 but sent no judges/)
  })

  it('stops paging when the server ignores the offset (the same full page again), and skips judges repeated by a shift', async () => {
    server = await scriptedServer(reply(200, { judges: [judge(2), judge(1)], total: 5, has_more: true }))
    const seen: string[] = []
    const iterate = async () => {
      for await (const j of clientFor(server!).listAllJudges()) seen.push(j.id)
    }
    await expect(iterate()).rejects.toThrow(/has_more at offset 2 but sent only judges it had already sent/)
    expect(seen).toEqual([judge(2).id, judge(1).id])
    expect(server.requests).toHaveLength(2)

    // A judge created between two page reads pushes judge 2 from page 1 onto page 2: it is listed once.
    await server.close()
    server = await scriptedServer([
      reply(200, { judges: [judge(3), judge(2)], total: 3, has_more: true }),
      reply(200, { judges: [judge(2), judge(1)], total: 4, has_more: false })
    ])
    seen.length = 0
    await iterate()
    expect(seen).toEqual([judge(3).id, judge(2).id, judge(1).id])
  })

  it('creates a judge (any 2xx), submits a batch (202) and reads a result in the results-endpoint spelling', async () => {
    const urls = ['https://www.tiktok.com/@a/video/1', 'https://youtu.be/abc']
    server = await scriptedServer([
      reply(201, { id: 'judge-1', status: 'pending' }),
      reply(202, submitReply(urls)),
      reply(200, {
        event: 'evaluation.completed',
        job_id: 'job_xxxxxxxxxxxxxxx0',
        status: 'completed',
        overall_score: 0.85,
        detector_results: [{ detector_config_id: 'd-1', detector_name: 'video_specs', pass_check: true, score: 1 }]
      })
    ])
    const client = clientFor(server)
    const body = {
      name: 'Brand',
      description: 'Checks',
      content_type: 'video' as const,
      detectors: [{ detector_name: 'video_specs', config: { min_fps: 24 } }]
    }
    expect(await client.createJudge(body)).toMatchObject({ id: 'judge-1', status: 'pending' })
    const batch = await client.submitSocialMedia({ judge_id: 'judge-1', video_urls: urls })
    expect(batch.jobs.map(j => j.url)).toEqual(urls)
    const result = await client.getResult('job_xxxxxxxxxxxxxxx0')
    expect(result).toMatchObject({
      event: 'evaluation.completed',
      overallScore: 0.85,
      detectorResults: [{ id: 'd-1', detectorName: 'video_specs' }]
    })
    expect(server.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'POST /v1/judges',
      'POST /v1/evaluations/social-media',
      'GET /v1/evaluations/results/job_xxxxxxxxxxxxxxx0'
    ])
    expect(JSON.parse(server.requests[0].body)).toEqual(body)
    expect(server.requests[1].headers['content-type']).toBe('application/json')
  })

  it('requests reference content and a presigned upload', async () => {
    server = await scriptedServer([
      reply(200, { upload_url: 'https://storage.example/put', reference_content_uri: 'gs://bucket/ref.mp4' }),
      reply(200, {
        job_id: 'job_aaaaaaaaaaaaaaaa',
        upload_url: 'https://storage.example/put2',
        upload_headers: { 'Content-Type': 'video/mp4' },
        expires_at: '2026-01-01T00:00:00Z'
      })
    ])
    const client = clientFor(server)
    expect((await client.createReferenceContent('mp4')).reference_content_uri).toBe('gs://bucket/ref.mp4')
    const up = await client.createPresignedUpload({
      judge_id: 'j',
      content_type: 'video',
      filename: 'a.mp4',
      file_size_bytes: 10
    })
    expect(up.upload_headers).toEqual({ 'Content-Type': 'video/mp4' })
    expect(server.requests.map(r => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /v1/judges/reference_content {"file_extension":"mp4"}',
      'POST /v1/evaluations/presigned-upload {"judge_id":"j","content_type":"video","filename":"a.mp4","file_size_bytes":10}'
    ])
  })

  it('validates request bodies before sending anything', async () => {
    server = await scriptedServer(reply(500, {}))
    const client = clientFor(server)
    const tooMany = Array.from({ length: LIMITS.urlsPerBatch.max + 1 }, (_, i) => `https://x.example/${i}`)
    await expect(client.submitSocialMedia({ judge_id: 'j', video_urls: tooMany })).rejects.toThrow(
      `submit social-media batch: invalid request, not sent: video_urls: must have at most ${LIMITS.urlsPerBatch.max} items`
    )
    await expect(client.submitSocialMedia({ judge_id: 'j', video_urls: ['ftp://x/y'] })).rejects.toThrow(
      /video_urls\[0\]: expected an http or https URL, got ftp/
    )
    await expect(client.listJudges({ limit: LIMITS.listLimit.max + 1 })).rejects.toBeInstanceOf(PiqueRequestError)
    await expect(client.getJudge('')).rejects.toThrow('get judge: judge_id is empty, not sent')
    expect(server.requests).toHaveLength(0)
  })

  it('names the endpoint and the field when a success reply is malformed, and does not retry it', async () => {
    server = await scriptedServer([
      reply(200, [judge(1)]),
      reply(200, '<html>proxy</html>'),
      reply(202, { batch_id: 'b', jobs: 'nope', total_videos: 1 })
    ])
    const client = clientFor(server)
    const e1 = await client.getJudge('j1').catch(e => e)
    expect(e1).toBeInstanceOf(PiqueResponseError)
    expect(e1).toBeInstanceOf(PiqueApiError)
    expect(e1.message).toMatch(
      /^get judge: Pique answered 200 to GET \/v1\/judges\/j1 but the reply is not a judge: body: expected a mapping, got a list\./
    )
    await expect(client.listJudges()).rejects.toThrow(/list judges: .* not JSON \(starts "<html>proxy<\/html>"\)/)
    const e3 = await client.submitSocialMedia({ judge_id: 'j', video_urls: ['https://x.example/1'] }).catch(e => e)
    expect(e3.message).toMatch(
      /jobs: expected a list, got a string\. Note: the batch was accepted by Pique \(its jobs exist and are billed\); re-running submits the batch again\./
    )
    expect(e3.maybeAccepted).toBe(true)
    expect(server.requests).toHaveLength(3)
  })

  it('reads replies that differ from the docs instead of refusing them (each exact reply below)', async () => {
    const undocumentedJudge = { ...judge(1), status: 'archived', archived_by: 'ops' }
    const { description: _d, is_active: _a, ...bareJudge } = judge(2)
    server = await scriptedServer([
      // A page with an undocumented status, extra fields, missing optional fields, an entry without an id, and
      // neither total nor has_more.
      reply(200, { judges: [undocumentedJudge, bareJudge, { name: 'no id' }], next_cursor: 'abc' }),
      // A judge without its id: the path names it.
      reply(200, { name: 'judge 3', status: 'ready', detector_configs: [{ detector_name: 'video_specs' }] }),
      // A submit reply whose jobs carry an undocumented status, a failure, and no error_message or webhook_id.
      reply(202, {
        batch_id: 'batch_aB3cD4eF5gH6iJ7k',
        jobs: [
          { job_id: 'job_aaaaaaaaaaaaaaaa', url: 'https://x.example/1', status: 'queued' },
          {
            job_id: 'job_bbbbbbbbbbbbbbbb',
            url: 'https://x.example/2',
            status: 'failed',
            error_message: 'Private video'
          }
        ],
        total_videos: 2
      }),
      // A result without job_id and with an undocumented status.
      reply(200, { event: 'evaluation.pending', status: 'queued' })
    ])
    const client = clientFor(server)
    const page = await client.listJudges()
    expect(page.judges.map(j => [j.id, j.problems])).toEqual([
      [undocumentedJudge.id, ['undocumented status "archived"']],
      [bareJudge.id, ['no description']]
    ])
    expect(page.has_more).toBeUndefined()
    const fetched = await client.getJudge('judge-3')
    expect(fetched).toMatchObject({ id: 'judge-3', name: 'judge 3' })
    expect(fetched.problems).toEqual(['no description', 'no content_type', 'detector_configs[0] has no config'])
    const batch = await client.submitSocialMedia({
      judge_id: 'j',
      video_urls: ['https://x.example/1', 'https://x.example/2']
    })
    expect(batch.jobs.map(j => [j.job_id, j.status, j.error_message])).toEqual([
      ['job_aaaaaaaaaaaaaaaa', 'queued', undefined],
      ['job_bbbbbbbbbbbbbbbb', 'failed', 'Private video']
    ])
    const result = await client.getResult('job_aaaaaaaaaaaaaaaa')
    expect(result).toMatchObject({ jobId: 'job_aaaaaaaaaaaaaaaa', status: 'queued', outcome: 'running' })
  })

  it('keeps the key out of the client object itself', () => {
    const client = new PiqueClient({ baseUrl: 'sandbox', apiKey: KEY })
    expect(JSON.stringify(client)).not.toContain(KEY)
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(KEY)
    expect(client.options.apiKey).toBe('[redacted]')
  })
})

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { PiqueClient, type RetryInfo } from '../../src/pique/client.js'
import { PiqueApiError, PiqueNetworkError, PiqueRequestError } from '../../src/pique/errors.js'
import { FAST_RETRY, type ScriptedServer, type Step, closedPort, reply, scriptedServer } from './client-server.js'
// The client as the action connects it: its hints name the action's inputs.
import { ACTION_SURFACE, CLI_SURFACE } from '../../src/config/surface.js'

// A recognizable key, echoed back by the server wherever a careless service or proxy might echo it.
const KEY = 'pk_live_LEAKCANARY_9f8e7d6c'
const URLS = ['https://www.tiktok.com/@a/video/1']

/** Routes by path so one server can force every error path. */
const routes: Record<string, Step> = {
  '/v1/judges/unauthorized': reply(401, { detail: `Invalid API key ${KEY}` }),
  '/v1/judges/forbidden': reply(403, { detail: 'Insufficient permissions' }),
  '/v1/judges/missing': reply(404, { detail: 'Judge not found' }),
  [`/v1/judges/${KEY}`]: reply(404, { detail: 'Judge not found' }),
  '/v1/evaluations/results/job_unknown': reply(404, { detail: 'Job not found' }),
  '/v1/judges/broken': reply(500, `<html>Internal error for key ${KEY}</html>`),
  '/v1/judges/echo': reply(200, `{"id": "${KEY}"`),
  '/v1/judges/redirect': reply(302, '', { location: `https://elsewhere.example/login?key=${KEY}` }),
  '/v1/judges/reset': (_req, res) => void res.socket?.destroy(),
  '/v1/judges/slow': () => undefined
}
const onPost: Record<string, Step> = {
  '/v1/evaluations/social-media': (req, res) => {
    const body = JSON.parse(req.body)
    if (body.judge_id === 'validation') {
      return reply(422, {
        detail: [
          { loc: ['body', 'video_urls', 0], msg: 'invalid or missing URL scheme', type: 'value_error' },
          { loc: ['body', 'webhook_url'], msg: 'field required', type: 'missing' }
        ]
      })(req, res)
    }
    if (body.judge_id === 'image-judge') return reply(400, { detail: 'Judge content_type must be video' })(req, res)
    if (body.judge_id === 'hang') return undefined
    return reply(404, { detail: `Judge ${body.judge_id} not found` })(req, res)
  }
}

let server: ScriptedServer
let client: PiqueClient
/** Short timeout, only for the paths where the server never answers (a short one elsewhere is flaky on a busy machine). */
let impatient: PiqueClient
const retries: RetryInfo[] = []
beforeAll(async () => {
  server = await scriptedServer((req, res) =>
    ((req.method === 'POST' ? onPost : routes)[req.url.split('?')[0]] ?? reply(418, {}))(req, res)
  )
  client = new PiqueClient({
    baseUrl: server.url,
    apiKey: KEY,
    settingNames: ACTION_SURFACE.clientNames,
    retry: { ...FAST_RETRY, maxAttempts: 2 },
    timeoutMs: 5_000,
    onRetry: i => retries.push(i)
  })
  impatient = new PiqueClient({
    baseUrl: server.url,
    apiKey: KEY,
    settingNames: ACTION_SURFACE.clientNames,
    retry: { ...FAST_RETRY, maxAttempts: 2 },
    timeoutMs: 300,
    onRetry: i => retries.push(i)
  })
})
afterAll(() => server.close())

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: Error) => e
  )

describe('PiqueClient error messages', () => {
  it('401: the detail and a hint to check the api-key secret for this api-url', async () => {
    const err = (await fail(client.getJudge('unauthorized'))) as PiqueApiError
    expect(err).toBeInstanceOf(PiqueApiError)
    expect(err).toMatchObject({
      status: 401,
      method: 'GET',
      path: '/v1/judges/unauthorized',
      detail: 'Invalid API key [redacted]'
    })
    expect(err.message).toBe(
      `get judge: Pique answered 401 to GET /v1/judges/unauthorized: Invalid API key [redacted]. Check the api-key secret: Pique did not accept it as a key for ${server.url} (sandbox and production keys differ).`
    )
  })

  it("words its hints with the caller's names and says which setting they point at", async () => {
    // The CLI's flags instead of the workflow's inputs; the client itself names neither.
    const cli = new PiqueClient({
      baseUrl: server.url,
      apiKey: KEY,
      settingNames: CLI_SURFACE.clientNames,
      retry: { ...FAST_RETRY, maxAttempts: 2 }
    })
    const unauthorized = (await fail(cli.getJudge('unauthorized'))) as PiqueApiError
    expect(unauthorized.message).toContain(
      'Check the API key (--api-key or PIQUE_API_KEY): Pique did not accept it as a key for'
    )
    expect(unauthorized.setting).toBe('key')
    expect(((await fail(cli.getJudge('redirect'))) as PiqueApiError).setting).toBe('baseUrl')
    expect(((await fail(cli.getJudge('forbidden'))) as PiqueApiError).setting).toBeUndefined()
    const plain = new PiqueClient({ baseUrl: server.url, apiKey: KEY, retry: { ...FAST_RETRY, maxAttempts: 2 } })
    expect((await fail(plain.getJudge('unauthorized'))).message).toContain('Check the API key: Pique did not accept')
  })

  it('403: the key lacks permission', async () => {
    expect((await fail(client.getJudge('forbidden'))).message).toBe(
      'get judge: Pique answered 403 to GET /v1/judges/forbidden: Insufficient permissions. The API key lacks permission for this operation: use a key whose organization role allows it.'
    )
  })

  it('404 on a judge is an error (never a null judge): wrong id or another organization', async () => {
    const err = (await fail(client.getJudge('missing'))) as PiqueApiError
    expect(err.status).toBe(404)
    expect(err.message).toBe(
      'get judge: Pique answered 404 to GET /v1/judges/missing: Judge not found. No judge missing for this API key: wrong judge id, or a judge of another organization.'
    )
    expect((await fail(client.submitSocialMedia({ judge_id: 'gone', video_urls: URLS }))).message).toMatch(
      /Judge gone not found\. No judge gone for this API key: wrong judge id/
    )
  })

  it('404 on a result: unknown job id', async () => {
    expect((await fail(client.getResult('job_unknown'))).message).toBe(
      `get result: Pique answered 404 to GET /v1/evaluations/results/job_unknown: Job not found. Unknown job id job_unknown: it was not created with this API key's organization on ${server.url}.`
    )
  })

  it('422 FastAPI detail list and 400 detail string: the API reason, one line', async () => {
    const e422 = (await fail(client.submitSocialMedia({ judge_id: 'validation', video_urls: URLS }))) as PiqueApiError
    expect(e422.message).toBe(
      'submit social-media batch: Pique answered 422 to POST /v1/evaluations/social-media: video_urls[0]: invalid or missing URL scheme; webhook_url: field required. Pique rejected the request: fix what it names.'
    )
    expect(e422).toMatchObject({ status: 422, maybeAccepted: false })
    expect((await fail(client.submitSocialMedia({ judge_id: 'image-judge', video_urls: URLS }))).message).toBe(
      'submit social-media batch: Pique answered 400 to POST /v1/evaluations/social-media: Judge content_type must be video. Pique rejected the request: fix what it names.'
    )
  })

  it('5xx on a GET: retried, then a service error to retry later', async () => {
    const err = (await fail(client.getJudge('broken'))) as PiqueApiError
    expect(err.message).toMatch(
      /^get judge: Pique answered 500 to GET \/v1\/judges\/broken: <html>Internal error for key \[redacted\]<\/html>\. Pique service error: retry later\. \(gave up after 2 attempts in \d+m?s\)$/
    )
  })

  it('a redirect is not followed (the key stays home)', async () => {
    const before = server.requests.length
    const err = (await fail(client.getJudge('redirect'))) as PiqueApiError
    expect(err.status).toBe(302)
    expect(err.message).toContain(
      'Unexpected redirect to https://elsewhere.example/login?key=[redacted]: check the api-url'
    )
    expect(server.requests.length).toBe(before + 1)
  })

  it('every message is a single line', async () => {
    const errs = await Promise.all(
      ['unauthorized', 'forbidden', 'missing', 'broken', 'echo', 'reset'].map(id => fail(client.getJudge(id)))
    )
    for (const e of errs) expect(e.message).not.toMatch(/\n/)
  })

  it('never lets the API key out: messages, String(), JSON, stack, onRetry, on every error path', async () => {
    const refused = new PiqueClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      apiKey: KEY,
      retry: { ...FAST_RETRY, maxAttempts: 2 },
      onRetry: i => retries.push(i)
    })
    const errors = await Promise.all([
      fail(client.getJudge('unauthorized')),
      fail(client.getJudge('forbidden')),
      fail(client.getJudge('missing')),
      fail(client.getJudge(KEY)), // a key pasted where a judge id goes
      fail(client.getResult('job_unknown')),
      fail(client.getJudge('broken')),
      fail(client.getJudge('echo')),
      fail(client.getJudge('redirect')),
      fail(client.getJudge('reset')),
      fail(impatient.getJudge('slow')),
      fail(client.submitSocialMedia({ judge_id: 'validation', video_urls: URLS })),
      fail(impatient.submitSocialMedia({ judge_id: 'hang', video_urls: URLS })),
      fail(client.submitSocialMedia({ judge_id: KEY, video_urls: [`ftp://x/${KEY}`] })),
      fail(refused.listJudges()),
      fail(Promise.resolve().then(() => new PiqueClient({ baseUrl: `not a url ${KEY}`, apiKey: KEY })))
    ])
    const kinds = new Set(errors.map(e => e.constructor.name))
    expect([...kinds].sort()).toEqual(['PiqueApiError', 'PiqueNetworkError', 'PiqueRequestError', 'PiqueResponseError'])
    expect(
      errors
        .filter(e => e instanceof PiqueNetworkError)
        .map(e => (e as PiqueNetworkError).maybeAccepted)
        .sort()
    ).toEqual([false, false, false, true])
    expect(errors.some(e => e instanceof PiqueRequestError)).toBe(true)
    // String(error) is what a log shows: it starts with the class's own name, never a parent's.
    for (const e of errors) expect(String(e).startsWith(`${e.constructor.name}: `)).toBe(true)
    for (const e of errors.filter(e => !(e instanceof PiqueRequestError))) {
      expect(e).toMatchObject({ method: expect.stringMatching(/^(GET|POST)$/), path: expect.stringMatching(/^\/v1\//) })
    }
    for (const e of errors) {
      for (const text of [e.message, String(e), JSON.stringify(e), e.stack ?? '', JSON.stringify(Object.entries(e))])
        expect(text).not.toContain(KEY)
    }
    expect(JSON.stringify(retries)).not.toContain(KEY)
    expect(retries.length).toBeGreaterThan(0)
  })
})

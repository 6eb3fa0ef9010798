/**
 * A caller's deadline bounds one call, retries and waits included (the gate passes its timeout-minutes deadline):
 * the default retry budget (120 s) must not carry a run past it.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { PiqueClient, type RetryInfo } from '../../src/pique/client.js'
import { PiqueDeadlineError } from '../../src/pique/errors.js'
import { type ScriptedServer, hang, judge, reply, scriptedServer } from './client-server.js'
// The client as the action connects it: its hints name the action's inputs.
import { ACTION_SURFACE } from '../../src/config/surface.js'

const KEY = 'pk_test_deadline_Q7'
let server: ScriptedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** The default retry policy and timeout: what the gate runs with. */
function clientFor(baseUrl: string) {
  const retries: RetryInfo[] = []
  return {
    client: new PiqueClient({
      baseUrl,
      apiKey: KEY,
      settingNames: ACTION_SURFACE.clientNames,
      onRetry: i => retries.push(i)
    }),
    retries
  }
}

describe('PiqueClient with a deadline', () => {
  it('gives up at once when the server asks for a wait that ends past the deadline, saying the time ran out', async () => {
    server = await scriptedServer(reply(503, { detail: 'maintenance' }, { 'retry-after': '5' }))
    const { client, retries } = clientFor(server.url)
    const started = Date.now()
    const err = await client.getResult('job_1', { deadline: started + 300 }).catch(e => e)
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(err).toBeInstanceOf(PiqueDeadlineError)
    expect(err).toMatchObject({ attempts: 1, maybeAccepted: false })
    expect(err.message).toMatch(
      /^get result: the gate's time ran out \(timeout-minutes\) before GET \/v1\/evaluations\/results\/job_1 succeeded: the next retry would wait 5s \(set by the server\) with \d+ms left \(1 attempt in \d+ms, the last one got HTTP 503\)\.$/
    )
    expect(server.requests).toHaveLength(1)
    expect(retries).toEqual([])
  })

  it('retries with backoff while time is left, and never starts an attempt past the deadline', async () => {
    server = await scriptedServer(reply(500, { detail: 'boom' }))
    const client = new PiqueClient({
      baseUrl: server.url,
      apiKey: KEY,
      settingNames: ACTION_SURFACE.clientNames,
      retry: { maxAttempts: 100, baseDelayMs: 40, maxDelayMs: 40 }
    })
    const deadline = Date.now() + 400
    const err = await client.getJudge('j', { deadline }).catch(e => e)
    expect(err).toBeInstanceOf(PiqueDeadlineError)
    expect(Date.now()).toBeLessThan(deadline + 500)
    expect(server.requests.length).toBeGreaterThan(1)
    for (const r of server.requests) expect(r.at).toBeLessThan(deadline)
    expect(err.message).toContain('the last one got HTTP 500')
  })

  it('cuts a request in flight at the deadline; a cut submit says the batch may have been accepted', async () => {
    server = await scriptedServer(hang)
    const { client } = clientFor(server.url)
    const started = Date.now()
    const get = await client.getJudge('j', { deadline: started + 300 }).catch(e => e)
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(get).toBeInstanceOf(PiqueDeadlineError)
    expect(get.message).toMatch(
      /^get judge: the gate's time ran out \(timeout-minutes\) before GET \/v1\/judges\/j succeeded: no answer within the \d+ms that were left \(1 attempt/
    )

    const submit = await client
      .submitSocialMedia(
        { judge_id: 'j', video_urls: ['https://www.tiktok.com/@a/video/1'] },
        { deadline: Date.now() + 200 }
      )
      .catch(e => e)
    expect(submit).toMatchObject({ name: 'PiqueDeadlineError', maybeAccepted: true })
    expect(submit.message).toContain(
      'The batch may have been accepted by Pique (jobs may exist and be billed). It was not retried automatically'
    )
  })

  it('starts no attempt that could only be cut: with a few ms left a paid submit is not sent at all', async () => {
    server = await scriptedServer(reply(202, {}))
    const { client } = clientFor(server.url)
    const err = await client
      .submitSocialMedia(
        { judge_id: 'j', video_urls: ['https://www.youtube.com/shorts/abc'] },
        { deadline: Date.now() + 20 }
      )
      .catch(e => e)
    expect(err).toMatchObject({ name: 'PiqueDeadlineError', attempts: 0, maybeAccepted: false })
    expect(err.message).toMatch(/only \d+ ms were left, too little to send the request/)
    expect(server.requests).toHaveLength(0)
  })

  it('sends nothing once the deadline has passed, nor to wait for a rate-limit reset beyond it', async () => {
    server = await scriptedServer([
      reply(200, judge(1), { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5' }),
      reply(200, judge(1))
    ])
    const { client, retries } = clientFor(server.url)
    const late = await client.getJudge('j', { deadline: Date.now() - 1 }).catch(e => e)
    expect(late).toMatchObject({ name: 'PiqueDeadlineError', attempts: 0 })
    expect(late.message).toContain('succeeded: no time was left to send the request.')
    expect(server.requests).toHaveLength(0)

    expect((await client.getJudge('j')).id).toBe(judge(1).id)
    const held = await client.getJudge('j', { deadline: Date.now() + 300 }).catch(e => e)
    expect(held).toBeInstanceOf(PiqueDeadlineError)
    expect(held.message).toContain('succeeded: the rate limit resets only after the deadline.')
    expect(server.requests).toHaveLength(1)
    expect(retries).toEqual([])
  })

  it('pages listAllJudges under the same deadline', async () => {
    server = await scriptedServer(reply(503, { detail: 'down' }, { 'retry-after': '5' }))
    const { client } = clientFor(server.url)
    const pages = async () => {
      for await (const j of client.listAllJudges({}, { deadline: Date.now() + 300 })) void j
    }
    await expect(pages()).rejects.toThrow(PiqueDeadlineError)
  })
})

// The store client against a store that answers badly: what the gate is told must be one clear line, never a
// JSON parser's message or a retry loop on an answer that will not change.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { StoreClient, StoreError } from '../../src/store/client.js'

let server: Server
let url: string
let answer: { status: number; body: string } = { status: 200, body: '{}' }
let requests = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++
    req.resume()
    req.on('end', () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
})

describe('StoreClient', () => {
  const client = () => new StoreClient({ baseUrl: url, token: 'read-token-value', maxAttempts: 3 })

  it.each([
    ['an HTML page', '<html>proxy error</html>'],
    ['truncated JSON', '{"jobs": ['],
    ['the wrong shape', '{"jobs": "none"}']
  ])('reports a 200 answer that is %s as an unexpected answer, once', async (_what, body) => {
    answer = { status: 200, body }
    requests = 0
    const error = await client()
      .query({ job_ids: ['job_1'], wait_seconds: 0.25 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect((error as Error).message).toBe(`the store at ${url} sent an unexpected POST /v1/jobs/query answer`)
    expect(requests).toBe(1)
  })

  it('retries a 503 and says how many attempts it made, without the token', async () => {
    answer = { status: 503, body: '{"error":"starting"}' }
    requests = 0
    const error = (await client()
      .query({ job_ids: ['job_1'] })
      .catch((e: unknown) => e)) as Error
    expect(error.message).toBe('store POST /v1/jobs/query answered 503: starting after 3 attempts')
    expect(error.message).not.toContain('read-token-value')
    expect(requests).toBe(3)
  })
})

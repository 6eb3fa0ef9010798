/**
 * A scripted Pique stand-in on loopback for the client tests: each request is recorded (method, url,
 * headers, raw body) and answered by the next step of the script (the last step repeats).
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Recorded {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  at: number
}

export type Step = (req: Recorded, res: ServerResponse) => void | Promise<void>

export interface ScriptedServer {
  url: string
  requests: Recorded[]
  close(): Promise<void>
}

export async function scriptedServer(script: Step | Step[]): Promise<ScriptedServer> {
  const steps = Array.isArray(script) ? script : [script]
  const requests: Recorded[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const rec: Recorded = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
      at: Date.now()
    }
    requests.push(rec)
    await steps[Math.min(requests.length - 1, steps.length - 1)](rec, res)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

export const reply =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(typeof body === 'string' ? body : JSON.stringify(body))
  }

/** Never answers: the request is received (and recorded) and the connection left hanging. */
export const hang: Step = () => undefined

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

export const judge = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name: `judge ${n}`,
  description: 'a judge',
  content_type: 'video',
  status: 'ready',
  detector_configs: [{ id: `d-${n}`, detector_name: 'video_specs', config: {}, weight: 5 }],
  is_active: true,
  created_at: '2026-01-22T05:33:07.965372Z',
  ...extra
})

export const submitReply = (urls: string[]) => ({
  batch_id: 'batch_aB3cD4eF5gH6iJ7k',
  jobs: urls.map((url, i) => ({
    job_id: `job_${String(i).padStart(16, 'x')}`,
    url,
    status: 'awaiting_upload',
    error_message: null
  })),
  total_videos: urls.length,
  webhook_id: 'webhook_aB3cD4eF5gH6iJ7k'
})

/** Tiny delays so retry tests stay fast. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000 }

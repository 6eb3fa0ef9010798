/**
 * The load generator for bench/store-ingest.ts, run as a separate process so the store's process only serves:
 * `connections` keep-alive connections each send signed deliveries back to back for `seconds`, after a warm-up.
 * Prints one JSON line: { sent, ok, failed, seconds, latenciesMs[] } (latencies of the measured window only).
 */
import { Agent, request } from 'node:http'
import { randomBytes } from 'node:crypto'
import { signatureHeader } from '../src/pique/signature.js'

export interface LoadConfig {
  url: string
  secret: string
  connections: number
  warmupSeconds: number
  seconds: number
}

export interface LoadResult {
  /** Deliveries sent during the warm-up and at the edges of the window (not measured). */
  warmup: number
  ok: number
  failed: number
  seconds: number
  latenciesMs: number[]
}

const DETAILS = JSON.stringify([
  {
    criterion_id: 'crit_bench',
    detector_name: 'video_specs',
    pass_check: true,
    score: 1,
    rationale: 'Video specs meet requirements: 576x1024 (9:16), 30.0fps, 38.0s',
    metrics: {
      video_specs: {
        width: 576,
        height: 1024,
        aspect_ratio: '9:16',
        fps: 30,
        duration_sec: 38.03,
        audio_sample_rate: 44100
      }
    }
  }
])

/** A completed result body in the webhook spelling, about the size Pique sends for one detector (cheap to build). */
export function deliveryBody(jobId: string): string {
  return (
    `{"event":"evaluation.completed","evaluation_id":"ev_${jobId}","job_id":"${jobId}","content_id":"c_${jobId}",` +
    `"judge_id":"judge_bench","status":"completed","overall_score":0.85,"timestamp":"${new Date().toISOString()}","results":${DETAILS}}`
  )
}

export function postDelivery(agent: Agent, url: URL, secret: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-pique-signature': signatureHeader(secret, Date.now() / 1000, body)
        }
      },
      res => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}

export async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: config.connections })
  const url = new URL('/v1/webhooks/pique', config.url)
  const prefix = randomBytes(4).toString('hex')
  const start = performance.now()
  const measureFrom = start + config.warmupSeconds * 1000
  const end = measureFrom + config.seconds * 1000
  const latenciesMs: number[] = []
  let ok = 0
  let failed = 0
  let warmup = 0
  let n = 0
  const loop = async () => {
    while (performance.now() < end) {
      const body = deliveryBody(`job_${prefix}${(n++).toString(36)}`)
      const t0 = performance.now()
      const status = await postDelivery(agent, url, config.secret, body).catch(() => 0)
      const t1 = performance.now()
      if (t0 < measureFrom || t1 > end) {
        warmup++
        continue
      }
      latenciesMs.push(t1 - t0)
      if (status === 200) ok++
      else failed++
    }
  }
  await Promise.all(Array.from({ length: config.connections }, loop))
  agent.destroy()
  return { warmup, ok, failed, seconds: config.seconds, latenciesMs }
}

// Run as the child process: config as JSON in argv[2], result as JSON on stdout.
if (process.argv[1]?.endsWith('store-load.ts')) {
  const result = await runLoad(JSON.parse(process.argv[2]) as LoadConfig)
  process.stdout.write(JSON.stringify(result) + '\n')
}

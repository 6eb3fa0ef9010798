// Shared by the emulator's tests: plain fetch calls against a running emulator.
import { startEmulator } from '../../src/emulator/server.js'
import { DEFAULT_EMULATOR_API_KEY, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/options.js'

/** Timings of tens of milliseconds keep the suite fast. */
export const FAST = { judgeReadyMs: 30, awaitingUploadMs: 10, pendingMs: 10, processingMs: 20 }

export async function fastEmulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({ timings: FAST, ...options })
}

export interface Answer {
  status: number
  headers: Headers
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = DEFAULT_EMULATOR_API_KEY
): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (key !== null) headers['X-API-Key'] = key
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

export const videoJudge = (name = 'Video judge', detectors?: unknown[]) => ({
  name,
  description: 'Checks short vertical videos',
  content_type: 'video',
  detectors: detectors ?? [
    { detector_name: 'video_specs', config: { min_width: 720, allowed_aspect_ratios: ['9:16'], min_fps: 24 } },
    { detector_name: 'audio_noise', config: {}, weight: 3 },
    { detector_name: 'language', config: { accepted_languages: ['en'] } }
  ]
})

/** Polls the results endpoint until the job is terminal (completed or failed). */
export async function waitForResult(
  base: string,
  jobId: string,
  key = DEFAULT_EMULATOR_API_KEY,
  timeoutMs = 5000
): Promise<Answer> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const r = await call(base, 'GET', `/v1/evaluations/results/${jobId}`, undefined, key)
    if (r.status !== 200 || r.body.status === 'completed' || r.body.status === 'failed') return r
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${r.body.status} after ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

export async function until<T>(what: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await what()
    if (v !== undefined && v !== false) return v
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

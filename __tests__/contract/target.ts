/**
 * Where the contract tests run: the emulator by default, or the real service when PIQUE_API_URL and
 * PIQUE_API_KEY are set. Against the real service only read-only cases run unless PIQUE_CONTRACT_SPEND=1
 * (creating judges and submitting videos costs money).
 */
import { startEmulator } from '../../src/emulator/server.js'
import { DEFAULT_EMULATOR_API_KEY } from '../../src/emulator/options.js'

export interface ContractTarget {
  base: string
  key: string
  /** True against the real service. */
  real: boolean
  /** Cases that create judges or submit videos may run. */
  spend: boolean
  close(): Promise<void>
}

export async function contractTarget(env = process.env): Promise<ContractTarget> {
  if (env.PIQUE_API_URL && env.PIQUE_API_KEY) {
    return {
      base: env.PIQUE_API_URL.replace(/\/+$/, ''),
      key: env.PIQUE_API_KEY,
      real: true,
      spend: env.PIQUE_CONTRACT_SPEND === '1',
      close: async () => {}
    }
  }
  const emu = await startEmulator({
    timings: { judgeReadyMs: 30, awaitingUploadMs: 10, pendingMs: 10, processingMs: 20 }
  })
  const target: ContractTarget = {
    base: emu.url,
    key: DEFAULT_EMULATOR_API_KEY,
    real: false,
    spend: true,
    close: () => emu.close()
  }
  // A real organization has judges already: give the emulator's a few, so listing cases have something to read.
  for (let i = 1; i <= 3; i++) {
    await request(target, 'POST', '/v1/judges', {
      name: `Existing judge ${i}`,
      description: 'Present before the contract tests run',
      content_type: 'video',
      detectors: [{ detector_name: 'audio_noise', config: {} }]
    })
  }
  return target
}

export interface Answer {
  status: number
  headers: Headers
  body: unknown
}

/** Plain fetch, independent of the project's client. */
export async function request(
  t: ContractTarget,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = t.key
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (key !== null) headers['X-API-Key'] = key
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(t.base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000)
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // Left as text: the assertions say what was expected.
  }
  return { status: res.status, headers: res.headers, body: parsed }
}

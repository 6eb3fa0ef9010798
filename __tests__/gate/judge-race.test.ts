/**
 * Two runs of the same new judge file started together, against one emulator through the real client: they create
 * one judge, and where the remaining window lets both create one, they still submit to the same judge.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { ensureJudge } from '../../src/gate/ensure-judge.js'
import { memoryLog } from '../../src/gate/log.js'
import type { JudgeFile } from '../../src/config/types.js'
import { DEFAULT_EMULATOR_API_KEY, type RunningEmulator } from '../../src/emulator/options.js'
import { startEmulator } from '../../src/emulator/server.js'
import { PiqueClient } from '../../src/pique/client.js'
import type { CreateJudgeRequest } from '../../src/pique/schema.js'

// A matching detector makes the judge start `pending` (reference content being prepared), as the race needs.
const body: CreateJudgeRequest = {
  name: 'Race',
  description: 'Two runs, one judge',
  content_type: 'video',
  detectors: [
    { detector_name: 'video_specs', config: { min_width: 720 } },
    { detector_name: 'video_matching', config: { reference_videos: ['gs://refs/brand.mp4'] } }
  ]
}
const file: JudgeFile = { file: 'judge.yml', body, warnings: [] }

let emulator: RunningEmulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

/**
 * The real client, except that `createJudge` holds each call until both runs have called it: both runs are then
 * certainly inside the window (each looked twice and found nothing), which timing alone cannot promise.
 */
function bothCreate(client: PiqueClient, arrived: { count: number; release?: () => void; gate: Promise<void> }) {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'createJudge') return Reflect.get(target, prop, receiver)
      return async (...args: Parameters<PiqueClient['createJudge']>) => {
        if (++arrived.count === 2) arrived.release?.()
        await arrived.gate
        return target.createJudge(...args)
      }
    }
  })
}

async function twoRuns(randoms: [number, number], window = false) {
  emulator = await startEmulator({
    // The reference the judge names counts as uploaded, so the judge becomes ready.
    preloadedReferences: ['gs://refs/brand.mp4'],
    timings: { judgeReadyMs: 400, awaitingUploadMs: 10, pendingMs: 10, processingMs: 10 }
  })
  const client = () => new PiqueClient({ baseUrl: emulator!.url, apiKey: DEFAULT_EMULATOR_API_KEY })
  const arrived: { count: number; release?: () => void; gate: Promise<void> } = { count: 0, gate: Promise.resolve() }
  arrived.gate = new Promise<void>(resolve => (arrived.release = resolve))
  const run = (random: number) => {
    const log = memoryLog()
    return ensureJudge(
      window ? bothCreate(client(), arrived) : client(),
      { kind: 'file', file },
      {
        log,
        deadline: Date.now() + 10_000,
        pollMs: 20,
        settleMs: 600,
        random: () => random
      }
    ).then(judge => ({ judge, log }))
  }
  const [a, b] = await Promise.all(randoms.map(run))
  const judges = (await client().listJudges({ limit: 100 })).judges
  return { a, b, judges }
}

describe('two concurrent runs of the same new judge file', () => {
  it('create one judge: the run that pauses longer finds it pending and waits for it', async () => {
    const { a, b, judges } = await twoRuns([0, 0.5])
    expect(judges).toHaveLength(1)
    expect(a.judge).toMatchObject({ id: judges[0].id, origin: 'created', status: 'ready' })
    expect(b.judge).toMatchObject({ id: judges[0].id, origin: 'reused', status: 'ready' })
    expect(b.log.lines.join('\n')).toContain('another run created it a moment ago, status pending')
  })

  it('inside the remaining window (equal pauses) both create one, and both use the older', async () => {
    const { a, b, judges } = await twoRuns([0.2, 0.2], true)
    expect(judges).toHaveLength(2)
    expect(a.judge.id).toBe(b.judge.id)
    const oldest = [...judges].sort(
      (x, y) => (x.created_at ?? '').localeCompare(y.created_at ?? '') || x.id.localeCompare(y.id)
    )[0]
    expect(a.judge.id).toBe(oldest.id)
    const warned = [...a.log.lines, ...b.log.lines].filter(l => l.includes('Another run created the same judge'))
    expect(warned).toHaveLength(1)
  })
})

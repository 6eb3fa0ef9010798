/**
 * retry-failed for media files, through the real client against the emulator with a transient-failure fault on the
 * file's upload jobs: the file is uploaded again as a new job, the retry decides it, both jobs are billed and
 * reported, and the retry's result is remembered for reuse like any other; a file edited on disk during the run is
 * not uploaded again under its old identity.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type InputName, mapInputs, readSettings } from '../../src/config/settings.js'
import { memoryLog } from '../../src/gate/log.js'
import { runGate } from '../../src/gate/run-gate.js'
import { DEFAULT_EMULATOR_API_KEY, NO_FAULTS, type RunningEmulator } from '../../src/emulator/options.js'
import { startEmulator } from '../../src/emulator/server.js'
import { PiqueClient } from '../../src/pique/client.js'
import { folderResultCache } from '../../src/reuse/result-cache.js'
import type { PiqueApi } from '../../src/pique/api.js'

const BOT = 'Failed to process video: upstream timed out, try again'

let emulator: RunningEmulator
let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pique-retry-files-'))
  writeFileSync(
    join(dir, 'judge.yml'),
    'name: Retry files\ndescription: d\ncontent_type: video\ndetectors:\n  - detector_name: video_specs\n    config:\n      min_width: 720\n'
  )
  // Two different clips: results are remembered by content, so the same bytes would share one.
  const video = (name: string) => join(process.cwd(), 'fixtures/video', name)
  copyFileSync(video('landscape-1280x720-30fps.mp4'), join(dir, 'flaky.mp4'))
  copyFileSync(video('landscape-1280x720-30fps.mp4'), join(dir, 'edited.mp4'))
  copyFileSync(video('vertical-1080x1920-30fps.mp4'), join(dir, 'steady.mp4'))
  emulator = await startEmulator({
    timings: { judgeReadyMs: 20, awaitingUploadMs: 10, pendingMs: 10, processingMs: 20 },
    // Direct uploads match scenario and fault patterns as `upload:<filename>`.
    scenario: [{ match: 'upload:*', score: 0.9 }],
    faults: {
      ...NO_FAULTS,
      transientJobFailures: [
        { match: 'upload:flaky.mp4', error: BOT, times: 1 },
        { match: 'upload:edited.mp4', error: BOT, times: 1 }
      ]
    }
  })
})
afterAll(async () => {
  await emulator?.close()
  rmSync(dir, { recursive: true, force: true })
})

const settingsFor = (values: Partial<Record<InputName, string>>) =>
  readSettings(
    mapInputs({
      'api-key': DEFAULT_EMULATOR_API_KEY,
      'api-url': emulator.url,
      judge: 'judge.yml',
      threshold: '0.7',
      wait: 'api',
      'poll-interval-seconds': '0.02',
      'timeout-minutes': '0.5',
      ...values
    })
  )

/** Jobs the emulator created for uploads of `file`: each one an evaluation Pique bills. */
async function uploadJobs(file: string): Promise<{ job_id: string; status: string }[]> {
  const res = await fetch(`${emulator.url}/_emulator/jobs`)
  const { jobs } = (await res.json()) as { jobs: { url: string; job_id: string; status: string }[] }
  return jobs.filter(j => j.url === `upload:${file}`)
}

describe('retry-failed with media files', () => {
  it('uploads a file whose evaluation failed transiently again; the new job decides, both are billed', async () => {
    const log = memoryLog()
    const client = new PiqueClient({ baseUrl: emulator.url, apiKey: DEFAULT_EMULATOR_API_KEY })
    // The CLI's local results cache: what this run remembers, the next one reuses.
    const history = async (judgeFingerprint: string) => folderResultCache({ dir: join(dir, 'cache'), judgeFingerprint })
    const report = await runGate(settingsFor({ files: 'flaky.mp4\nsteady.mp4' }), {
      api: client,
      log,
      cwd: dir,
      env: {},
      history
    })

    expect(report.verdict).toBe('passed')
    const [flaky, steady] = report.items
    expect(flaky).toMatchObject({ kind: 'file', path: 'flaky.mp4', state: 'passed' })
    expect(flaky.otherJobs).toEqual([expect.objectContaining({ state: 'failed', error: BOT })])
    expect(flaky.identity).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(steady).toMatchObject({ path: 'steady.mp4', state: 'passed' })
    expect(steady.otherJobs).toBeUndefined()

    const jobs = await uploadJobs('flaky.mp4')
    expect(jobs.map(j => j.status)).toEqual(['failed', 'completed'])
    expect(jobs[1].job_id).toBe(flaky.jobId)
    expect(report.counts.billedJobs).toBe(3)
    const lines = log.lines.join('\n')
    expect(lines).toContain('Resubmitting 1 file whose evaluation failed with a transient error')
    expect(lines).toContain('Upload 1 media file again (retry-failed)')

    // The retry's result joined the file's history: the next run reuses it and uploads nothing.
    const again = await runGate(settingsFor({ files: 'flaky.mp4\nsteady.mp4' }), {
      api: client,
      log: memoryLog(),
      cwd: dir,
      env: {},
      history
    })
    expect(again.items.map(o => [o.state, o.reused !== undefined, o.jobId])).toEqual([
      ['passed', true, flaky.jobId],
      ['passed', true, steady.jobId]
    ])
    expect(await uploadJobs('flaky.mp4')).toHaveLength(2)
  })

  it('does not upload again a file edited on disk since the run checked it, and says why', async () => {
    const log = memoryLog()
    const client = new PiqueClient({ baseUrl: emulator.url, apiKey: DEFAULT_EMULATOR_API_KEY })
    // The file changes once its first job has failed, before retry-failed would upload it again.
    const editing: PiqueApi = new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'getResult') return Reflect.get(target, prop, receiver)
        return async (...args: Parameters<PiqueClient['getResult']>) => {
          const result = await target.getResult(...args)
          if (result.status === 'failed') appendFileSync(join(dir, 'edited.mp4'), 'an edit')
          return result
        }
      }
    })
    const report = await runGate(settingsFor({ files: 'edited.mp4', 'fail-on-error': 'false' }), {
      api: editing,
      log,
      cwd: dir,
      env: {}
    })
    const [edited] = report.items
    expect(edited).toMatchObject({ state: 'failed', error: BOT })
    expect(edited.otherJobs).toEqual([
      expect.objectContaining({
        state: 'failed',
        error: 'not uploaded again: the file changed on disk since the run checked it (its SHA-256 differs)'
      })
    ])
    // Only the first job was created (and billed).
    expect(await uploadJobs('edited.mp4')).toHaveLength(1)
  })
})

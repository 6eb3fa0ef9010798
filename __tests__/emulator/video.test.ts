import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { measureBytes } from '../../src/emulator/media.js'
import type { RunningEmulator } from '../../src/emulator/options.js'
import { call, fastEmulator, videoJudge, waitForResult } from './helpers.js'

const FIXTURES = join(process.cwd(), 'fixtures', 'video')

/** What ffmpeg was asked to make (see docs/emulator.md). */
const EXPECTED: Record<
  string,
  { width: number; height: number; aspect_ratio: string; fps: number; duration_sec: number; audio_sample_rate?: number }
> = {
  'vertical-1080x1920-30fps.mp4': {
    width: 1080,
    height: 1920,
    aspect_ratio: '9:16',
    fps: 30,
    duration_sec: 1,
    audio_sample_rate: 44100
  },
  'landscape-640x360-25fps.webm': {
    width: 640,
    height: 360,
    aspect_ratio: '16:9',
    fps: 25,
    duration_sec: 1.5,
    audio_sample_rate: 48000
  },
  'square-720x720-24fps.mov': { width: 720, height: 720, aspect_ratio: '1:1', fps: 24, duration_sec: 2 },
  'landscape-1280x720-30fps.mp4': {
    width: 1280,
    height: 720,
    aspect_ratio: '16:9',
    fps: 30,
    duration_sec: 1,
    audio_sample_rate: 44100
  }
}

let files: Server
let filesUrl: string
let emu: RunningEmulator
beforeAll(async () => {
  files = createServer((req, res) => {
    const name = (req.url ?? '').slice(1)
    if (!(name in EXPECTED)) return void res.writeHead(404).end()
    res.writeHead(200, { 'Content-Type': 'video/mp4' }).end(readFileSync(join(FIXTURES, name)))
  })
  await new Promise<void>(resolve => files.listen(0, '127.0.0.1', resolve))
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`
  emu = await fastEmulator()
})
afterAll(async () => {
  await emu.close()
  files.closeAllConnections()
  await new Promise(resolve => files.close(resolve))
})

describe('video measurement', () => {
  it('ships small fixtures', () => {
    for (const f of readdirSync(FIXTURES)) expect(readFileSync(join(FIXTURES, f)).length).toBeLessThan(50 * 1024)
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(Object.entries(EXPECTED))('measures %s (MP4, WebM, MOV)', async (name, expected) => {
    const specs = await measureBytes(readFileSync(join(FIXTURES, name)))
    const { duration_sec, ...rest } = specs!
    const { duration_sec: expectedDuration, ...expectedRest } = expected
    expect(rest).toEqual(expectedRest)
    expect(Math.abs(duration_sec - expectedDuration)).toBeLessThan(0.1)
  })

  it('judges video_specs from the file a loopback URL serves', async () => {
    const judge = await call(
      emu.url,
      'POST',
      '/v1/judges',
      videoJudge('Specs', [
        {
          detector_name: 'video_specs',
          config: { min_width: 1080, allowed_aspect_ratios: ['9:16'], min_fps: 24, max_duration_sec: 60 }
        }
      ])
    )
    const urls = [`${filesUrl}/vertical-1080x1920-30fps.mp4`, `${filesUrl}/landscape-640x360-25fps.webm`]
    const r = await call(emu.url, 'POST', '/v1/evaluations/social-media', { judge_id: judge.body.id, video_urls: urls })
    const vertical = (await waitForResult(emu.url, r.body.jobs[0].job_id)).body
    expect(vertical.detector_results[0]).toMatchObject({
      pass_check: true,
      score: 1,
      metrics: {
        video_specs: { width: 1080, height: 1920, aspect_ratio: '9:16', fps: 30, audio_sample_rate: 44100 },
        issues_count: 0,
        total_checks: 4
      }
    })
    expect(vertical.detector_results[0].rationale).toMatch(
      /^Video specs meet requirements: 1080x1920 \(9:16\), 30\.0fps, 1\.0s$/
    )
    const landscape = (await waitForResult(emu.url, r.body.jobs[1].job_id)).body
    expect(landscape.detector_results[0]).toMatchObject({
      pass_check: false,
      score: 0.5,
      metrics: {
        video_specs: { width: 640, height: 360, aspect_ratio: '16:9', fps: 25 },
        checks: {
          min_width: { pass: false, actual: 640, threshold: 1080 },
          allowed_aspect_ratios: { pass: false, actual: '16:9', threshold: ['9:16'] }
        },
        issues_count: 2,
        total_checks: 4
      }
    })
  })
})

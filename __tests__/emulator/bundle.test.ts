/**
 * The bundled CLI (dist/cli/index.js, built by `npm run package`, which `npm test` runs first) serves the emulator
 * and measures a real video file through mediainfo.js, as `npm run emulator` does for users.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { call, until, videoJudge, waitForResult } from './helpers.js'

const CLI = resolve('dist/cli/index.js')
const FIXTURE = join(process.cwd(), 'fixtures', 'video', 'square-720x720-24fps.mov')

let child: ChildProcess
let files: Server
let output = ''

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli/index.js is missing: run npm run package first')
  files = createServer(
    (_req, res) => void res.writeHead(200, { 'Content-Type': 'video/quicktime' }).end(readFileSync(FIXTURE))
  )
  await new Promise<void>(r => files.listen(0, '127.0.0.1', r))
  child = spawn(
    process.execPath,
    [CLI, 'emulator', '--port', '0', '--awaiting-upload-ms', '10', '--pending-ms', '10', '--processing-ms', '20'],
    {
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
})

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL')
  files.closeAllConnections()
  await new Promise(r => files.close(r))
})

describe('the bundled emulator command', () => {
  it('measures a served video file and stops cleanly on SIGTERM', async () => {
    const url = await until(() => /listening on (http:\/\/\S+)/.exec(output)?.[1], 15_000)
    const judge = await call(
      url,
      'POST',
      '/v1/judges',
      videoJudge('Bundle', [{ detector_name: 'video_specs', config: { allowed_aspect_ratios: ['1:1'] } }])
    )
    const video = `http://127.0.0.1:${(files.address() as AddressInfo).port}/clip.mov`
    const r = await call(url, 'POST', '/v1/evaluations/social-media', { judge_id: judge.body.id, video_urls: [video] })
    const result = await waitForResult(url, r.body.jobs[0].job_id, undefined, 10_000)
    expect(result.body.detector_results[0].metrics.video_specs).toMatchObject({
      width: 720,
      height: 720,
      aspect_ratio: '1:1',
      fps: 24
    })
    expect(output).not.toMatch(/Warning/)
    const exited = new Promise<number | null>(r => child.once('exit', code => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(output).toContain('Pique emulator stopped')
  })
})

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lockCommand } from '../../src/cli/references.js'
import { loadJudgeFile } from '../../src/config/judge-file.js'
import { ConfigError, formatProblem } from '../../src/config/problems.js'
import { DEFAULT_EMULATOR_API_KEY, type RunningEmulator } from '../../src/emulator/options.js'
import { startEmulator } from '../../src/emulator/server.js'
import { PiqueClient } from '../../src/pique/client.js'
import { readLock } from '../../src/references/lock.js'
import { withReferenceUris } from '../../src/references/local.js'

const FIXTURES = join(process.cwd(), 'fixtures')
let emu: RunningEmulator
let dir: string
let cwd: string
beforeAll(async () => {
  emu = await startEmulator({ timings: { judgeReadyMs: 20, awaitingUploadMs: 5, pendingMs: 5, processingMs: 10 } })
  dir = mkdtempSync(join(tmpdir(), 'pique-refs-'))
  mkdirSync(join(dir, 'content/refs'), { recursive: true })
  copyFileSync(join(FIXTURES, 'video/vertical-1080x1920-30fps.mp4'), join(dir, 'content/refs/launch.mp4'))
  copyFileSync(join(FIXTURES, 'audio/tone-44100hz-1s.mp3'), join(dir, 'content/refs/jingle.mp3'))
  writeFileSync(
    join(dir, 'content/judge.yml'),
    [
      'name: Matches the launch video',
      'description: Clips must reuse the launch footage and the jingle',
      'content_type: video',
      'detectors:',
      '  - detector_name: video_matching',
      '    config:',
      '      reference_videos: [refs/launch.mp4, "gs://judge-artifacts/already/there.mp4"]',
      '  - detector_name: audio_matching',
      '    config:',
      '      reference_audio: refs/jingle.mp3',
      ''
    ].join('\n')
  )
  cwd = process.cwd()
  process.chdir(dir)
})
afterAll(async () => {
  process.chdir(cwd)
  rmSync(dir, { recursive: true, force: true })
  await emu.close()
})

async function run(options: { check?: boolean } = {}) {
  const out: string[] = []
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line))
  const err = jest.spyOn(console, 'error').mockImplementation((line: string) => void out.push(line))
  try {
    const code = await lockCommand(
      { judge: 'content/judge.yml', apiUrl: emu.url, ...options },
      { PIQUE_API_KEY: DEFAULT_EMULATOR_API_KEY }
    )
    return { code, out }
  } finally {
    log.mockRestore()
    err.mockRestore()
  }
}

const referenceUploads = async () =>
  (
    (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: { endpoint?: string }[] }
  ).requests.filter(r => r.endpoint === 'referenceContent').length

describe('pique-gate references lock', () => {
  it('uploads each local reference once and writes the lock; a second run uploads nothing', async () => {
    const first = await run()
    expect(first.code).toBe(0)
    expect(first.out.filter(l => l.startsWith('uploaded'))).toHaveLength(2)
    expect(await referenceUploads()).toBe(2)
    const { lock, exists } = await readLock('content/judge.references.lock.json')
    expect(exists).toBe(true)
    expect(
      Object.values(lock.references)
        .map(e => e.file)
        .sort()
    ).toEqual(['content/refs/jingle.mp3', 'content/refs/launch.mp4'])
    const second = await run()
    expect(second.out.filter(l => l.startsWith('reused'))).toHaveLength(2)
    expect(await referenceUploads()).toBe(2)
    expect((await run({ check: true })).code).toBe(0)
  })

  it('builds a judge the emulator accepts from the locked URIs', async () => {
    const judge = await loadJudgeFile('content/judge.yml')
    const { lock } = await readLock('content/judge.references.lock.json')
    const byFile = new Map(Object.values(lock.references).map(e => [e.file, e.uri]))
    const uris = new Map((judge.references ?? []).map(r => [r.placeholder, byFile.get(r.path) as string]))
    const body = withReferenceUris(judge.body, uris)
    expect(body.detectors[0].config.reference_videos).toEqual([
      byFile.get('content/refs/launch.mp4'),
      'gs://judge-artifacts/already/there.mp4'
    ])
    const client = new PiqueClient({ baseUrl: emu.url, apiKey: DEFAULT_EMULATOR_API_KEY })
    // The second video is not this organization's upload: the judge fails, as the service would.
    const created = await client.createJudge(body)
    for (let i = 0; i < 100 && (await client.getJudge(created.id)).status === 'pending'; i++)
      await new Promise(resolve => setTimeout(resolve, 10))
    expect((await client.getJudge(created.id)).status).toBe('failed')
    body.detectors[0].config.reference_videos = [byFile.get('content/refs/launch.mp4')]
    const ok = await client.createJudge(body)
    for (let i = 0; i < 100 && (await client.getJudge(ok.id)).status === 'pending'; i++)
      await new Promise(resolve => setTimeout(resolve, 10))
    expect((await client.getJudge(ok.id)).status).toBe('ready')
  })

  it('--check says the lock is stale after a reference changes; lock uploads the new content', async () => {
    copyFileSync(join(FIXTURES, 'video/landscape-1280x720-30fps.mp4'), join(dir, 'content/refs/launch.mp4'))
    const check = await run({ check: true })
    expect(check.code).toBe(1)
    expect(check.out.at(-1)).toMatch(/judge\.references\.lock\.json is stale: content\/refs\/launch\.mp4 changed/)
    const again = await run()
    expect(again.out.filter(l => l.startsWith('uploaded'))).toEqual([
      expect.stringContaining('content/refs/launch.mp4')
    ])
    expect(await referenceUploads()).toBe(3)
    // The old content's entry is dropped.
    expect(Object.keys(JSON.parse(readFileSync('content/judge.references.lock.json', 'utf8')).references)).toHaveLength(
      2
    )
  })

  it('reports a missing or LFS-pointer reference at its line in the judge file', async () => {
    writeFileSync('content/refs/pointer.mp4', 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 10\n')
    writeFileSync(
      'content/bad.yml',
      'name: n\ndescription: d\ncontent_type: video\ndetectors:\n  - detector_name: video_matching\n    config:\n      reference_videos: [refs/missing.mp4, refs/pointer.mp4]\n'
    )
    const problems = await loadJudgeFile('content/bad.yml').catch((e: ConfigError) => e.problems.map(formatProblem))
    expect(problems).toEqual([
      'content/bad.yml:7:26: detectors[0].config.reference_videos[0]: refs/missing.mp4: file not found',
      expect.stringMatching(
        /^content\/bad\.yml:7:44: detectors\[0\]\.config\.reference_videos\[1\]: refs\/pointer\.mp4: is a Git LFS pointer/
      )
    ])
  })
})

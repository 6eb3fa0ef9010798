/**
 * Media files in the repository, end to end through the bundled action (dist/index.js) against the emulator: a pull
 * request that adds a 1280x720 clip to a judge requiring 1080x1920 fails with the measured size in the summary (store
 * and api modes), a conforming clip passes, an image judge gates a PNG; reference files as code, locked once with the
 * bundled CLI, then reused without an upload, and a changed reference makes a new judge.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  API_KEY,
  CLI_BUNDLE,
  type Environment,
  fileItems,
  reportOf,
  runAction,
  spawnNode,
  startEnvironment
} from './harness.js'
import { SCENARIO } from './fixtures.js'
import { INSPECTION_PREFIX, type RequestLogEntry } from '../../src/emulator/inspection.js'
import { UPLOADS_PATH } from '../../src/emulator/uploads.js'

const FIXTURES = join(process.cwd(), 'fixtures')
const fixture = (path: string) => readFileSync(join(FIXTURES, path))
const VERTICAL = fixture('video/vertical-1080x1920-30fps.mp4')
const WIDE = fixture('video/landscape-1280x720-30fps.mp4')

let env: Environment
beforeAll(async () => {
  env = await startEnvironment(SCENARIO)
})
afterAll(async () => {
  await env?.close()
})

const VERTICAL_JUDGE = [
  'name: Vertical launch clips',
  'description: 1080x1920 vertical clips only',
  'content_type: video',
  'detectors:',
  '  - detector_name: video_specs',
  '    config:',
  '      min_width: 1080',
  '      min_height: 1920',
  '      allowed_aspect_ratios: ["9:16"]',
  ''
].join('\n')

/** An `/_emulator/` listing. */
async function inspect<T>(what: 'requests' | 'jobs'): Promise<T> {
  return (await (await fetch(`${env.emulator.url}${INSPECTION_PREFIX}/${what}`)).json()) as T
}

const modes = () => ({
  store: { wait: 'store', 'store-url': env.store.url, 'store-token': env.storeToken },
  api: { wait: 'api', 'poll-interval-seconds': '0.05' }
})

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'e2e',
      GIT_AUTHOR_EMAIL: 'e2e@example.com',
      GIT_COMMITTER_NAME: 'e2e',
      GIT_COMMITTER_EMAIL: 'e2e@example.com'
    }
  })
    .toString()
    .trim()

/** A repository whose base commit has the judge and a conforming clip, and whose pull request adds the wide clip. */
function pullRequestAddingWideClip(workspace: string): Record<string, string> {
  git(workspace, 'init', '-q', '-b', 'main')
  git(workspace, 'add', 'judge.yml', 'media/launch-vertical.mp4')
  git(workspace, 'commit', '-qm', 'base')
  const base = git(workspace, 'rev-parse', 'HEAD')
  git(workspace, 'add', 'media/teaser-wide.mp4')
  git(workspace, 'commit', '-qm', 'add the teaser')
  const event = join(workspace, 'pr-event.json')
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: { number: 7, base: { sha: base, ref: 'main' }, head: { sha: git(workspace, 'rev-parse', 'HEAD') } },
      repository: { full_name: 'acme/site' }
    })
  )
  return { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' }
}

describe('media files', () => {
  it.each(['store', 'api'] as const)(
    '%s mode: a pull request adding a 1280x720 clip to a 1080x1920 judge fails, showing the measured size',
    async mode => {
      const run = await runAction(
        env,
        { judge: 'judge.yml', files: 'media/*.mp4', 'only-changed': 'true', threshold: '0.7', ...modes()[mode] },
        { 'judge.yml': VERTICAL_JUDGE, 'media/launch-vertical.mp4': VERTICAL, 'media/teaser-wide.mp4': WIDE },
        {},
        pullRequestAddingWideClip
      )
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(`(${mode} mode)`)
      expect(run.report?.verdict).toBe('failed')
      // Only the file the pull request added is evaluated.
      const items = fileItems(run)
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({
        kind: 'file',
        path: 'media/teaser-wide.mp4',
        size_bytes: WIDE.length,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        state: 'below_threshold',
        measured: { width: 1280, height: 720, aspect_ratio: '16:9' }
      })
      expect(reportOf(run).counts.skipped_unchanged).toBe(1)
      expect(run.summary).toContain('media/teaser-wide.mp4')
      expect(run.summary).toContain('measured 1280x720 (16:9)')
      expect(run.summary).not.toContain('launch-vertical.mp4')
      expect(run.stdout).toMatch(/only-changed: 1 of 2 files added or changed/)
      // The annotation points at the file itself (the files input named it, not a manifest).
      expect(run.stdout).toMatch(
        /::error title=Pique gate,file=media\/teaser-wide\.mp4::media\/teaser-wide\.mp4: score 0\.33 < 0\.70 — video_specs: .*1280x720/
      )
    }
  )

  it.each(['store', 'api'] as const)('%s mode: a conforming clip passes', async mode => {
    // What the emulator logged before this run: the environment is shared by the tests of this file.
    const requestsBefore = (await inspect<{ requests: unknown[] }>('requests')).requests.length
    const jobsBefore = (await inspect<{ jobs: unknown[] }>('jobs')).jobs.length
    const run = await runAction(
      env,
      { judge: 'judge.yml', files: 'media.yml', threshold: '0.7', ...modes()[mode] },
      {
        'judge.yml': VERTICAL_JUDGE,
        'media.yml': '- file: clips/launch.mp4\n  title: "Launch #lumen"\n  description: The launch teaser\n',
        'clips/launch.mp4': VERTICAL
      }
    )
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ passed: 'true', evaluated: '1', 'failed-count': '0' })
    expect(run.summary).toContain('measured 1080x1920 (9:16), 30 fps')
    const item = fileItems(run)[0]
    expect(item).toMatchObject({
      path: 'clips/launch.mp4',
      title: 'Launch #lumen',
      source: { file: 'media.yml', line: 1 }
    })
    // The upload request carried the title, and the file went to the emulator's storage stand-in without the key
    // (a slot answers 400 to a PUT carrying X-API-Key, so a 200 proves it was not sent).
    const jobs = (await inspect<{ jobs: { upload: Record<string, unknown> | null }[] }>('jobs')).jobs.slice(jobsBefore)
    expect(jobs.map(j => j.upload)).toEqual([
      expect.objectContaining({ filename: 'launch.mp4', title: 'Launch #lumen', received: true })
    ])
    const requests = (await inspect<{ requests: RequestLogEntry[] }>('requests')).requests.slice(requestsBefore)
    expect(requests.filter(r => r.path.startsWith(`${UPLOADS_PATH}/`))).toEqual([
      expect.objectContaining({ method: 'PUT', status: 200 })
    ])
  })

  it.each(['store', 'api'] as const)(
    '%s mode: an image judge gates a PNG (passes) and a small JPEG (fails), annotated at the manifest lines',
    async mode => {
      const run = await runAction(
        env,
        { judge: 'judge.yml', files: 'thumbs.yml', threshold: '0.7', ...modes()[mode] },
        {
          'judge.yml': [
            'name: Thumbnails',
            'description: Vertical thumbnails, at least 1000 px wide',
            'content_type: image',
            'detectors:',
            '  - detector_name: image_specs',
            '    config: {min_width: 1000, allowed_aspect_ratios: ["9:16"]}',
            ''
          ].join('\n'),
          'thumbs.yml': '- cover.png\n- small.jpg\n',
          'cover.png': fixture('image/vertical-1080x1920.png'),
          'small.jpg': fixture('image/landscape-640x360.jpg')
        }
      )
      expect(run.code).toBe(1)
      const items = fileItems(run)
      expect(items.map(i => [i.path, i.state, i.mime])).toEqual([
        ['cover.png', 'passed', 'image/png'],
        ['small.jpg', 'below_threshold', 'image/jpeg']
      ])
      expect(items[0].measured).toMatchObject({ width: 1080, height: 1920, megapixels: 2.07 })
      expect(run.summary).toContain('measured 640x360 (16:9)')
      expect(run.stdout).toMatch(/::error title=Pique gate,file=thumbs\.yml,line=2::small\.jpg: score/)
    }
  )

  it('store mode: an unchanged file is reused on the next run by its SHA-256, under another path, with no upload', async () => {
    // A judge of its own, so no earlier test in this file has evaluated this clip with it.
    const judge = VERTICAL_JUDGE.replace('1080x1920 vertical clips only', 'Vertical clips, reused by content')
    const inputs = { judge: 'judge.yml', threshold: '0.7', ...modes().store }
    const first = await runAction(
      env,
      { ...inputs, files: 'clips/launch.mp4' },
      {
        'judge.yml': judge,
        'clips/launch.mp4': VERTICAL
      }
    )
    expect(first.code).toBe(0)
    expect(first.outputs).toMatchObject({ passed: 'true', reused: '0', evaluated: '1' })
    const uploadsBefore = await presignedCount()
    // Same bytes, moved: the identity is the content, not the path.
    const second = await runAction(
      env,
      { ...inputs, files: 'moved/launch-final.mp4' },
      {
        'judge.yml': judge,
        'moved/launch-final.mp4': VERTICAL
      }
    )
    expect(second.code).toBe(0)
    expect(second.outputs).toMatchObject({ passed: 'true', reused: '1' })
    expect(second.summary).toContain('1 reused, 0 evaluated (billed)')
    expect(await presignedCount()).toBe(uploadsBefore)
  })

  it('refuses a Git LFS pointer and a type the judge does not take before uploading anything', async () => {
    const before = await presignedCount()
    const run = await runAction(
      env,
      { judge: 'judge.yml', files: 'media.yml', threshold: '0.7' },
      {
        'judge.yml': VERTICAL_JUDGE,
        'media.yml': '- clip.mp4\n- cover.png\n',
        'clip.mp4': 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 1234\n',
        'cover.png': fixture('image/vertical-1080x1920.png')
      }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/media\.yml:1:3: clip\.mp4: is a Git LFS pointer.*lfs: true/)
    expect(run.stdout).toMatch(
      /media\.yml:2:3: cover\.png: is image \(image\/png\) but the judge evaluates video: use an image judge/
    )
    expect(await presignedCount()).toBe(before)
  })
})

const requests = async () =>
  ((await (await fetch(`${env.emulator.url}/_emulator/requests`)).json()) as { requests: { endpoint?: string }[] })
    .requests
const presignedCount = async () => (await requests()).filter(r => r.endpoint === 'presignedUpload').length
const referenceCount = async () => (await requests()).filter(r => r.endpoint === 'referenceContent').length

describe('reference media as code', () => {
  const judge = [
    'name: Reuses the launch footage',
    'description: Clips must match the launch video',
    'content_type: video',
    'detectors:',
    '  - detector_name: video_matching',
    '    config:',
    '      reference_videos: [refs/launch.mp4]',
    ''
  ].join('\n')
  const urls = 'https://clips.example/pass/ref-1\n'

  it('locks once, reuses the judge with no upload while unchanged, and makes a new judge when a reference changes', async () => {
    // Locking: the bundled CLI uploads the reference and writes the lock beside the judge file.
    const lockRun = await runAction(
      env,
      {},
      { 'content/judge.yml': judge, 'content/refs/launch.mp4': VERTICAL },
      {},
      ws => {
        void ws
      }
    )
    const locked = await spawnNode(
      [CLI_BUNDLE, 'references', 'lock', '--judge', 'content/judge.yml'],
      lockRun.workspace,
      { PATH: process.env.PATH ?? '', PIQUE_API_URL: env.emulator.url, PIQUE_API_KEY: API_KEY }
    )
    expect(locked.code).toBe(0)
    expect(locked.stdout).toMatch(/^uploaded\s+content\/refs\/launch\.mp4 sha256:[0-9a-f]{12} gs:\/\//m)
    expect(locked.stdout + locked.stderr).not.toContain(API_KEY)
    const lock = readFileSync(join(lockRun.workspace, 'content/judge.references.lock.json'), 'utf8')

    const inputs = { judge: 'content/judge.yml', 'url-list': urls, threshold: '0.7', ...modes().api }
    const files = {
      'content/judge.yml': judge,
      'content/refs/launch.mp4': VERTICAL,
      'content/judge.references.lock.json': lock
    }
    const uploadsBefore = await referenceCount()
    const first = await runAction(env, inputs, files)
    expect(first.code).toBe(0)
    expect(first.outputs['judge-created']).toBe('true')
    expect(first.stdout).toContain('1 reference file: 1 from content/judge.references.lock.json, 0 uploaded now')

    const second = await runAction(env, inputs, files)
    expect(second.code).toBe(0)
    expect(second.outputs).toMatchObject({ 'judge-created': 'false', 'judge-id': first.outputs['judge-id'] })
    expect(await referenceCount()).toBe(uploadsBefore)

    // The reference changes and the lock is not refreshed: this run uploads it, says the lock is stale, new judge.
    const changed = await runAction(env, inputs, { ...files, 'content/refs/launch.mp4': WIDE })
    expect(changed.code).toBe(0)
    expect(await referenceCount()).toBe(uploadsBefore + 1)
    expect(changed.outputs['judge-created']).toBe('true')
    expect(changed.outputs['judge-id']).not.toBe(first.outputs['judge-id'])
    expect(changed.stdout).toMatch(
      /::warning file=content\/judge\.references\.lock\.json,line=1::content\/judge\.references\.lock\.json is stale: content\/refs\/launch\.mp4 changed or was never locked/
    )
    expect(changed.report?.reason).toBeDefined()
    expect(reportOf(changed).warnings.join('\n')).toContain('pique-gate references lock --judge content/judge.yml')
  })
})

describe('upload URLs that expire', () => {
  it('gets fresh ones, then reports the file failed with the jobs left awaiting_upload', async () => {
    const expiring = await startEnvironment(SCENARIO, {
      uploads: { evaluationUrlLifetimeMs: 0, referenceUrlLifetimeMs: 0, maxFileBytes: 1e9 }
    })
    try {
      const run = await runAction(
        expiring,
        { judge: 'judge.yml', files: 'clip.mp4', threshold: '0.7', wait: 'api', 'poll-interval-seconds': '0.05' },
        { 'judge.yml': VERTICAL_JUDGE, 'clip.mp4': VERTICAL }
      )
      expect(run.code).toBe(1)
      expect(run.stdout.match(/clip\.mp4: upload refused, trying a fresh upload URL/g)).toHaveLength(2)
      const item = fileItems(run)[0]
      expect(item).toMatchObject({
        state: 'failed',
        abandoned_job_ids: [expect.any(String), expect.any(String), expect.any(String)]
      })
      expect(item.error).toMatch(
        /^upload clip\.mp4: PUT .*ExpiredToken.*\(after 3 upload URLs\); jobs job_\w+, job_\w+, job_\w+ left awaiting_upload at Pique$/
      )
      expect(run.summary).toMatch(/abandoned upload jobs .* \(left awaiting_upload\)/)
    } finally {
      await expiring.close()
    }
  })
})

/**
 * only-changed against a real git repository: a base commit and a head commit that changes, adds and keeps URLs,
 * read from the full history, from a shallow clone (the base fetched on demand), and through the GitHub contents
 * API when there is no git checkout.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadUrlLists } from '../../src/config/load.js'
import { selectChangedUrls } from '../../src/gate/only-changed.js'
import { pullRequestBase } from '../../src/github/pull-request-base.js'
import type { UrlItem } from '../../src/model/index.js'
import { FakeGitHub } from './fake-github.js'

let root: string
let origin: string
let baseSha: string
let github: FakeGitHub

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: 'pipe'
  }).trim()

/** As the plan does: the pull request read once, then the URLs narrowed against it. */
async function changedUrls(
  urls: UrlItem[],
  options: { files: string[]; cwd: string; env: NodeJS.ProcessEnv; githubToken?: string }
): ReturnType<typeof selectChangedUrls> {
  const pullRequest = await pullRequestBase(options)
  return selectChangedUrls(urls, { files: options.files, pullRequest, env: options.env })
}

const FILES = ['content/urls.txt', 'content/list.yaml', 'content/new.txt']

const BASE = {
  'content/urls.txt':
    '# launch videos\nhttps://www.tiktok.com/@acme/video/1\nhttps://www.tiktok.com/@acme/video/2\nhttps://www.tiktok.com/@acme/video/3\n',
  'content/list.yaml': '- https://www.youtube.com/shorts/x\n- url: https://www.youtube.com/shorts/y\n'
}
const HEAD = {
  // video/2 edited to 2b, video/4 added, 1 and 3 kept (3 moved down a line).
  'content/urls.txt':
    '# launch videos\nhttps://www.tiktok.com/@acme/video/1\nhttps://www.tiktok.com/@acme/video/2b\n\nhttps://www.tiktok.com/@acme/video/3\nhttps://www.tiktok.com/@acme/video/4\n',
  'content/list.yaml':
    '- https://www.youtube.com/shorts/x\n- url: https://www.youtube.com/shorts/y\n- url: https://www.youtube.com/shorts/z\n',
  'content/new.txt': 'https://www.instagram.com/reel/n1/\nhttps://www.instagram.com/reel/n2/\n'
}

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, 'content'), { recursive: true })
    await writeFile(join(dir, path), text)
  }
}

async function prEnv(sha: string): Promise<NodeJS.ProcessEnv> {
  const event = join(root, `event-${sha.slice(0, 7)}.json`)
  await writeFile(
    event,
    JSON.stringify({ pull_request: { number: 7, base: { sha, ref: 'main' }, head: { sha: 'f'.repeat(40) } } })
  )
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/site',
    GITHUB_API_URL: github.url,
    PATH: process.env.PATH
  }
}

const headUrls = async (cwd: string) =>
  (await loadUrlLists(FILES, { cwd, inline: 'https://www.youtube.com/shorts/inline1' })).urls
const EXPECTED_KEPT = [
  'https://www.tiktok.com/@acme/video/2b',
  'https://www.tiktok.com/@acme/video/4',
  'https://www.youtube.com/shorts/z',
  'https://www.instagram.com/reel/n1/',
  'https://www.instagram.com/reel/n2/',
  'https://www.youtube.com/shorts/inline1'
]

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pique-changed-'))
  origin = join(root, 'origin')
  await mkdir(origin)
  git(origin, 'init', '-q', '-b', 'main')
  await writeTree(origin, BASE)
  git(origin, 'add', '.')
  git(origin, 'commit', '-q', '-m', 'base')
  baseSha = git(origin, 'rev-parse', 'HEAD')
  await writeTree(origin, HEAD)
  git(origin, 'add', '.')
  git(origin, 'commit', '-q', '-m', 'head')
  github = new FakeGitHub()
  await github.start()
  for (const [path, text] of Object.entries(BASE)) github.files.set(`${baseSha}:${path}`, text)
})

afterAll(async () => {
  await github.stop()
  await rm(root, { recursive: true, force: true })
})

describe('selectChangedUrls', () => {
  it('keeps URLs added or changed against the base commit; a file new in the PR counts as all new', async () => {
    const urls = await headUrls(origin)
    const changed = await changedUrls(urls, { files: FILES, cwd: origin, env: await prEnv(baseSha) })
    expect(changed.urls.map(u => u.url)).toEqual(EXPECTED_KEPT)
    expect(changed.skippedUnchanged).toBe(4)
    expect(changed.note).toBe(
      `only-changed: 6 of 10 URLs added or changed against the base commit ${baseSha.slice(0, 7)}; 4 unchanged skipped (force-all: true evaluates every URL)`
    )
    // Sources are kept for annotations.
    expect(changed.urls[1].source).toEqual({ file: 'content/urls.txt', line: 6 })
  })

  it('fetches the base commit into a shallow clone', async () => {
    const shallow = join(root, 'shallow')
    git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true')
    git(root, 'clone', '-q', '--depth=1', `file://${origin}`, shallow)
    expect(() => git(shallow, 'cat-file', '-e', `${baseSha}^{commit}`)).toThrow()
    const changed = await changedUrls(await headUrls(shallow), {
      files: FILES,
      cwd: shallow,
      env: await prEnv(baseSha)
    })
    expect(changed.urls.map(u => u.url)).toEqual(EXPECTED_KEPT)
    expect(git(shallow, 'cat-file', '-t', baseSha)).toBe('commit')
  })

  it('reads the base through the GitHub contents API when there is no git checkout', async () => {
    const plain = join(root, 'plain')
    await cp(join(origin, 'content'), join(plain, 'content'), { recursive: true })
    github.requests.length = 0
    const changed = await changedUrls(await headUrls(plain), {
      files: FILES,
      cwd: plain,
      githubToken: 'ghs_x',
      env: { ...(await prEnv(baseSha)), GITHUB_WORKSPACE: plain }
    })
    expect(changed.urls.map(u => u.url)).toEqual(EXPECTED_KEPT)
    // One contents request per file at the base ref; content/new.txt answered 404, so it counts as all new.
    const asked = github.requests.filter(r => r.startsWith('GET /repos/acme/site/contents/'))
    expect(asked).toHaveLength(FILES.length)
    expect(asked.every(r => r.endsWith(`ref=${baseSha}`))).toBe(true)
  })

  it('keeps every URL of a file whose base cannot be read, and says so', async () => {
    const plain = join(root, 'plain-no-token')
    await cp(join(origin, 'content'), join(plain, 'content'), { recursive: true })
    const urls = await headUrls(plain)
    const changed = await changedUrls(urls, { files: FILES, cwd: plain, env: await prEnv(baseSha) })
    expect(changed.urls).toHaveLength(urls.length)
    expect(changed.skippedUnchanged).toBe(0)
    expect(changed.note).toContain('compared nothing in content/urls.txt (')
    expect(changed.note).toContain('no github-token to ask the GitHub API')
  })

  it('compares a renamed list with its old name, and a base list without URLs counts as all new', async () => {
    const repo = join(root, 'renames')
    await mkdir(join(repo, 'content'), { recursive: true })
    git(root, 'init', '-q', '-b', 'main', repo)
    await writeFile(
      join(repo, 'content', 'old-name.txt'),
      'https://www.tiktok.com/@acme/video/1\nhttps://www.tiktok.com/@acme/video/2\n'
    )
    await writeFile(join(repo, 'content', 'placeholder.txt'), '# URLs go here\n')
    git(repo, 'add', '.')
    git(repo, 'commit', '-q', '-m', 'base')
    const base = git(repo, 'rev-parse', 'HEAD')
    git(repo, 'mv', 'content/old-name.txt', 'content/renamed.txt')
    // The renamed file also switches to CRLF line endings: the same URLs, still unchanged.
    await writeFile(
      join(repo, 'content', 'renamed.txt'),
      'https://www.tiktok.com/@acme/video/1\r\nhttps://www.tiktok.com/@acme/video/2\r\nhttps://www.tiktok.com/@acme/video/9\r\n'
    )
    await writeFile(join(repo, 'content', 'placeholder.txt'), '# URLs go here\nhttps://www.youtube.com/shorts/p1\n')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'head')
    const files = ['content/renamed.txt', './content/placeholder.txt']
    const urls = (await loadUrlLists(files, { cwd: repo })).urls
    const changed = await changedUrls(urls, { files, cwd: repo, env: await prEnv(base) })
    expect(changed.urls.map(u => u.url)).toEqual([
      'https://www.tiktok.com/@acme/video/9',
      'https://www.youtube.com/shorts/p1'
    ])
    expect(changed.skippedUnchanged).toBe(2)
    expect(changed.note).not.toContain('compared nothing')
  })

  it('counts a line that only gained or lost a tracking parameter (or a slash, a fragment) as unchanged', async () => {
    const repo = join(root, 'tracking')
    await mkdir(join(repo, 'content'), { recursive: true })
    git(root, 'init', '-q', '-b', 'main', repo)
    await writeFile(
      join(repo, 'content', 'urls.txt'),
      [
        'https://www.youtube.com/watch?v=AbC&si=share1',
        'https://www.instagram.com/reel/Cx1/',
        'https://www.tiktok.com/@acme/video/1',
        'https://www.youtube.com/watch?v=Keep1',
        ''
      ].join('\n')
    )
    git(repo, 'add', '.')
    git(repo, 'commit', '-q', '-m', 'base')
    const base = git(repo, 'rev-parse', 'HEAD')
    const head = [
      // The share id dropped, a campaign tag added: the same video.
      'https://www.youtube.com/watch?v=AbC&utm_source=newsletter',
      // Trailing slash and a fragment: the same reel.
      'https://www.instagram.com/reel/Cx1#comments',
      // Host case: the same clip.
      'https://WWW.TikTok.com/@acme/video/1',
      // A YouTube start time is not tracking: another view of the content, evaluated.
      'https://www.youtube.com/watch?v=Keep1&t=42',
      // Another video id: new.
      'https://www.youtube.com/watch?v=AbD'
    ]
    await writeFile(join(repo, 'content', 'urls.txt'), `${head.join('\n')}\n`)
    git(repo, 'commit', '-q', '-am', 'head')
    const files = ['content/urls.txt']
    const urls = (await loadUrlLists(files, { cwd: repo })).urls
    const changed = await changedUrls(urls, { files, cwd: repo, env: await prEnv(base) })
    expect(changed.urls.map(u => u.url)).toEqual([head[3], head[4]])
    expect(changed.skippedUnchanged).toBe(3)
  })

  it('outside a pull request returns every URL and says so', async () => {
    const urls = await headUrls(origin)
    const event = join(root, 'push.json')
    await writeFile(event, JSON.stringify({ ref: 'refs/heads/main', after: 'f'.repeat(40) }))
    const changed = await changedUrls(urls, {
      files: FILES,
      cwd: origin,
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event }
    })
    expect(changed).toEqual({
      urls,
      skippedUnchanged: 0,
      note: 'only-changed: not a pull request (push), so every URL is evaluated'
    })
  })
})

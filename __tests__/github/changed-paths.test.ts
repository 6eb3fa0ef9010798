import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { changedPathsSince } from '../../src/github/changed-paths.js'

let repo: string
let base: string
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e'
    }
  })
    .toString()
    .trim()
const bytes = (n: number, fill: number) => Buffer.alloc(n, fill)

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'pique-changed-'))
  git('init', '-q', '-b', 'main')
  mkdirSync(join(repo, 'media'))
  writeFileSync(join(repo, 'media/keep.mp4'), bytes(4000, 1))
  writeFileSync(join(repo, 'media/edit.mp4'), bytes(4000, 2))
  writeFileSync(join(repo, 'media/move.mp4'), bytes(4000, 3))
  writeFileSync(join(repo, 'media/move-edit.png'), bytes(4000, 4))
  writeFileSync(join(repo, 'media/gone.wav'), bytes(4000, 5))
  git('add', '.')
  git('commit', '-qm', 'base')
  base = git('rev-parse', 'HEAD')
  writeFileSync(join(repo, 'media/edit.mp4'), bytes(4000, 9))
  renameSync(join(repo, 'media/move.mp4'), join(repo, 'media/moved.mp4'))
  const edited = bytes(4000, 4)
  edited[0] = 7
  renameSync(join(repo, 'media/move-edit.png'), join(repo, 'media/moved-edit.png'))
  writeFileSync(join(repo, 'media/moved-edit.png'), edited)
  rmSync(join(repo, 'media/gone.wav'))
  writeFileSync(join(repo, 'media/new.mp4'), bytes(4000, 6))
  git('add', '-A')
  git('commit', '-qm', 'head')
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

describe('changedPathsSince', () => {
  it('lists added and edited files; a file moved unchanged is not changed, moved and edited is', async () => {
    const changed = await changedPathsSince(base, { cwd: repo, commitAvailable: true })
    expect(changed).toEqual({
      ok: true,
      via: 'git',
      changed: new Set(['media/edit.mp4', 'media/moved-edit.png', 'media/new.mp4'])
    })
  })

  it('answers relative to a subfolder', async () => {
    const changed = await changedPathsSince(base, { cwd: join(repo, 'media'), commitAvailable: true })
    expect(changed.ok && [...changed.changed].sort()).toEqual(['edit.mp4', 'moved-edit.png', 'new.mp4'])
  })

  it('says why it cannot tell when neither git nor the API can answer', async () => {
    const changed = await changedPathsSince('0'.repeat(40), { cwd: repo, commitAvailable: false })
    expect(changed).toEqual({ ok: false, reason: expect.stringMatching(/no github-token/) })
  })
})

/** restrictedRun: which events show a run without secrets and with a read-only token. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { restrictedRun } from '../../src/github/event.js'

const EVENTS = resolve('__tests__/fixtures/events')
const dir = mkdtempSync(join(tmpdir(), 'pique-event-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const env = (payload: string | object, over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  let path = resolve(EVENTS, String(payload))
  if (typeof payload === 'object') {
    path = join(dir, `event-${Math.random().toString(36).slice(2)}.json`)
    writeFileSync(path, JSON.stringify(payload))
  }
  return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path, GITHUB_ACTOR: 'someone', ...over }
}

describe('restrictedRun', () => {
  it('a pull request from a fork, naming the fork', () => {
    expect(restrictedRun(env('pull_request-fork.json'))).toEqual({
      by: 'fork',
      why: expect.stringContaining('the fork octo-contributor/site')
    })
  })

  it('a fork that was deleted (head.repo null) is still a fork', () => {
    const payload = JSON.parse(readFileSync(resolve(EVENTS, 'pull_request-fork.json'), 'utf8'))
    payload.pull_request.head.repo = null
    expect(restrictedRun(env(payload))).toMatchObject({ by: 'fork', why: expect.stringContaining('deleted') })
  })

  it('any event Dependabot triggered, pull request or push', () => {
    expect(restrictedRun(env('pull_request-dependabot.json', { GITHUB_ACTOR: 'dependabot[bot]' }))?.by).toBe(
      'dependabot'
    )
    expect(
      restrictedRun(env({ ref: 'refs/heads/x' }, { GITHUB_EVENT_NAME: 'push', GITHUB_ACTOR: 'dependabot[bot]' }))?.by
    ).toBe('dependabot')
  })

  it('not a branch of the same repository, pull_request_target, a push, or no payload', () => {
    expect(restrictedRun(env('pull_request-same-repo.json'))).toBeUndefined()
    // A person pushing to Dependabot's branch: their run gets secrets.
    expect(restrictedRun(env('pull_request-dependabot.json'))).toBeUndefined()
    expect(restrictedRun(env('pull_request-fork.json', { GITHUB_EVENT_NAME: 'pull_request_target' }))).toBeUndefined()
    expect(restrictedRun(env({ ref: 'refs/heads/main' }, { GITHUB_EVENT_NAME: 'push' }))).toBeUndefined()
    expect(restrictedRun({ GITHUB_EVENT_NAME: 'pull_request' })).toBeUndefined()
    expect(restrictedRun(env('no-such-file.json'))).toBeUndefined()
    // A payload without the head repository says nothing either way.
    expect(
      restrictedRun(env({ pull_request: { number: 1, base: { sha: 'b', repo: { full_name: 'a/b' } }, head: {} } }))
    ).toBeUndefined()
  })
})

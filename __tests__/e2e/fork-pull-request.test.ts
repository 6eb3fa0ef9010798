/**
 * The bundled action on pull requests whose runs get no secrets and a read-only token: from a fork, and from
 * Dependabot. With on-missing-key skip the step passes with one notice and no warning, and it sends nothing to the
 * GitHub API (a local stand-in records every request). The event payloads are files like the runner's
 * (`__tests__/fixtures/events/`).
 */
import { resolve } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../report/fake-github.js'
import { type ActionRun, type Environment, runAction, startEnvironment } from './harness.js'
import { SCENARIO, judgeYaml, urlList } from './fixtures.js'

const EVENTS = resolve('__tests__/fixtures/events')

let env: Environment
let github: FakeGitHub

beforeAll(async () => {
  env = await startEnvironment(SCENARIO)
  github = new FakeGitHub()
  await github.start()
})
afterAll(async () => {
  await github?.stop()
  await env?.close()
})
beforeEach(() => {
  github.requests.length = 0
  github.comments.clear()
})

/** The action on `pull_request` (or `eventName`) with this payload file, as `actor`, without an api-key secret. */
const onPullRequest = (
  payload: string,
  { actor = 'octo-contributor', eventName = 'pull_request', inputs = {} as Record<string, string> } = {}
): Promise<ActionRun> =>
  runAction(
    env,
    {
      judge: 'judge.yml',
      urls: 'urls.txt',
      threshold: '0.7',
      'api-key': '',
      comment: 'true',
      // A fork's run still has GITHUB_TOKEN (read-only): the action gets a token, the event says it cannot write.
      'github-token': 'ghs_read_only_token',
      ...inputs
    },
    { 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1', 'pass/2') },
    {
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: resolve(EVENTS, payload),
      GITHUB_ACTOR: actor,
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '88'
    }
  )

const commands = (run: ActionRun, name: string): string[] =>
  run.stdout.split('\n').filter(line => line.startsWith(`::${name}`))

describe('a pull request whose run gets no secrets and a read-only token', () => {
  it('from a fork: passes with one notice naming the fork, no warning, and no request to the GitHub API', async () => {
    const run = await onPullRequest('pull_request-fork.json')
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ verdict: 'skipped', passed: 'false' })
    const notices = commands(run, 'notice')
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain('api-key is empty because this pull request comes from the fork octo-contributor/site')
    expect(notices[0]).toContain('on-missing-key: skip')
    expect(commands(run, 'warning')).toEqual([])
    expect(commands(run, 'error')).toEqual([])
    expect(github.requests).toEqual([])
    expect(run.stdout).toContain('Pull request comment not posted')
    expect(run.summary).toContain('Pique gate skipped')
    expect(run.summary).toContain('octo-contributor/site')
    expect(run.report?.verdict).toBe('skipped')
  })

  it('from Dependabot: the same, and says to add the key as a Dependabot secret', async () => {
    const run = await onPullRequest('pull_request-dependabot.json', { actor: 'dependabot[bot]' })
    expect(run.code).toBe(0)
    expect(run.outputs.verdict).toBe('skipped')
    const notices = commands(run, 'notice')
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain('triggered by Dependabot')
    expect(notices[0]).toContain('Dependabot secret')
    expect(commands(run, 'warning')).toEqual([])
    expect(github.requests).toEqual([])
  })

  it('with on-missing-key fail it still fails, and still sends nothing to the GitHub API', async () => {
    const run = await onPullRequest('pull_request-fork.json', { inputs: { 'on-missing-key': 'fail' } })
    expect(run.code).toBe(1)
    expect(run.outputs.verdict).toBe('error')
    expect(commands(run, 'error')).toEqual([
      expect.stringMatching(
        /^::error::api-key is empty because this pull request comes from the fork .*on-missing-key: fail/
      )
    ])
    expect(github.requests).toEqual([])
  })
})

describe('runs that do get secrets and a token that can write', () => {
  it('a pull request from a branch of the repository without the secret: a warning (likely unset), and the comment', async () => {
    const run = await onPullRequest('pull_request-same-repo.json', { actor: 'acme-editor' })
    expect(run.code).toBe(0)
    expect(commands(run, 'notice')).toEqual([])
    expect(commands(run, 'warning')).toEqual([expect.stringContaining('api-key is empty')])
    expect(github.commentsOn(59)).toHaveLength(1)
    expect(github.commentsOn(59)[0].body).toContain('Pique gate skipped')
  })

  it('pull_request_target of a fork runs in the base repository: the comment is posted', async () => {
    const run = await onPullRequest('pull_request-fork.json', { eventName: 'pull_request_target' })
    expect(run.code).toBe(0)
    expect(commands(run, 'notice')).toEqual([])
    expect(github.commentsOn(57)).toHaveLength(1)
  })
})

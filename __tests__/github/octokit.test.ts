/**
 * The sticky PR comment through the real octokit (retry and throttling plugins) against the local fake GitHub API:
 * one server error or a short secondary rate limit does not cost the comment; a permission answer is not retried.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createOctokit } from '../../src/github/octokit.js'
import { upsertStickyComment } from '../../src/github/sticky-comment.js'
import { FakeGitHub } from '../report/fake-github.js'

const PR = { eventName: 'pull_request', owner: 'acme', repo: 'site', number: 7, baseSha: 'b'.repeat(40) }
const MARKER = '<!-- pique-gate: judge.yml -->'
const LIST = 'GET /repos/acme/site/issues/7/comments?per_page=100'
const CREATE = 'POST /repos/acme/site/issues/7/comments'

let github: FakeGitHub
const octokit = () => createOctokit('ghs_faketoken', { GITHUB_API_URL: github.url })

beforeAll(async () => {
  github = new FakeGitHub()
  await github.start()
})
afterAll(() => github.stop())
beforeEach(() => {
  github.comments.clear()
  github.requests.length = 0
  github.faults.length = 0
  github.readOnly = false
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

describe('PR comment through octokit', () => {
  it('survives one 502 on the lookup', async () => {
    github.faults.push({ status: 502, body: { message: 'Bad Gateway' } })
    const result = await upsertStickyComment(octokit(), PR, MARKER, `${MARKER}\nverdict`)
    expect(result.action).toBe('created')
    expect(github.commentsOn(7).map(c => c.body)).toEqual([`${MARKER}\nverdict`])
    expect(github.requests).toEqual([LIST, LIST, CREATE])
  })

  it('survives one 502 on the update, and edits the comment in place', async () => {
    await upsertStickyComment(octokit(), PR, MARKER, `${MARKER}\nfirst`)
    const [{ id }] = github.commentsOn(7)
    github.requests.length = 0
    github.faults.push({ status: 502, method: 'PATCH', body: { message: 'Bad Gateway' } })
    const result = await upsertStickyComment(octokit(), PR, MARKER, `${MARKER}\nsecond`)
    expect(result).toEqual({ action: 'updated', commentId: id })
    expect(github.commentsOn(7).map(c => c.body)).toEqual([`${MARKER}\nsecond`])
    expect(github.requests).toEqual([
      LIST,
      `PATCH /repos/acme/site/issues/comments/${id}`,
      `PATCH /repos/acme/site/issues/comments/${id}`
    ])
  })

  it('survives one 502 on the create, and posts one comment', async () => {
    github.faults.push({ status: 502, method: 'POST', body: { message: 'Bad Gateway' } })
    const result = await upsertStickyComment(octokit(), PR, MARKER, `${MARKER}\nverdict`)
    expect(result.action).toBe('created')
    expect(github.commentsOn(7)).toHaveLength(1)
    expect(github.requests).toEqual([LIST, CREATE, CREATE])
  })

  it('waits out a short secondary rate limit once', async () => {
    github.faults.push({
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }
    })
    const result = await upsertStickyComment(octokit(), PR, MARKER, `${MARKER}\nverdict`)
    expect(result.action).toBe('created')
    expect(github.requests).toEqual([LIST, LIST, CREATE])
  })

  it('does not retry a permission answer: a read-only token is reported as forbidden after one try', async () => {
    github.readOnly = true
    const result = await upsertStickyComment(octokit(), PR, MARKER, `${MARKER}\nverdict`)
    expect(result).toMatchObject({ action: 'forbidden', status: 403 })
    expect(github.requests).toEqual([LIST, CREATE])
  })

  it('gives up after the retries when the API keeps failing, with the status in the error', async () => {
    github.faults.push(...[1, 2, 3].map(() => ({ status: 503, body: { message: 'Service Unavailable' } })))
    await expect(upsertStickyComment(octokit(), PR, MARKER, `${MARKER}\nverdict`)).rejects.toMatchObject({
      status: 503
    })
    expect(github.requests).toEqual([LIST, LIST, LIST])
  })
})

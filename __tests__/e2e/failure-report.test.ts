/**
 * The bundled action (dist/index.js) on a pull_request event when the gate cannot run (wrong API key, unknown judge
 * id): the job summary says why, the JSON report has the error, and the sticky PR comment that said "passed" is
 * edited in place to the failure. The bundled CLI writes the same JSON.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { commentMarker } from '../../src/report/comment.js'
import type { FakeGitHub } from '../report/fake-github.js'
import {
  API_KEY,
  CLI_BUNDLE,
  type Environment,
  type PullRequestSetup,
  reportOf,
  spawnNode,
  startPullRequest
} from './harness.js'
import { SCENARIO, judgeYaml, urlList } from './fixtures.js'

const PR = 12
const WRONG_KEY = 'pk_wrong_key_0123456789'
const UNKNOWN_JUDGE = '00000000-0000-4000-8000-000000000000'

let env: Environment
let github: FakeGitHub
let setup: PullRequestSetup | undefined

beforeAll(async () => {
  setup = await startPullRequest(PR, SCENARIO)
  env = setup.env
  github = setup.github
})
afterAll(async () => {
  await setup?.close()
})

const gate = (files: Record<string, string>, inputs: Record<string, string>) =>
  (setup as PullRequestSetup).gate(files, inputs)

const commentsWith = (marker: string) => github.commentsOn(PR).filter(c => c.body.startsWith(marker))

describe('a run that cannot reach a verdict, on a pull request', () => {
  it('wrong API key: the passed comment becomes the failure, the summary and JSON report say why', async () => {
    const files = { 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1', 'good/2') }
    const marker = commentMarker('judge.yml')
    const passed = await gate(files, {})
    expect(passed.code).toBe(0)
    expect(commentsWith(marker)).toHaveLength(1)
    const { id } = commentsWith(marker)[0]
    expect(commentsWith(marker)[0].body).toContain('## ✅ Pique gate passed')

    const run = await gate(files, { 'api-key': WRONG_KEY })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ passed: 'false', 'failed-count': '0', 'report-path': 'pique-gate-report.json' })
    expect(run.stdout).toMatch(/::error::.*401/)

    expect(run.summary).toContain('## ❌ Pique gate could not run')
    expect(run.summary).toMatch(/\*\*[^\n]*401[^\n]*\*\*/)
    expect(run.summary).toContain('Check the api-key secret')

    const report = reportOf(run)
    expect(report.verdict).toBe('failed')
    expect(report.reason).toContain('401')
    expect(report.error).toMatchObject({ kind: 'auth', message: report.reason })
    expect(report.error?.planned_urls.map(u => u.url)).toEqual([
      'https://clips.example/pass/1',
      'https://clips.example/good/2'
    ])

    const [comment] = commentsWith(marker)
    expect(commentsWith(marker)).toHaveLength(1)
    expect(comment.id).toBe(id)
    expect(comment.body).toContain('## ❌ Pique gate could not run')
    expect(comment.body).not.toContain('Pique gate passed')

    for (const text of [run.summary, comment.body, JSON.stringify(run.report)]) expect(text).not.toContain(WRONG_KEY)
  })

  it('unknown judge id: the comment filed under that id is updated in place', async () => {
    const marker = commentMarker(UNKNOWN_JUDGE)
    const old = github.addComment(
      PR,
      `${marker}\n## ✅ Pique gate passed\n\n**The 1 evaluated URL scored at least 0.70**\n`
    )
    const run = await gate({ 'urls.txt': urlList('pass/1') }, { judge: '', 'judge-id': UNKNOWN_JUDGE })
    expect(run.code).toBe(1)
    expect(run.outputs.passed).toBe('false')
    expect(run.summary).toContain(`Judge ${UNKNOWN_JUDGE} not found: check the id`)
    expect(run.summary).toContain(`- Judge id: ${UNKNOWN_JUDGE}`)
    expect(reportOf(run).error?.kind).toBe('gate')

    const mine = commentsWith(marker)
    expect(mine).toHaveLength(1)
    expect(mine[0].id).toBe(old.id)
    expect(mine[0].body).toContain('## ❌ Pique gate could not run')
    expect(mine[0].body).toContain(`Judge ${UNKNOWN_JUDGE} not found`)
  })

  it('a config error is annotated at file:line and reported the same way', async () => {
    const run = await gate(
      { 'judge.yml': judgeYaml(), 'urls.txt': '# clips\nhttps://clips.example/pass/1\nftp://clips.example/x\n' },
      { 'junit-path': 'junit.xml' }
    )
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n').filter(l => l.startsWith('::error file='))).toEqual([
      expect.stringMatching(/^::error file=urls.txt,line=3,col=\d+.*::.*expected an http or https URL/)
    ])
    expect(run.summary).toContain('1 problem in the configuration:')
    expect(run.summary).toMatch(/- urls.txt:3:\d+: .*expected an http or https URL/)
    expect(reportOf(run).error).toMatchObject({
      kind: 'config',
      problems: [{ line: 3 }]
    })
  })
})

describe('a bad input, before any setting can be trusted', () => {
  it('fails the step with the reason in the summary, writes no JSON and leaves the PR comment alone', async () => {
    const before = github.commentsOn(PR).map(c => c.body)
    const run = await gate({ 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1') }, { threshold: '7' })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ passed: 'false', 'report-path': '' })
    expect(run.stdout).toContain('::error::threshold: expected a number from 0 to 1, got "7"')
    expect(run.summary).toContain('## ❌ Pique gate could not run')
    expect(run.summary).toContain('**threshold: expected a number from 0 to 1, got &#34;7&#34;**')
    // The hint speaks of the workflow, not of command-line flags.
    expect(run.summary).toMatch(/Fix that input in the workflow step(&#39;|')s with: block and re-run\./)
    expect(run.summary).not.toMatch(/flag/)
    expect(run.report).toBeUndefined()
    expect(github.commentsOn(PR).map(c => c.body)).toEqual(before)
  })
})

describe('the CLI (dist/cli/index.js) when the gate cannot run', () => {
  it('prints why, writes the JSON report with the error and exits 1 (2 for a config error)', async () => {
    writeFileSync(join(env.dir, 'judge.yml'), judgeYaml())
    writeFileSync(join(env.dir, 'cli-urls.txt'), urlList('pass/1'))
    const common = [
      'run',
      '--judge',
      'judge.yml',
      '--urls',
      'cli-urls.txt',
      '--threshold',
      '0.7',
      '--api-url',
      env.emulator.url
    ]
    const run = await spawnNode([CLI_BUNDLE, ...common, '--report-path', 'cli-error.json'], env.dir, {
      PATH: process.env.PATH ?? '',
      HOME: env.dir,
      PIQUE_API_KEY: WRONG_KEY
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^PIQUE GATE COULD NOT RUN: .*401/m)
    // Said once, on stdout with the report: not repeated on stderr.
    expect(run.stderr).not.toMatch(/401/)
    const report = JSON.parse(readFileSync(join(env.dir, 'cli-error.json'), 'utf8')) as {
      verdict: string
      error: { kind: string }
    }
    expect(report).toMatchObject({ verdict: 'failed', error: { kind: 'auth' } })
    expect(run.stdout + run.stderr + JSON.stringify(report)).not.toContain(WRONG_KEY)

    const bad = await spawnNode(
      [CLI_BUNDLE, ...common, '--urls', 'missing.txt', '--report-path', 'cli-config.json'],
      env.dir,
      { PATH: process.env.PATH ?? '', HOME: env.dir, PIQUE_API_KEY: API_KEY }
    )
    expect(bad.code).toBe(2)
    expect(existsSync(join(env.dir, 'cli-config.json'))).toBe(true)
  })
})

// A token the store stops accepting after the submit (rotated mid-run) is covered in __tests__/gate/failure-progress.
describe('a wrong store token', () => {
  it('fails the action before anything is submitted (billed), naming store-token', async () => {
    const posts = async () => {
      const res = await fetch(new URL('/_emulator/requests', env.emulator.url))
      const { requests } = (await res.json()) as { requests: { method: string; path: string }[] }
      return requests.filter(r => r.method === 'POST').map(r => r.path)
    }
    const before = await posts()
    const run = await gate(
      { 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1', 'good/2') },
      { wait: 'store', 'store-url': env.store.url, 'store-token': 'st_wrong_token_0123' }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      '::error::store-token: the store refused the read token (HTTP 401); nothing was submitted'
    )
    expect(run.summary).toContain('store-token: the store refused the read token')
    // No batch submitted (and no judge created): the emulator received no new POST, /v1/evaluations/social-media included.
    const after = await posts()
    expect(after).toEqual(before)
    expect(after.slice(before.length)).not.toContain('/v1/evaluations/social-media')
    // (The runner is told to mask it: that ::add-mask:: line is the only place it may appear.)
    const logged = run.stdout.replace(/^::add-mask::.*$/gm, '')
    for (const text of [logged, run.summary, JSON.stringify(run.report)])
      expect(text).not.toContain('st_wrong_token_0123')
  })
})

describe('the CLI (dist/cli/index.js) with a usage error', () => {
  const cliEnv = () => ({ PATH: process.env.PATH ?? '', HOME: env.dir, PIQUE_API_KEY: API_KEY })

  it('prints a bad flag once, with a hint about flags, and exits 2', async () => {
    writeFileSync(join(env.dir, 'judge.yml'), judgeYaml())
    writeFileSync(join(env.dir, 'cli-urls.txt'), urlList('pass/1'))
    const run = await spawnNode(
      [
        CLI_BUNDLE,
        'run',
        '--judge',
        'judge.yml',
        '--urls',
        'cli-urls.txt',
        '--threshold',
        '2',
        '--api-url',
        env.emulator.url
      ],
      env.dir,
      cliEnv()
    )
    expect(run.code).toBe(2)
    expect(run.stdout).toBe(
      'PIQUE GATE COULD NOT RUN: --threshold: expected a number from 0 to 1, got "2"\nFix the flag (see pique-gate run --help) and re-run.\n'
    )
    expect(run.stderr).not.toContain('--threshold')
  })

  it('an unknown option: one line and where to look, not the whole help; exit 2', async () => {
    const run = await spawnNode([CLI_BUNDLE, 'run', '--bogus'], env.dir, cliEnv())
    expect(run.code).toBe(2)
    expect(run.stderr).toBe("error: unknown option '--bogus'\n(see pique-gate run --help)\n")
    expect(run.stdout).toBe('')
  })

  it("--help describes --timeout-minutes as the whole run's budget, as action.yml does", async () => {
    const run = await spawnNode([CLI_BUNDLE, 'run', '--help'], env.dir, cliEnv())
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(
      "--timeout-minutes <minutes> the run's whole time budget (judge, submit, wait"
    )
  })
})

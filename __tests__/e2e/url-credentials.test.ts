/**
 * A password in a URL reaches no output. The bundled action and CLI run against the emulator and a local GitHub
 * API with one distinctive password in every URL-bearing input (api-url, store-url, webhook-url, their flags and
 * PIQUE_* variables) and in URL lists (files and the url-list input). Each run is refused with an error naming the
 * input or the file:line, and the password is in no stdout or stderr line, no file the run wrote (JSON report,
 * JUnit, job summary, outputs) and no request body the GitHub API received.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { FakeGitHub } from '../report/fake-github.js'
import { API_KEY, CLI_BUNDLE, type Environment, type PullRequestSetup, spawnNode, startPullRequest } from './harness.js'
import { SCENARIO, judgeYaml, urlList } from './fixtures.js'

const PASSWORD = 'Zq7-leaky-P4ssw0rd'
const PR = 41

let env: Environment
let github: FakeGitHub
let setup: PullRequestSetup | undefined

beforeAll(async () => {
  setup = await startPullRequest(PR, SCENARIO, '77')
  env = setup.env
  github = setup.github
})
afterAll(async () => {
  await setup?.close()
})

/** `http://lumen:PASSWORD@host/path` for a base URL. */
const withPassword = (url: string) => url.replace('://', `://lumen:${PASSWORD}@`)

/** Every place the password must not be; `inputs` are the files the test wrote, left out. */
function assertNoPassword(texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts)) {
    const found = text.toLowerCase().includes(PASSWORD.toLowerCase())
    expect({ where, found }).toEqual({ where, found: false })
  }
}

function writtenFiles(dir: string, inputs: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (inputs.includes(name) || name === 'event.json') continue
    try {
      out[name] = readFileSync(join(dir, name), 'utf8')
    } catch {
      // a folder
    }
  }
  return out
}

const FILES = { 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1') }

async function action(inputs: Record<string, string>, files: Record<string, string> = FILES) {
  const bodies = github.bodies.length
  const run = await (setup as PullRequestSetup).gate(files, { 'junit-path': 'junit.xml', ...inputs })
  const texts: Record<string, string> = {
    stdout: run.stdout,
    stderr: run.stderr,
    ...writtenFiles(run.workspace, Object.keys(files)),
    ...Object.fromEntries(github.bodies.slice(bodies).map((b, i) => [`GitHub request body ${i + 1}`, b]))
  }
  return { run, texts }
}

describe('the action', () => {
  it.each([
    ['api-url', () => ({ 'api-url': withPassword(env.emulator.url) })],
    ['store-url', () => ({ 'store-url': withPassword(env.store.url), 'store-token': env.storeToken })],
    ['webhook-url', () => ({ 'webhook-url': withPassword('https://hooks.example/pique') })]
  ])('%s with a password: a settings error naming the input, the password nowhere', async (input, inputs) => {
    const { run, texts } = await action(inputs())
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`::error::${input}: must not hold a user name or password (`)
    expect(run.summary).toContain(`Fix that input in the workflow step`)
    expect(run.summary).not.toMatch(/report it/)
    // *** and @ as markdown entities: the user information is shown replaced, not dropped.
    expect(texts['summary.md']).toContain('&#42;&#42;&#42;&#64;')
    assertNoPassword(texts)
  })

  it('URL lists with a password (file, YAML list, url-list input): refused at file:line, the password nowhere', async () => {
    const files = {
      ...FILES,
      'urls.txt': `${urlList('pass/1')}${withPassword('https://clips.example/pass/2')}\n`,
      'more.yml': `- https://clips.example/good/1\n- url: ${withPassword('https://clips.example/good/2')}\n`
    }
    const { run, texts } = await action(
      { urls: 'urls.txt\nmore.yml', 'url-list': withPassword('https://clips.example/pass/3') },
      files
    )
    expect(run.code).toBe(1)
    const annotations = run.stdout.split('\n').filter(l => /^::error .*file=/.test(l))
    expect(annotations).toEqual([
      expect.stringMatching(/^::error file=urls.txt,line=3,col=1::must not hold a user name or password/),
      expect.stringMatching(/^::error title=\[1\].url,file=more.yml,line=2,col=8::must not hold a user name/),
      expect.stringMatching(/^::error file=url-list,line=1,col=1::must not hold a user name or password/)
    ])
    const report = JSON.parse(texts['pique-gate-report.json']) as { error: { kind: string }; inputs: object }
    expect(report.error.kind).toBe('config')
    expect(JSON.stringify(report.inputs)).toContain('https://***@clips.example/pass/3')
    // The failure was posted to the pull request: that request body is checked too.
    expect(github.bodies.length).toBeGreaterThan(0)
    expect(texts['junit.xml']).toContain('must not hold a user name or password')
    assertNoPassword(texts)
  })
})

describe('the CLI', () => {
  const base = () => ({ PATH: process.env.PATH ?? '', HOME: env.dir, PIQUE_API_KEY: API_KEY })
  const common = ['run', '--judge', 'judge.yml', '--urls', 'cli-urls.txt', '--threshold', '0.7']

  async function cli(args: string[], variables: Record<string, string>) {
    writeFileSync(join(env.dir, 'judge.yml'), judgeYaml())
    writeFileSync(join(env.dir, 'cli-urls.txt'), urlList('pass/1'))
    const report = `cli-${Math.random().toString(36).slice(2)}.json`
    const run = await spawnNode(
      [CLI_BUNDLE, ...common, ...args, '--report-path', report, '--junit-path', `${report}.xml`],
      env.dir,
      {
        ...base(),
        ...variables
      }
    )
    const texts: Record<string, string> = { stdout: run.stdout, stderr: run.stderr }
    for (const file of [report, `${report}.xml`]) {
      try {
        texts[file] = readFileSync(join(env.dir, file), 'utf8')
      } catch {
        // not written: a settings error leaves no report path to trust
      }
    }
    return { run, texts }
  }

  it.each([
    ['--api-url', () => ({ args: ['--api-url', withPassword(env.emulator.url)], vars: {} })],
    ['--api-url', () => ({ args: [], vars: { PIQUE_API_URL: withPassword(env.emulator.url) } })],
    [
      '--store-url',
      () => ({
        args: ['--api-url', env.emulator.url],
        vars: { PIQUE_STORE_URL: withPassword(env.store.url), PIQUE_STORE_TOKEN: env.storeToken }
      })
    ],
    [
      '--webhook-url',
      () => ({
        args: ['--api-url', env.emulator.url, '--webhook-url', withPassword('https://hooks.example/p')],
        vars: {}
      })
    ]
  ])('%s with a password (flag or environment): exit 2, the password nowhere', async (flag, given) => {
    const { args, vars } = given()
    const { run, texts } = await cli(args, vars)
    expect(run.code).toBe(2)
    expect(run.stdout).toContain(`${flag}: must not hold a user name or password (`)
    expect(run.stdout).toContain('Fix the flag')
    expect(run.stdout).not.toMatch(/report it/)
    assertNoPassword(texts)
  })

  it('URL lists with a password: exit 2, problems at file:line, the password in no output or report', async () => {
    writeFileSync(join(env.dir, 'cli-creds.txt'), `${withPassword('https://clips.example/pass/9')}\n`)
    const { run, texts } = await cli(
      ['--api-url', env.emulator.url, '--urls', 'cli-creds.txt', '--url-list', withPassword('https://clips.example/x')],
      {}
    )
    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(/cli-creds.txt:1:1: must not hold a user name or password \(https:\/\/\*\*\*@clips/)
    expect(run.stdout).toMatch(/url-list:1:1: must not hold a user name or password/)
    expect(Object.keys(texts)).toHaveLength(4)
    assertNoPassword(texts)
  })
})

/**
 * Runs the BUNDLED action (dist/index.js) as GitHub does: a fresh `node` process with INPUT_* variables (dashed
 * names upper-cased: INPUT_API-KEY), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_EVENT_PATH files, against an
 * emulator and a webhook store started in the test process.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import {
  DEFAULT_EMULATOR_API_KEY,
  type EmulatorOptions,
  NO_FAULTS,
  type ScenarioRule
} from '../../src/emulator/options.js'
import { startEmulator } from '../../src/emulator/server.js'
import { MATCHING_REFERENCE } from './fixtures.js'
import type { RunningEmulator } from '../../src/emulator/options.js'
import { STORE_PATHS } from '../../src/store/protocol.js'
import { startStore } from '../../src/store/server.js'
import type { RunningStore } from '../../src/store/options.js'
import { FakeGitHub } from '../report/fake-github.js'
import type { JsonFile, JsonReport } from '../../src/report/json.js'

/** PIQUE_GATE_DIST runs a copy of the bundles (a long suite keeps its build while dist/ is rebuilt). */
export const DIST = resolve(process.env.PIQUE_GATE_DIST ?? 'dist')
export const ACTION_BUNDLE = join(DIST, 'index.js')
export const CLI_BUNDLE = join(DIST, 'cli', 'index.js')
export const EMULATOR_ACTION_BUNDLE = join(DIST, 'emulator-action', 'index.js')
export const API_KEY = DEFAULT_EMULATOR_API_KEY

/** Emulator faults under which no webhook is ever delivered. */
export const LOSE_EVERY_WEBHOOK: EmulatorOptions['faults'] = {
  ...NO_FAULTS,
  webhooks: { ...NO_FAULTS.webhooks, dropRate: 1 }
}

export interface Environment {
  emulator: RunningEmulator
  store: RunningStore
  storeToken: string
  /** The store's webhook secret, for tests that deliver results themselves. */
  webhookSecret: string
  dir: string
  close(): Promise<void>
}

/** Fast timings: every job finishes within ~100 ms, a matching judge is ready after 150 ms. */
export async function startEnvironment(
  scenario: ScenarioRule[],
  overrides: Partial<EmulatorOptions> = {}
): Promise<Environment> {
  if (!existsSync(ACTION_BUNDLE)) throw new Error('dist/index.js is missing: run npm run package first')
  const dir = mkdtempSync(join(tmpdir(), 'pique-gate-e2e-'))
  const secret = randomBytes(16).toString('hex')
  const storeToken = randomBytes(16).toString('hex')
  const store = await startStore({
    database: `sqlite:${join(dir, 'store.db')}`,
    webhookSecrets: [secret],
    readTokens: [storeToken]
  })
  const emulator = await startEmulator({
    organizations: [
      {
        id: 'org_e2e',
        apiKeys: [API_KEY],
        webhookUrl: new URL(STORE_PATHS.ingest, store.url).toString(),
        webhookSecret: secret
      }
    ],
    timings: { judgeReadyMs: 150, awaitingUploadMs: 10, pendingMs: 10, processingMs: 30 },
    webhookRetry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 2000 },
    scenario,
    // The reference the judge files name (fixtures.ts MATCHING_DETECTOR), as if uploaded before.
    preloadedReferences: [MATCHING_REFERENCE],
    ...overrides
  })
  return {
    emulator,
    store,
    storeToken,
    webhookSecret: secret,
    dir,
    async close() {
      await emulator.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export interface ActionRun {
  /** The folder the action ran in (its inputs, and every file it wrote). */
  workspace: string
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** The JSON report (snake_case, see docs/report.md), when the run wrote one. */
  report?: JsonReport
}

/** The run's JSON report; a run that wrote none fails the test here. */
export function reportOf(run: ActionRun): JsonReport {
  if (!run.report) throw new Error(`no JSON report (exit ${run.code})\n${run.stdout}\n${run.stderr}`)
  return run.report
}

/** The report's items, every one of which must be a file. */
export function fileItems(run: ActionRun): JsonFile[] {
  return reportOf(run).items.map(item => {
    if (item.kind !== 'file') throw new Error(`${item.url}: a URL item where a file was expected`)
    return item
  })
}

/** Writes a pull_request event for PR `number` of acme/site into `dir`; returns the variables a runner sets for it. */
export function pullRequestEnv(dir: string, number: number): Record<string, string> {
  const event = join(dir, `pr-${number}-event.json`)
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: { number, base: { sha: 'b'.repeat(40), ref: 'main' }, head: { sha: 'c0ffee'.padEnd(40, '0') } },
      repository: { full_name: 'acme/site' }
    })
  )
  return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event }
}

/** Parses GITHUB_OUTPUT's `name<<DELIMITER\nvalue\nDELIMITER` records. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
    out[m[1]] = value.join('\n')
  }
  return out
}

/** An environment, a local GitHub API and the variables of a pull_request run that uses it. */
export interface PullRequestSetup {
  env: Environment
  github: FakeGitHub
  /** GITHUB_* variables of the pull_request event (its event file is written into the environment's folder). */
  prEnv: Record<string, string>
  /** The action on this pull request: judge.yml, urls.txt, threshold 0.7, wait api, the comment on; `inputs` win. */
  gate(files: Record<string, string>, inputs: Record<string, string>): Promise<ActionRun>
  close(): Promise<void>
}

export async function startPullRequest(pr: number, scenario: ScenarioRule[], runId = '31'): Promise<PullRequestSetup> {
  const env = await startEnvironment(scenario)
  const github = new FakeGitHub()
  await github.start()
  const prEnv = {
    ...pullRequestEnv(env.dir, pr),
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: runId
  }
  const inputs = {
    judge: 'judge.yml',
    urls: 'urls.txt',
    threshold: '0.7',
    wait: 'api',
    comment: 'true',
    'github-token': 'ghs_fake'
  }
  return {
    env,
    github,
    prEnv,
    gate: (files, given) => runAction(env, { ...inputs, ...given }, files, prEnv),
    async close() {
      await github.stop()
      await env.close()
    }
  }
}

let counter = 0

/**
 * Writes `files` (text or bytes, nested paths allowed) into a fresh workspace and runs the action there with
 * `inputs`. `prepare` runs in the workspace before the action (a git history, say) and may return more variables.
 */
export async function runAction(
  env: Environment,
  inputs: Record<string, string>,
  files: Record<string, string | Buffer>,
  extraEnv: Record<string, string> = {},
  prepare?: (workspace: string) => Record<string, string> | void
): Promise<ActionRun> {
  const workspace = join(env.dir, `run-${++counter}`)
  const write = (name: string, text: string | Buffer) => {
    mkdirSync(dirname(join(workspace, name)), { recursive: true })
    writeFileSync(join(workspace, name), text)
  }
  mkdirSync(workspace, { recursive: true })
  for (const [name, text] of Object.entries(files)) write(name, text)
  write('event.json', JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/site' } }))
  write('output.txt', '')
  write('summary.md', '')
  const variables: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workspace,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(workspace, 'output.txt'),
    GITHUB_STEP_SUMMARY: join(workspace, 'summary.md'),
    GITHUB_EVENT_PATH: join(workspace, 'event.json'),
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/site',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    RUNNER_TEMP: workspace,
    'INPUT_API-URL': env.emulator.url,
    'INPUT_API-KEY': API_KEY,
    'INPUT_POLL-INTERVAL-SECONDS': '0.05',
    'INPUT_TIMEOUT-MINUTES': '0.5',
    INPUT_COMMENT: 'false',
    ...extraEnv
  }
  for (const [name, value] of Object.entries(inputs)) variables[`INPUT_${name.toUpperCase()}`] = value
  Object.assign(variables, prepare?.(workspace) ?? {})
  const { code, stdout, stderr } = await spawnNode([ACTION_BUNDLE], workspace, variables)
  const reportFile = join(workspace, inputs['report-path'] ?? 'pique-gate-report.json')
  return {
    workspace,
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(join(workspace, 'output.txt'), 'utf8')),
    summary: readFileSync(join(workspace, 'summary.md'), 'utf8'),
    report: existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined
  }
}

/** Async spawn: the emulator and store live in this process and must keep answering while the child runs. */
export function spawnNode(
  args: string[],
  cwd: string,
  env: Record<string, string>
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', code => resolvePromise({ code: code ?? -1, stdout, stderr }))
  })
}

/**
 * The emulator action's bundle run as the runner runs it: the main step with INPUT_* variables and GITHUB_STATE /
 * GITHUB_OUTPUT files, later steps using its outputs, then the post step with the saved state as STATE_* variables.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { CLI_BUNDLE, EMULATOR_ACTION_BUNDLE, parseOutputFile, spawnNode } from '../e2e/harness.js'

const BUNDLE = EMULATOR_ACTION_BUNDLE
const dir = mkdtempSync(join(tmpdir(), 'pique-emulator-action-'))
/** Emulators the tests started: stopped at the end should a test fail before its post step. */
const started: number[] = []
afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

let counter = 0

/** One job: a workspace with the runner's files; `step` runs the bundle as a main or post step. */
function job() {
  const workspace = join(dir, `job-${++counter}`)
  const files = { output: join(workspace, 'output.txt'), state: join(workspace, 'state.txt') }
  mkdirSync(workspace, { recursive: true })
  writeFileSync(files.output, '')
  writeFileSync(files.state, '')
  const base = (): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: workspace,
    GITHUB_WORKSPACE: workspace
  })
  return {
    workspace,
    async main(inputs: Record<string, string>) {
      const env: Record<string, string> = { ...base(), GITHUB_OUTPUT: files.output, GITHUB_STATE: files.state }
      for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
      const run = await spawnNode([BUNDLE], workspace, env)
      return { ...run, outputs: parseOutputFile(readFileSync(files.output, 'utf8')) }
    },
    async post() {
      const env = base()
      for (const [name, value] of Object.entries(parseOutputFile(readFileSync(files.state, 'utf8'))))
        env[`STATE_${name}`] = value
      return spawnNode([BUNDLE], workspace, env)
    },
    state: () => parseOutputFile(readFileSync(files.state, 'utf8'))
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('emulator action', () => {
  it('starts the emulator with a scenario, gates against its url and api-key outputs, and stops it in the post step', async () => {
    const j = job()
    const key = 'pk_action_test_key'
    const main = await j.main({
      scenario: resolve('examples/demo-scenario.yml'),
      'api-key': key,
      args: '--processing-ms 20\n--judge-ready-ms 20',
      port: '0'
    })
    expect(main.code).toBe(0)
    expect(main.stdout).toContain(`::add-mask::${key}`)
    expect(main.outputs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(main.outputs['api-key']).toBe(key)
    const pid = Number(j.state().pid)
    started.push(pid)
    expect(alive(pid)).toBe(true)

    // A later step: the gate CLI against the outputs. The scenario scores one clip 0.52, below 0.7.
    const gate = await spawnNode(
      [
        CLI_BUNDLE,
        'run',
        '--api-url',
        main.outputs.url,
        '--judge',
        resolve('examples/judge.yml'),
        '--urls',
        resolve('examples/urls.txt'),
        '--threshold',
        '0.7',
        '--wait',
        'api',
        '--poll-interval-seconds',
        '0.1',
        '--report-path',
        join(j.workspace, 'report.json')
      ],
      j.workspace,
      { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, PIQUE_API_KEY: main.outputs['api-key'] }
    )
    expect(gate.code).toBe(1)
    const report = JSON.parse(readFileSync(join(j.workspace, 'report.json'), 'utf8'))
    expect(report.verdict).toBe('failed')
    expect(report.min_score).toBe(0.52)
    expect(report.counts.below_threshold).toBe(1)

    const post = await j.post()
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(`Pique emulator (pid ${pid}) stopped`)
    expect(post.stdout).toContain('::group::Pique emulator log')
    expect(post.stdout).toContain('Pique emulator stopped')
    expect(post.stdout).not.toContain(key)
    expect(alive(pid)).toBe(false)
    await expect(fetch(main.outputs.url + '/v1/judges')).rejects.toThrow()
  })

  it('fails the main step with the emulator’s own error when the scenario file is wrong, and the post step copes', async () => {
    const j = job()
    const scenario = join(dir, 'bad-scenario.yml')
    writeFileSync(scenario, '- match: "*"\n  scroe: 0.5\n')
    const main = await j.main({ scenario, 'ready-timeout-seconds': '20' })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(/^::error::The Pique emulator stopped \(exit code 2\)/m)
    expect(main.stdout).toContain(`${scenario}:2:3: [0].scroe: unknown key (did you mean "score"?)`)
    expect(main.outputs.url).toBeUndefined()
    const post = await j.post()
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('had already stopped')
  })

  it('says so when the post step finds nothing to stop', async () => {
    const j = job()
    const post = await spawnNode([BUNDLE], j.workspace, {
      PATH: process.env.PATH ?? '',
      STATE_isPost: 'true'
    })
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('No Pique emulator to stop')
  })
})

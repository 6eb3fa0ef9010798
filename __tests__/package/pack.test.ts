/**
 * The CLI as npm users get it: `npm pack` of this repository, installed into an empty folder with Node 24 (from the
 * npm cache when it can), then the installed `pique-gate` validates, runs the emulator and a gate against it, runs the
 * demo on its packaged examples, and runs the store. Uses the bundle (`npm test` builds dist/ first).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEFAULT_EMULATOR_API_KEY, EMULATOR_LISTENING } from '../../src/emulator/options.js'

const repo = resolve('.')
const dir = mkdtempSync(join(tmpdir(), 'pique-pack-'))
const project = join(dir, 'project')
const bin = join(project, 'node_modules', '.bin', 'pique-gate')
// Node 24 first on PATH: npm and the installed bin's `#!/usr/bin/env node` run on it.
const env: NodeJS.ProcessEnv = { ...process.env, PATH: [dirname(process.execPath), process.env.PATH].join(delimiter) }
delete env.NODE_OPTIONS // jest's VM-modules flag is not for the installed CLI
const children: ChildProcess[] = []
let packed: { filename: string; files: { path: string }[] }

function exec(command: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', fail)
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }))
  })
}

/** Starts a long-running command and resolves with the first output line matching `ready`. */
function start(args: string[], ready: RegExp, extra: NodeJS.ProcessEnv = {}) {
  const child = spawn(bin, args, { cwd: project, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  return {
    child,
    output: () => output,
    ready: new Promise<RegExpExecArray>((done, fail) => {
      const look = (d: Buffer) => {
        output += d.toString()
        const match = ready.exec(output)
        if (match) done(match)
      }
      child.stdout.on('data', look)
      child.stderr.on('data', look)
      child.on('exit', code => fail(new Error(`pique-gate ${args[0]} exited with ${code}:\n${output}`)))
    })
  }
}

const stopped = (child: ChildProcess) =>
  new Promise<number | null>(done => (child.exitCode !== null ? done(child.exitCode) : child.once('exit', done)))

beforeAll(async () => {
  const pack = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], repo)
  expect(pack.code).toBe(0)
  ;[packed] = JSON.parse(pack.stdout) as (typeof packed)[]
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-pique-gate', private: true }))
  const install = await exec(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, packed.filename)],
    project
  )
  expect({ code: install.code, stderr: install.stderr }).toEqual({ code: 0, stderr: '' })
}, 180_000)

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

describe('npm package', () => {
  it('packs the CLI bundle, its bin, the judge schema and the examples, without sources, tests or the action bundles', () => {
    const files = packed.files.map(f => f.path)
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/cli/index.js',
        'schema/judge.schema.json',
        'examples/judge.yml'
      ])
    )
    expect(files.filter(f => !/^(dist\/cli\/|schema\/|examples\/|package\.json$|README\.md$)/.test(f))).toEqual([])
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/pique-gate/package.json'), 'utf8'))
    // Everything else is bundled: only what the bundle loads from node_modules at run time is a dependency.
    expect(Object.keys(manifest.dependencies)).toEqual(['mediainfo.js'])
    expect(manifest.bin).toEqual({ 'pique-gate': 'dist/cli/index.js' })
    expect(manifest.private).toBeUndefined()
  })

  it('validate: checks the example files from the installed bin', async () => {
    const run = await exec(
      bin,
      ['validate', '--judge', join(repo, 'examples/judge.yml'), '--urls', join(repo, 'examples/urls.txt')],
      project
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
  })

  it('emulator and run: a gate against the installed emulator, which measures videos with its mediainfo.js', async () => {
    const emulator = start(
      ['emulator', '--port', '0', '--scenario', join(repo, 'examples/demo-scenario.yml'), '--processing-ms', '20'],
      new RegExp(`${EMULATOR_LISTENING}(http://\\S+)\\n[\\s\\S]*Inspection`)
    )
    const [, url] = await emulator.ready

    const report = join(dir, 'report.json')
    const run = await exec(
      bin,
      [
        'run',
        '--api-url',
        url,
        '--judge',
        join(repo, 'examples/judge.yml'),
        '--urls',
        join(repo, 'examples/urls.txt'),
        '--threshold',
        '0.5',
        '--wait',
        'api',
        '--poll-interval-seconds',
        '0.1',
        '--report-path',
        report
      ],
      project,
      { PIQUE_API_KEY: DEFAULT_EMULATOR_API_KEY }
    )
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('Verdict: passed')
    const json = JSON.parse(readFileSync(report, 'utf8'))
    expect(json.verdict).toBe('passed')
    expect(json.counts.passed).toBe(6)

    // By now the emulator has loaded its media library (it says so at start-up when it cannot).
    expect(emulator.output()).not.toContain('cannot be measured')
    emulator.child.kill('SIGTERM')
    expect(await stopped(emulator.child)).toBe(0)
    expect(emulator.output()).toContain('Pique emulator stopped')
  })

  it('demo: runs end to end in an empty folder on the examples shipped in the package', async () => {
    const demo = await exec(bin, ['demo'], project)
    expect(demo.code).toBe(0)
    expect(demo.stdout + demo.stderr).toMatch(/failed/i)
    expect(demo.stdout + demo.stderr).toContain('C9z8Y7x6W5v')
  })

  it('store: serves health checks and stops on SIGTERM', async () => {
    const store = start(
      ['store', '--port', '0', '--database', `sqlite:${join(dir, 'store.db')}`],
      /"store listening".*?"url":"(http:\/\/[^"]+)"/,
      { PIQUE_STORE_READ_TOKENS: 'pack-test-token', PIQUE_STORE_WEBHOOK_SECRETS: 'pack-test-secret' }
    )
    const [, url] = await store.ready
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    store.child.kill('SIGTERM')
    expect(await stopped(store.child)).toBe(0)
    expect(store.output()).not.toContain('pack-test-token')
  })
})

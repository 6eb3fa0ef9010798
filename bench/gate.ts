/**
 * Gate benchmarks, side by side in one run, each printed with its ratio to the target (above 1.00 meets it):
 *
 *  1. Store mode, time from the last evaluation's completion to the gate's exit, at 1,000 and 10,000 URLs
 *     (targets 0.15 s and 0.5 s). The gate is the bundled CLI (`dist/cli/index.js run`) in its own process, against
 *     the emulator and a SQLite store in this one; "completion" is the emulator's completion timestamp of the last
 *     job (in the JSON report), "exit" the moment the CLI process exits.
 *  2. Reuse at 1,000 items with 900 reusable: the store's reuse lookup p99 for the 1,000 identities (target < 50 ms),
 *     and the run's wall time against a run of the 100 new items alone (target: within 1 s).
 *
 *   npm run -s package && npm run bench:gate
 *   BENCH_SIZES=1000 BENCH_LOOKUPS=200 npm run bench:gate
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DEFAULT_EMULATOR_API_KEY, NO_FAULTS, type RunningEmulator } from '../src/emulator/options.js'
import { startEmulator } from '../src/emulator/server.js'
import type { RunningStore } from '../src/store/options.js'
import { STORE_PATHS } from '../src/store/protocol.js'
import { startStore } from '../src/store/server.js'

const CLI = resolve('dist/cli/index.js')
const JUDGE = resolve('examples/judge.yml')
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number)
const TARGETS: Record<number, number> = { 1000: 0.15, 10000: 0.5 }

interface Env {
  dir: string
  store: RunningStore
  emulator: RunningEmulator
  token: string
  close(): Promise<void>
}

export async function startBenchEnv(): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'pique-gate-bench-'))
  const secret = randomBytes(16).toString('hex')
  const token = randomBytes(16).toString('hex')
  const store = await startStore({
    database: `sqlite:${join(dir, 'store.db')}`,
    webhookSecrets: [secret],
    readTokens: [token],
    logLevel: 'error'
  })
  const emulator = await startEmulator({
    organizations: [
      {
        id: 'org_bench',
        apiKeys: [DEFAULT_EMULATOR_API_KEY],
        webhookUrl: new URL(STORE_PATHS.ingest, store.url).toString(),
        webhookSecret: secret
      }
    ],
    timings: { judgeReadyMs: 0, awaitingUploadMs: 50, pendingMs: 50, processingMs: 400 },
    faults: NO_FAULTS,
    measureVideos: false
  })
  return {
    dir,
    store,
    emulator,
    token,
    async close() {
      await emulator.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export function urlList(env: Env, name: string, urls: string[]): string {
  const path = join(env.dir, `${name}.txt`)
  writeFileSync(path, urls.join('\n') + '\n')
  return path
}

export interface CliRun {
  code: number
  /** Epoch ms when the process exited. */
  exitedAt: number
  wallMs: number
  report: { items?: ReportItem[]; urls?: ReportItem[]; verdict: string }
}
interface ReportItem {
  finished_at?: string | null
  reused?: unknown
}

export async function runCli(env: Env, name: string, urlsFile: string, extra: string[] = []): Promise<CliRun> {
  const reportPath = join(env.dir, `${name}.json`)
  const args = [
    CLI,
    'run',
    '--api-url',
    env.emulator.url,
    '--api-key',
    DEFAULT_EMULATOR_API_KEY,
    '--judge',
    JUDGE,
    '--urls',
    urlsFile,
    '--threshold',
    '0.1',
    '--store-url',
    env.store.url,
    '--store-token',
    env.token,
    '--report-path',
    reportPath,
    '--max-concurrency',
    '8',
    ...extra
  ]
  const started = Date.now()
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: env.dir })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number>(done => child.once('exit', c => done(c ?? 1)))
  const exitedAt = Date.now()
  if (code > 1) throw new Error(`the gate exited ${code}: ${stderr.slice(-2000)}`)
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as CliRun['report']
  return { code, exitedAt, wallMs: exitedAt - started, report }
}

const urls = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `https://www.tiktok.com/@bench/video/${prefix}${i}`)

/** The newest completion timestamp among the report's items. */
function lastCompletion(report: CliRun['report']): number {
  const items = report.items ?? report.urls ?? []
  return Math.max(...items.map(i => Date.parse(i.finished_at ?? '')).filter(Number.isFinite))
}

async function latencyBench(): Promise<string[]> {
  const lines = [
    '| URLs | run wall s | last completion → gate exit s | target s | target ÷ measured |',
    '|---:|---:|---:|---:|---:|'
  ]
  for (const n of SIZES) {
    const env = await startBenchEnv()
    try {
      const file = urlList(env, `latency-${n}`, urls(randomBytes(3).toString('hex'), n))
      const run = await runCli(env, `latency-${n}`, file)
      const tail = (run.exitedAt - lastCompletion(run.report)) / 1000
      const target = TARGETS[n] ?? NaN
      lines.push(
        `| ${n} | ${(run.wallMs / 1000).toFixed(2)} | ${tail.toFixed(3)} | ${target} | ${(target / tail).toFixed(2)} |`
      )
    } finally {
      await env.close()
    }
  }
  return lines
}

if (process.argv[1]?.endsWith('gate.ts')) {
  const [load1] = loadavg()
  console.log(`gate bench: machine ${availableParallelism()} cores, load average ${load1.toFixed(1)} at start`)
  console.log('\nstore mode, last completion → gate exit (bundled CLI, SQLite store, emulator on loopback)')
  for (const line of await latencyBench()) console.log(line)
  console.log(`\nload average ${loadavg()[0].toFixed(1)} at end`)
}

/**
 * Gate benchmarks, side by side in one run, each printed with its ratio to the target (above 1.00 meets it):
 *
 *  1. Store mode, time from the last evaluation's completion to the gate's exit, at 1,000 and 10,000 URLs
 *     (targets 0.15 s and 0.5 s). The gate is the bundled CLI (`dist/cli/index.js run`), the store the bundled
 *     CLI's `store` (SQLite), each in its own process; the emulator runs in this one. "Completion" is when the store
 *     received the last result (its `updated_at`), the first moment the gate could know; the emulator's own
 *     completion time is printed beside it (the gap is webhook delivery: every job of the bench finishes within
 *     a fraction of a second, and the emulator sends at most 256 deliveries at once). "Exit" is when the CLI exits.
 *  2. Reuse at 1,000 items with 900 reusable: the store's reuse lookup p99 for the 1,000 identities (target < 50 ms),
 *     timed from the gate's store client in a process of its own (bench/reuse-lookups.ts; also once per fresh
 *     process, as a gate run makes it), and the run's wall time against a run of the 100 new items alone (target:
 *     within 1 s).
 *
 *   npm run -s package && npm run bench:gate
 *   BENCH_SIZES=1000 BENCH_LOOKUPS=200 BENCH_COLD_LOOKUPS=30 npm run bench:gate   (BENCH_ONLY=reuse|latency: one part)
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DEFAULT_EMULATOR_API_KEY, type RunningEmulator } from '../src/emulator/options.js'
import { startEmulator } from '../src/emulator/server.js'
import { MAX_QUERY_JOBS, STORE_PATHS } from '../src/store/protocol.js'
import { StoreClient } from '../src/store/client.js'
import { identityKey, urlIdentity } from '../src/reuse/identity.js'

/** PIQUE_GATE_DIST runs a copy of the bundles, as in the e2e tests (a bench keeps its build while dist/ is rebuilt). */
const CLI = resolve(process.env.PIQUE_GATE_DIST ?? 'dist', 'cli', 'index.js')
const JUDGE = resolve('examples/judge.yml')
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number)
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 200)
const COLD_LOOKUPS = Number(process.env.BENCH_COLD_LOOKUPS ?? 30)
const TARGETS: Record<number, number> = { 1000: 0.15, 10000: 0.5 }

interface Env {
  dir: string
  /** The store, in a process of its own (the bundled CLI's `store` command), as users run it. */
  store: { url: string }
  emulator: RunningEmulator
  token: string
  close(): Promise<void>
}

/**
 * The gate, the store and the emulator each in a process of its own, as in production (the store on its own
 * machine, Pique elsewhere): in one process the emulator's scoring and webhook sending took CPU from the store.
 */
export async function startBenchEnv(): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'pique-gate-bench-'))
  const secret = randomBytes(16).toString('hex')
  const token = randomBytes(16).toString('hex')
  const store = await startStoreProcess(dir, secret, token)
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

/** `pique-gate store` on a free port and a fresh SQLite file; resolves with its URL from its first log line. */
async function startStoreProcess(dir: string, secret: string, token: string) {
  const child = spawn(
    process.execPath,
    [CLI, 'store', '--port', '0', '--database', `sqlite:${join(dir, 'store.db')}`, '--log-level', 'info'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PIQUE_STORE_WEBHOOK_SECRETS: secret, PIQUE_STORE_READ_TOKENS: token }
    }
  )
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.once('exit', code => reject(new Error(`the store exited ${code} before listening: ${out.slice(-500)}`)))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const listening = /"msg":"store listening","url":"([^"]+)"/.exec(out)
      if (listening) resolve(listening[1])
    })
  })
  // Only the first line was wanted: later ones (info per rejected delivery, none here) are drained unread.
  child.stdout.resume()
  return {
    url,
    async close() {
      child.kill('SIGTERM')
      await exited
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
  report: {
    items?: ReportItem[]
    urls?: ReportItem[]
    verdict: string
    judge?: { fingerprint?: string | null }
    counts?: { reused?: number; billed_jobs?: number }
  }
}
interface ReportItem {
  finished_at?: string | null
  job_id?: string | null
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
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), ...args],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: env.dir }
  )
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

/** The newest completion timestamp among the report's items (the emulator's, when it finished the job). */
function lastCompletion(report: CliRun['report']): number {
  const items = report.items ?? report.urls ?? []
  return Math.max(...items.map(i => Date.parse(i.finished_at ?? '')).filter(Number.isFinite))
}

/** When the store committed the last of the run's results (its `updated_at`): the completion as the gate can see it. */
async function lastStoreCommit(env: Env, report: CliRun['report']): Promise<number> {
  const client = new StoreClient({ baseUrl: env.store.url, token: env.token })
  const ids = (report.items ?? report.urls ?? []).map(i => i.job_id).filter((id): id is string => Boolean(id))
  let last = 0
  for (let i = 0; i < ids.length; i += MAX_QUERY_JOBS) {
    const answer = await client.query({ job_ids: ids.slice(i, i + MAX_QUERY_JOBS), wait_seconds: 0 })
    for (const job of answer.jobs) last = Math.max(last, Date.parse(job.updated_at))
  }
  return last
}

async function latencyBench(): Promise<string[]> {
  const lines = [
    '| URLs | run wall s | emulator completion → exit s | store commit → exit s | target s | target ÷ measured |',
    '|---:|---:|---:|---:|---:|---:|'
  ]
  for (const n of SIZES) {
    const env = await startBenchEnv()
    try {
      const file = urlList(env, `latency-${n}`, urls(randomBytes(3).toString('hex'), n))
      const run = await runCli(env, `latency-${n}`, file, ['--reuse-max-age', '0'])
      // The webhook delivery of a burst of completions is not the gate's: the target is measured from the moment
      // the store had the last result; the emulator's completion is printed beside it.
      const fromEmulator = (run.exitedAt - lastCompletion(run.report)) / 1000
      const tail = (run.exitedAt - (await lastStoreCommit(env, run.report))) / 1000
      const target = TARGETS[n] ?? NaN
      lines.push(
        `| ${n} | ${(run.wallMs / 1000).toFixed(2)} | ${fromEmulator.toFixed(3)} | ${tail.toFixed(3)} | ${target} | ${(target / tail).toFixed(2)} |`
      )
    } finally {
      await env.close()
    }
  }
  return lines
}

/** `count` timings of one results lookup, made back to back by bench/reuse-lookups.ts in a process of its own. */
async function lookupTimes(env: Env, request: object, reusable: number, count: number): Promise<number[]> {
  const file = join(env.dir, 'lookup.json')
  writeFileSync(file, JSON.stringify({ url: env.store.url, token: env.token, request, reusable }))
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      '--experimental-transform-types',
      '--import',
      './bench/ts-hooks.mjs',
      'bench/reuse-lookups.ts',
      file,
      String(count)
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  const code = await new Promise<number>(done => child.once('exit', c => done(c ?? 1)))
  if (code !== 0) throw new Error(`the lookups exited ${code}`)
  return JSON.parse(out) as number[]
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

/**
 * 1,000 items of which 900 were evaluated before: a warm-up run evaluates the 900, then the mixed run (900 reused +
 * 100 new) and a run of 100 other new items alone, back to back; then the reuse lookup alone, LOOKUPS times.
 */
async function reuseBench(): Promise<string[]> {
  const env = await startBenchEnv()
  try {
    const tag = randomBytes(3).toString('hex')
    const old = urls(`${tag}old`, 900)
    const warm = await runCli(env, 'reuse-warm', urlList(env, 'reuse-warm', old))
    const mixedList = [...old.map((u, i) => (i % 2 ? `${u}?utm_source=bench` : u)), ...urls(`${tag}new`, 100)]
    const fingerprint = warm.report.judge?.fingerprint
    if (!fingerprint) throw new Error('the warm-up report names no judge fingerprint')
    // The lookup the mixed run will make (900 of its 1,000 identities have a result), before it runs, from a
    // process of its own as the gate makes it.
    const request = {
      judge_fingerprint: fingerprint,
      identities: mixedList.map(u => identityKey(urlIdentity(u))),
      max_age_seconds: 7 * 86_400
    }
    // The store's answer time: LOOKUPS back to back from the gate's store client, in a process of its own (in
    // this one the emulator's heap made the client's collections several times slower). Then one lookup in each of
    // COLD_LOOKUPS fresh processes, as a gate run makes it: that adds the client's first-use costs (compiling its
    // schemas, its first large body), which the wall-time target below covers.
    const times = await lookupTimes(env, request, 900, LOOKUPS)
    const cold: number[] = []
    for (let i = 0; i < COLD_LOOKUPS; i++) cold.push(...(await lookupTimes(env, request, 900, 1)))
    cold.sort((a, b) => a - b)
    const mixed = await runCli(env, 'reuse-mixed', urlList(env, 'reuse-mixed', mixedList))
    const alone = await runCli(env, 'reuse-alone', urlList(env, 'reuse-alone', urls(`${tag}alone`, 100)))
    times.sort((a, b) => a - b)
    const p99 = percentile(times, 99)
    const gap = (mixed.wallMs - alone.wallMs) / 1000
    return [
      `| measure | value | target | ratio (target ÷ measured) |`,
      `|---|---:|---:|---:|`,
      `| reuse lookup, 1,000 identities (900 found), p50 / p99 ms (${LOOKUPS} lookups) | ${percentile(times, 50).toFixed(1)} / ${p99.toFixed(1)} | < 50 | ${(50 / p99).toFixed(2)} |`,
      `| (one lookup in each of ${COLD_LOOKUPS} fresh processes, as a gate run: p50 / max ms) | ${percentile(cold, 50).toFixed(1)} / ${cold[cold.length - 1].toFixed(1)} | | |`,
      `| run of 1,000 (${mixed.report.counts?.reused ?? '?'} reused, ${mixed.report.counts?.billed_jobs ?? '?'} billed), wall s | ${(mixed.wallMs / 1000).toFixed(2)} | | |`,
      `| run of the 100 new alone, wall s | ${(alone.wallMs / 1000).toFixed(2)} | | |`,
      `| difference, s | ${gap.toFixed(2)} | ≤ 1 | ${(1 / Math.max(gap, 0.001)).toFixed(2)} |`,
      `| (warm-up run of the 900, wall s) | ${(warm.wallMs / 1000).toFixed(2)} | | |`
    ]
  } finally {
    await env.close()
  }
}

if (process.argv[1]?.endsWith('gate.ts')) {
  const [load1] = loadavg()
  console.log(`gate bench: machine ${availableParallelism()} cores, load average ${load1.toFixed(1)} at start`)
  console.log('\nstore mode, last completion → gate exit (bundled CLI, SQLite store, emulator on loopback)')
  if (process.env.BENCH_ONLY !== 'reuse') for (const line of await latencyBench()) console.log(line)
  if (process.env.BENCH_ONLY !== 'latency') console.log('\nreuse: 1,000 items, 900 reusable (store mode, same judge)')
  if (process.env.BENCH_ONLY !== 'latency') for (const line of await reuseBench()) console.log(line)
  console.log(`\nload average ${loadavg()[0].toFixed(1)} at end`)
}

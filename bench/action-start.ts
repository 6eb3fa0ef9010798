/**
 * The action's cold start and bundle size against their targets: time from spawning `node dist/index.js` (with a
 * workflow's inputs: judge file, URL list, API key) to the first request reaching the Pique API, median of N runs,
 * measured side by side in one run with
 *   - the floor: `node` starting and sending one fetch (no action code at all), and
 *   - a baseline bundle: dist/ as committed at BENCH_BASELINE_REF (default HEAD; "none" skips it).
 * Runs are interleaved, so machine load moves all of them alike. Wall time is what a user waits; the process's CPU
 * time up to the first request (from /proc, Linux) moves much less with other load on the machine.
 *
 *   npm run bench:start            (node --experimental-transform-types --import ./bench/ts-hooks.mjs bench/action-start.ts)
 *   BENCH_RUNS=50 BENCH_BASELINE_REF=main npm run bench:start
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? 'HEAD'
const TARGET_MS = 150
const TARGET_BYTES = 1_500_000

const root = resolve(import.meta.dirname, '..')
const work = mkdtempSync(join(tmpdir(), 'pique-bench-start-'))

/** Called on the next request: runs are sequential, so it belongs to the run in progress. */
let firstRequest: (() => void) | undefined
const server = createServer((req, res) => {
  firstRequest?.()
  firstRequest = undefined
  req.resume()
  res.writeHead(503, { 'content-type': 'application/json', connection: 'close' }).end('{"detail":"bench"}')
})
await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

interface Subject {
  name: string
  args: string[]
  bundle?: string
}

function baselineBundle(): Subject | undefined {
  if (BASELINE_REF === 'none') return undefined
  const dir = join(work, 'baseline')
  try {
    execFileSync('sh', ['-c', `mkdir -p "${dir}" && git archive "${BASELINE_REF}" dist | tar -x -C "${dir}"`], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe']
    })
  } catch {
    console.error(`(no dist/ committed at ${BASELINE_REF}: baseline skipped)`)
    return undefined
  }
  const bundle = join(dir, 'dist', 'index.js')
  return { name: `dist/ at ${BASELINE_REF}`, args: [bundle], bundle }
}

const floorScript = join(work, 'floor.mjs')
writeFileSync(floorScript, 'await fetch(process.env.BENCH_URL).catch(() => {})\n')
const subjects: Subject[] = [
  { name: 'this build (dist/index.js)', args: [join(root, 'dist/index.js')], bundle: join(root, 'dist/index.js') },
  ...[baselineBundle()].filter((s): s is Subject => s !== undefined),
  { name: 'floor: node + one fetch', args: [floorScript] }
]

/** CPU time (user + system) the process has used so far, from /proc (Linux; 10 ms ticks), or NaN. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return NaN
  }
}

interface Sample {
  wallMs: number
  cpuMs: number
}

function runOnce(subject: Subject, i: number): Promise<Sample> {
  const out = join(work, `out-${i}`)
  writeFileSync(out, '')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: root,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: out,
    RUNNER_TEMP: work,
    BENCH_URL: `${apiUrl}/v1/judges`,
    'INPUT_API-URL': apiUrl,
    'INPUT_API-KEY': 'pk_bench',
    INPUT_JUDGE: 'examples/judge.yml',
    INPUT_URLS: 'examples/urls.txt',
    INPUT_THRESHOLD: '0.7',
    INPUT_COMMENT: 'false',
    'INPUT_TIMEOUT-MINUTES': '0.05',
    'INPUT_REPORT-PATH': join(work, `report-${i}.json`)
  }
  return new Promise((done, fail) => {
    const started = performance.now()
    const child: ChildProcess = spawn(process.execPath, subject.args, { cwd: root, env, stdio: 'ignore' })
    const timer = setTimeout(() => fail(new Error(`${subject.name}: no request within 10 s`)), 10_000)
    firstRequest = () => {
      const wallMs = performance.now() - started
      const cpu = cpuMs(child.pid)
      clearTimeout(timer)
      child.kill('SIGKILL')
      child.once('exit', () => done({ wallMs, cpuMs: cpu }))
    }
  })
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const bundleBytes = (entry: string) => {
  const dir = resolve(entry, '..')
  const chunks = readdirSync(dir).filter(f => f.endsWith('.js') && f !== 'index.js')
  return { entry: statSync(entry).size, chunks: chunks.reduce((n, f) => n + statSync(join(dir, f)).size, 0) }
}

const load = () => loadavg()[0].toFixed(1)
const loadStart = load()
const times = new Map<string, number[]>(subjects.map(s => [s.name, []]))
const cpu = new Map<string, number[]>(subjects.map(s => [s.name, []]))
let i = 0
// Two warm-up rounds fill the page cache; then each round runs every subject once, in turn.
for (let round = -2; round < RUNS; round++)
  for (const subject of subjects) {
    const sample = await runOnce(subject, i++)
    if (round < 0) continue
    times.get(subject.name)?.push(sample.wallMs)
    cpu.get(subject.name)?.push(sample.cpuMs)
  }
server.close()
const sizes = new Map(subjects.filter(s => s.bundle).map(s => [s.name, bundleBytes(s.bundle!)]))
rmSync(work, { recursive: true, force: true })

console.log(
  `action cold start: node spawned → first request to the Pique API, median of ${RUNS} interleaved runs; bundle sizes`
)
console.log(`machine: ${availableParallelism()} cores, load average ${loadStart} at start, ${load()} at end`)
console.log('| subject | median ms | p90 ms | median CPU ms | entry file bytes | lazy chunk bytes |')
console.log('|---|---:|---:|---:|---:|---:|')
for (const subject of subjects) {
  const values = times.get(subject.name) ?? []
  const p90 = [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]
  const size = sizes.get(subject.name)
  console.log(
    `| ${subject.name} | ${median(values).toFixed(0)} | ${p90.toFixed(0)} | ${median(cpu.get(subject.name) ?? []).toFixed(0)} | ${size?.entry ?? ''} | ${size?.chunks ?? ''} |`
  )
}
const ours = median(times.get(subjects[0].name) ?? [])
const floor = median(times.get(subjects.at(-1)!.name) ?? [])
const size = sizes.get(subjects[0].name)!
console.log('')
console.log('| measure | this build | target | target ÷ measured (≥ 1.00 meets it) |')
console.log('|---|---:|---:|---:|')
console.log(`| cold start, median | ${ours.toFixed(0)} ms | ${TARGET_MS} ms | ${(TARGET_MS / ours).toFixed(2)} |`)
console.log(
  `| dist/index.js | ${(size.entry / 1e6).toFixed(2)} MB | ${TARGET_BYTES / 1e6} MB | ${(TARGET_BYTES / size.entry).toFixed(2)} |`
)
console.log('')
console.log(`action code above the floor (node + one fetch): ${(ours - floor).toFixed(0)} ms`)
if (subjects.length === 3) {
  const name = subjects[1].name
  const base = median(times.get(name) ?? [])
  const cpuRatio = median(cpu.get(subjects[0].name) ?? []) / median(cpu.get(name) ?? [])
  console.log(
    `this build ÷ ${name}: cold start ${(ours / base).toFixed(2)}, CPU to first request ${cpuRatio.toFixed(2)}, ` +
      `entry size ${(size.entry / sizes.get(name)!.entry).toFixed(2)}`
  )
}

/**
 * Webhook store benchmark: durable ingest throughput and latency on SQLite and PostgreSQL side by side, from a
 * separate load process on loopback, then long-poll wake latency (delivery sent → waiting query answered; on
 * PostgreSQL the waiter sits on a second instance, woken through LISTEN/NOTIFY).
 *
 *   npm run bench:store            (node --experimental-transform-types --import ./bench/ts-hooks.mjs bench/store-ingest.ts)
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 PIQUE_TEST_DATABASE_URL=postgres://… npm run bench:store
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent } from 'node:http'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { StoreClient } from '../src/store/client.js'
import type { RunningStore, StoreOptions } from '../src/store/options.js'
import { startStore } from '../src/store/server.js'
import { type LoadConfig, type LoadResult, deliveryBody, postDelivery } from './store-load.js'

const SECRET = 'whsec_bench'
const TOKEN = 'bench-token'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const WAKES = Number(process.env.BENCH_WAKES ?? 200)
const PG_URL = process.env.PIQUE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** Which backends to run, e.g. BENCH_BACKENDS=sqlite. */
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',')

interface Row {
  backend: string
  perSecond: number
  p50: number
  p99: number
  failed: number
  groupMean: number
  /** Store process CPU (all threads) per acknowledged delivery: capacity independent of other load on the machine. */
  cpuUs: number
  wakeP50: number
  wakeP99: number
  wakeAckP50: number
  wakeAckP99: number
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN

function runLoadProcess(config: LoadConfig): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./store-load.ts', import.meta.url))
  const child = spawn(process.execPath, [...process.execArgv, script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((resolve, reject) =>
    child.once('exit', code =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load process exited with ${code}`))
    )
  )
}

/** Mean deliveries per commit, read off the store's own metrics. */
async function meanGroup(store: RunningStore): Promise<number> {
  const text = await (await fetch(`${store.url}/metrics`)).text()
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
  return value('pique_store_commit_group_size_sum') / value('pique_store_commit_group_size_count')
}

interface Wakes {
  /** Delivery sent → waiting query answered (includes the durable commit). */
  fromSend: number[]
  /** Delivery acknowledged → waiting query answered (the wake-up path alone; 0 when the waiter answered first). */
  fromAck: number[]
}

/** Each round: a query waits on a fresh job; then one delivery for it is sent; time until the query answers. */
async function wakeLatencies(ingestAt: RunningStore, waitAt: RunningStore): Promise<Wakes> {
  const client = new StoreClient({ baseUrl: waitAt.url, token: TOKEN })
  const agent = new Agent({ keepAlive: true })
  const ingest = new URL('/v1/webhooks/pique', ingestAt.url)
  const fromSend: number[] = []
  const fromAck: number[] = []
  for (let i = 0; i < WAKES; i++) {
    const id = `job_wake_${randomBytes(6).toString('hex')}`
    const waiting = client.query({ job_ids: [id], wait_seconds: 10 }).then(() => performance.now())
    await new Promise(r => setTimeout(r, 15)) // the query is parked by now
    const sentAt = performance.now()
    await postDelivery(agent, ingest, SECRET, deliveryBody(id))
    const ackAt = performance.now()
    const answeredAt = await waiting
    fromSend.push(answeredAt - sentAt)
    fromAck.push(Math.max(0, answeredAt - ackAt))
  }
  agent.destroy()
  const asc = (a: number, b: number) => a - b
  return { fromSend: fromSend.sort(asc), fromAck: fromAck.sort(asc) }
}

async function bench(name: string, options: Partial<StoreOptions>, cleanup: () => Promise<void>): Promise<Row> {
  const base = { ...options, webhookSecrets: [SECRET], readTokens: [TOKEN] }
  const store = await startStore(base)
  const second = name === 'postgres' ? await startStore(base) : store
  try {
    const cpuBefore = process.cpuUsage()
    const load = await runLoadProcess({
      url: store.url,
      secret: SECRET,
      connections: CONNECTIONS,
      warmupSeconds: 1,
      seconds: SECONDS
    })
    const cpu = process.cpuUsage(cpuBefore)
    const total = load.ok + load.failed + load.warmup
    const sorted = load.latenciesMs.sort((a, b) => a - b)
    const groupMean = await meanGroup(store)
    const wakes = await wakeLatencies(store, second)
    return {
      backend: name === 'postgres' ? 'postgres (2 instances)' : name,
      perSecond: load.ok / load.seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      failed: load.failed,
      groupMean,
      cpuUs: (cpu.user + cpu.system) / total,
      wakeP50: percentile(wakes.fromSend, 50),
      wakeP99: percentile(wakes.fromSend, 99),
      wakeAckP50: percentile(wakes.fromAck, 50),
      wakeAckP99: percentile(wakes.fromAck, 99)
    }
  } finally {
    if (second !== store) await second.close()
    await store.close()
    await cleanup()
  }
}

async function main(): Promise<void> {
  // Other work on the machine skews every figure: print what it was.
  const loadAtStart = loadavg()[0]
  const dir = mkdtempSync(join(tmpdir(), 'pique-store-bench-'))
  const schema = `pique_store_bench_${randomBytes(4).toString('hex')}`
  const rows: Row[] = []
  if (BACKENDS.includes('sqlite')) {
    rows.push(
      await bench('sqlite', { database: `sqlite:${join(dir, 'store.db')}` }, async () =>
        rmSync(dir, { recursive: true, force: true })
      )
    )
  }
  if (BACKENDS.includes('postgres')) {
    rows.push(
      await bench('postgres', { database: PG_URL, databaseSchema: schema }, async () => {
        const client = new pg.Client({ connectionString: PG_URL })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await client.end()
      })
    )
  }
  const f = (n: number, d = 1) => n.toFixed(d)
  console.log(
    `store ingest: ${CONNECTIONS} connections from a separate load process, ${SECONDS} s measured after 1 s warm-up; ${WAKES} wake-ups`
  )
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`
  )
  console.log(
    '| backend | durable deliveries/s | p50 ms | p99 ms | failed | mean commit group | store CPU µs/delivery | wake p50 / p99 ms (from send) | wake p50 / p99 ms (from ack) |'
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) {
    console.log(
      `| ${r.backend} | ${f(r.perSecond, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${r.failed} | ${f(r.groupMean)} | ${f(r.cpuUs, 0)} | ${f(r.wakeP50)} / ${f(r.wakeP99)} | ${f(r.wakeAckP50)} / ${f(r.wakeAckP99)} |`
    )
  }
  // Ratios against the targets of issue #5, measured in this same run: above 1.00 meets the target.
  console.log('')
  console.log('| backend | throughput ÷ target | p99 target ÷ p99 | wake p99 target ÷ wake p99 |')
  console.log('|---|---:|---:|---:|')
  for (const r of rows) {
    const t = TARGETS[r.backend.split(' ')[0] as keyof typeof TARGETS]
    console.log(
      `| ${r.backend} | ${f(r.perSecond / t.perSecond, 2)} (${t.perSecond}/s) | ${f(t.p99Ms / r.p99, 2)} (${t.p99Ms} ms) | ${f(t.wakeP99Ms / r.wakeP99, 2)} (${t.wakeP99Ms} ms) |`
    )
  }
  const [a, b] = rows
  if (a && b) console.log(`\n${a.backend} ÷ ${b.backend} throughput: ${f(a.perSecond / b.perSecond, 2)}`)
}

/** Issue #5's targets on this 2-core machine. */
const TARGETS = {
  sqlite: { perSecond: 3000, p99Ms: 50, wakeP99Ms: 20 },
  postgres: { perSecond: 1500, p99Ms: 50, wakeP99Ms: 20 }
} as const

await main()

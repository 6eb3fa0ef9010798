// Crash safety of the real CLI process: under concurrent signed load, SIGKILL the store, restart it on the same
// SQLite file, and check that every delivery that was answered 200 is there. Needs the bundle (`npm test` builds it).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { StoreClient } from '../../src/store/client.js'
import { SECRET, TOKEN, completedBody, deliver, jobId, postgresBackend } from './helpers.js'

const CLI = resolve('dist/cli/index.js')
const ROUNDS = 4
const CONCURRENCY = 24

interface Running {
  child: ChildProcess
  url: string
  exited: Promise<number | null>
}

async function spawnStore(database: string, extra: string[] = []): Promise<Running> {
  const child = spawn(
    process.execPath,
    [CLI, 'store', '--port', '0', '--database', database, '--log-level', 'info', ...extra],
    {
      env: { ...process.env, PIQUE_STORE_WEBHOOK_SECRETS: `whsec_old,${SECRET}`, PIQUE_STORE_READ_TOKENS: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  const exited = new Promise<number | null>(done => child.once('exit', code => done(code)))
  const url = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', line => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string }
        if (entry.msg === 'store listening' && entry.url) done(entry.url)
      } catch {
        // not a log line
      }
    })
    exited.then(code => fail(new Error(`store exited with ${code} before listening`)))
  })
  return { child, url, exited }
}

/** Sends signed deliveries from `CONCURRENCY` loops until the store stops answering; returns the acknowledged ids. */
async function load(url: string): Promise<{ acked: string[]; stop: () => void; finished: Promise<void> }> {
  const acked: string[] = []
  let running = true
  const loop = async () => {
    while (running) {
      const id = jobId()
      try {
        const res = await deliver(url, completedBody(id))
        if (res.status === 200) acked.push(id)
      } catch {
        return // connection refused or reset: the store is gone
      }
    }
  }
  const finished = Promise.all(Array.from({ length: CONCURRENCY }, loop)).then(() => undefined)
  return { acked, stop: () => (running = false), finished }
}

async function missingOf(url: string, ids: string[]): Promise<string[]> {
  const client = new StoreClient({ baseUrl: url, token: TOKEN })
  const missing: string[] = []
  for (let i = 0; i < ids.length; i += 1000) {
    const res = await client.query({ job_ids: ids.slice(i, i + 1000) })
    missing.push(...res.missing, ...res.jobs.filter(j => j.status !== 'completed').map(j => j.job_id))
  }
  return missing
}

/** Each round: load, SIGKILL mid-load, restart on the same database, check every 200 so far is there. */
async function crashRounds(rounds: number, database: string, extra: string[] = []): Promise<void> {
  const everAcked: string[] = []
  for (let round = 0; round < rounds; round++) {
    const store = await spawnStore(database, extra)
    const run = await load(store.url)
    await new Promise(r => setTimeout(r, 400 + Math.random() * 600))
    store.child.kill('SIGKILL')
    await store.exited
    await run.finished
    expect(run.acked.length).toBeGreaterThan(0)
    everAcked.push(...run.acked)
    const restarted = await spawnStore(database, extra)
    expect(await missingOf(restarted.url, everAcked)).toEqual([])
    restarted.child.kill('SIGKILL')
    await restarted.exited
  }
}

describe('store process crash safety (SQLite)', () => {
  let dir = ''
  let database = ''
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run package first`)
    dir = mkdtempSync(join(tmpdir(), 'pique-store-crash-'))
    database = `sqlite:${join(dir, 'store.db')}`
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it(`keeps every acknowledged delivery across ${ROUNDS} SIGKILLs under load`, () => crashRounds(ROUNDS, database))

  it('finishes in-flight deliveries on SIGTERM and exits 0', async () => {
    const store = await spawnStore(database)
    const run = await load(store.url)
    await new Promise(r => setTimeout(r, 400))
    store.child.kill('SIGTERM')
    expect(await store.exited).toBe(0)
    run.stop()
    await run.finished
    const restarted = await spawnStore(database)
    expect(await missingOf(restarted.url, run.acked)).toEqual([])
    restarted.child.kill('SIGTERM')
    expect(await restarted.exited).toBe(0)
  })
})

describe('store process crash safety (PostgreSQL)', () => {
  const backend = postgresBackend()
  afterAll(() => backend.teardown())

  it('keeps every acknowledged delivery across 2 SIGKILLs under load', () => {
    const { database, databaseSchema } = backend.options()
    return crashRounds(2, database!, ['--database-schema', databaseSchema!])
  })
})

describe('pique-gate store configuration errors', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stderr: string; stdout: string }>(done => {
      const child = spawn(process.execPath, [CLI, 'store', '--port', '0', ...args], {
        env: { ...process.env, PIQUE_STORE_WEBHOOK_SECRETS: '', PIQUE_STORE_READ_TOKENS: '', ...env }
      })
      let stderr = ''
      let stdout = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.once('exit', code => done({ code, stderr, stdout }))
    })

  it('exits 2 with one line when no webhook secret is set, or the database or a number is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pique-store-cli-'))
    try {
      const noSecret = await run(['--database', `sqlite:${join(dir, 's.db')}`])
      expect(noSecret.code).toBe(2)
      expect(noSecret.stderr.trim()).toBe(
        'pique-gate store: at least one webhook secret is required (PIQUE_STORE_WEBHOOK_SECRETS)'
      )
      const badDb = await run(['--database', 'mysql://db/pique'], { PIQUE_STORE_WEBHOOK_SECRETS: 'whsec_x' })
      expect(badDb.code).toBe(2)
      expect(badDb.stderr.trim()).toBe('pique-gate store: --database must be sqlite:PATH or a postgres:// URL')
      const badPort = await run(['--retention-days', 'soon'], { PIQUE_STORE_WEBHOOK_SECRETS: 'whsec_x' })
      expect(badPort.code).toBe(2)
      expect(badPort.stderr.trim()).toBe('pique-gate store: --retention-days: expected whole days ≥ 0, got "soon"')
      for (const r of [noSecret, badDb, badPort]) expect(`${r.stdout}${r.stderr}`).not.toContain('whsec_x')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

// Shared by the store tests: signed deliveries, result bodies, a temp SQLite file, a throwaway PostgreSQL schema.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import pg from 'pg'
import { signatureHeader } from '../../src/pique/signature.js'
import type { StoreOptions } from '../../src/store/options.js'

export const SECRET = 'whsec_test_current'
export const OLD_SECRET = 'whsec_test_previous'
export const TOKEN = 'store-read-token-for-tests'
export const PG_URL = process.env.PIQUE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export const nowSeconds = () => Math.floor(Date.now() / 1000)
export const jobId = () => `job_${randomBytes(8).toString('hex')}`

export function completedBody(id: string, score = 0.85): Record<string, unknown> {
  return {
    event: 'evaluation.completed',
    evaluation_id: 'e1',
    job_id: id,
    content_id: 'c1',
    judge_id: 'judge_1',
    status: 'completed',
    overall_score: score,
    timestamp: '2026-11-23T10:00:05.000000Z',
    results: [{ criterion_id: 'crit_1', detector_name: 'video_specs', pass_check: true, score: 1, rationale: 'ok' }]
  }
}

export function pendingBody(id: string, status = 'pending'): Record<string, unknown> {
  return { event: 'evaluation.pending', job_id: id, status, timestamp: '2026-11-23T10:00:00.000000Z' }
}

export interface DeliveryOptions {
  secrets?: string[]
  t?: number
  header?: string
  headerName?: string
  /** Body bytes sent instead of the signed ones (tampering). */
  sendInstead?: string
}

export async function deliver(
  baseUrl: string,
  body: unknown,
  o: DeliveryOptions = {}
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body)
  const header = o.header ?? signatureHeader(o.secrets ?? [SECRET], o.t ?? nowSeconds(), raw)
  const res = await fetch(new URL('/v1/webhooks/pique', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [o.headerName ?? 'X-Pique-Signature']: header },
    body: o.sendInstead ?? raw
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

/** POSTs exact bytes with exact headers to the ingest endpoint (signed with `signatureHeader` by the caller). */
export async function post(
  baseUrl: string,
  body: Buffer | string,
  headers: Record<string, string>
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL('/v1/webhooks/pique', baseUrl), { method: 'POST', headers, body })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

export async function read(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null } = {}
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`
  const res = await fetch(new URL(path, baseUrl), {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

export interface Backend {
  name: 'sqlite' | 'postgres'
  /** Options for a store on this backend (call after `setup`). */
  options(): Partial<StoreOptions>
  /** Runs one statement on the store's database directly (`?` placeholders), for audit checks and planted rows. */
  sql(query: string, params?: (string | number | null)[]): Promise<Record<string, unknown>[]>
  setup(): Promise<void>
  teardown(): Promise<void>
}

export function sqliteBackend(): Backend {
  let dir = ''
  return {
    name: 'sqlite',
    options: () => ({ database: `sqlite:${join(dir, 'store.db')}`, webhookSecrets: [SECRET], readTokens: [TOKEN] }),
    async sql(query, params = []) {
      const db = new DatabaseSync(join(dir, 'store.db'))
      db.exec('PRAGMA busy_timeout = 5000')
      try {
        const stmt = db.prepare(query)
        if (/^\s*select/i.test(query)) return stmt.all(...params) as Record<string, unknown>[]
        stmt.run(...params)
        return []
      } finally {
        db.close()
      }
    },
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'pique-store-test-'))
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** A unique schema per test file, dropped afterwards, so parallel test files never share tables. */
export function postgresBackend(): Backend {
  const schema = `pique_store_test_${randomBytes(6).toString('hex')}`
  return {
    name: 'postgres',
    options: () => ({
      database: PG_URL,
      databaseSchema: schema,
      webhookSecrets: [SECRET],
      readTokens: [TOKEN],
      poolSize: 4
    }),
    async sql(query, params = []) {
      const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` })
      await client.connect()
      try {
        let n = 0
        return (
          await client.query(
            query.replace(/\?/g, () => `$${++n}`),
            params
          )
        ).rows as Record<string, unknown>[]
      } finally {
        await client.end()
      }
    },
    async setup() {},
    async teardown() {
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    }
  }
}

export const backends = (): Backend[] => [sqliteBackend(), postgresBackend()]

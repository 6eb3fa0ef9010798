/**
 * The SQLite write connection, on a worker thread. node:sqlite is synchronous, so a COMMIT's fsync would stall
 * the event loop; on a worker it does not, and the main thread keeps reading, verifying and queueing deliveries
 * while a group commits. The worker only executes statement lists in one transaction; all logic stays on the
 * main thread. Its source is a string so bundlers leave it alone.
 */
import { Worker } from 'node:worker_threads'

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { DatabaseSync } = require('node:sqlite')
const db = new DatabaseSync(workerData.path)
db.exec(workerData.pragmas)
const statements = new Map()
const prepared = (sql) => {
  let s = statements.get(sql)
  if (!s) statements.set(sql, (s = db.prepare(sql)))
  return s
}
parentPort.on('message', (msg) => {
  if (msg.close) {
    db.close()
    parentPort.postMessage({ id: msg.id })
    return
  }
  try {
    db.exec('BEGIN IMMEDIATE')
    let changes = 0
    for (const [sql, rows] of msg.work) {
      const s = prepared(sql)
      for (const params of rows) changes += Number(s.run(...params).changes)
    }
    db.exec('COMMIT')
    parentPort.postMessage({ id: msg.id, changes })
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK')
    parentPort.postMessage({ id: msg.id, error: error && error.message ? error.message : String(error) })
  }
})
`

export type SqlParam = string | number | bigint | null
/** Statements with the parameter rows to run each with, all in one transaction. */
export type WriteWork = [sql: string, rows: SqlParam[][]][]

interface Reply {
  id: number
  changes?: number
  error?: string
}

export class SqliteWriter {
  private readonly worker: Worker
  private readonly pending = new Map<number, { resolve: (changes: number) => void; reject: (e: Error) => void }>()
  private nextId = 1
  private failure: Error | undefined

  constructor(path: string, pragmas: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, pragmas } })
    this.worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if (reply.error !== undefined) p?.reject(new Error(reply.error))
      else p?.resolve(reply.changes ?? 0)
    })
    const fail = (error: Error) => {
      this.failure = error
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
    }
    this.worker.on('error', fail)
    this.worker.on('exit', code => fail(new Error(`sqlite writer stopped (exit ${code})`)))
  }

  /** Runs `work` in one transaction; resolves with the changed row count once COMMIT has returned. */
  run(work: WriteWork): Promise<number> {
    return this.send({ work })
  }

  async close(): Promise<void> {
    if (this.failure) return
    await this.send({ close: true }).catch(() => {})
    await this.worker.terminate()
  }

  private send(msg: object): Promise<number> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...msg, id })
    })
  }
}

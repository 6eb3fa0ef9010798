// Picks the backend from the database URL: `sqlite:PATH` or `postgres://` / `postgresql://`.
import { resolve } from 'node:path'
import type { StoreOptions } from '../options.js'
import type { StoreBackend } from './backend.js'
import { PostgresBackend } from './postgres.js'
import { SqliteBackend } from './sqlite.js'

export async function openBackend(
  options: StoreOptions,
  onListenerError: (message: string) => void
): Promise<StoreBackend> {
  const db = options.database
  if (db.startsWith('sqlite:')) {
    const path = db.slice('sqlite:'.length)
    // A file, never :memory:, because reads and the writer thread use separate connections.
    if (!path || path === ':memory:')
      throw new Error('store: --database sqlite: needs a file path, e.g. sqlite:./pique-store.db')
    return new SqliteBackend(resolve(path))
  }
  if (/^postgres(ql)?:\/\//.test(db)) {
    return PostgresBackend.open({
      url: db,
      schema: options.databaseSchema,
      poolSize: options.poolSize,
      onListenerError
    })
  }
  throw new Error('store: --database must be sqlite:PATH or a postgres:// URL')
}

/** The database setting for logs: the PostgreSQL password is never shown. */
export function describeDatabase(database: string): string {
  if (!/^postgres(ql)?:\/\//.test(database)) return database
  try {
    const url = new URL(database)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return 'postgres://(unparsable url)'
  }
}

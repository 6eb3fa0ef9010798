// The store's options: the fields the gate's tests rely on, plus operational knobs with defaults.
import { WEBHOOK } from '../pique/limits.js'

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface StoreOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  /** `sqlite:PATH` (default `sqlite:./pique-store.db`) or a `postgres://` URL. */
  database: string
  /** Webhook signing secrets; several during rotation. */
  webhookSecrets: string[]
  /** Bearer tokens for reads. */
  readTokens: string[]
  toleranceSeconds: number
  /**
   * Also accept the overview pages' body-only signature (`X-Webhook-Signature: sha256=<hex>` or bare hex): it has
   * no timestamp, so a captured delivery can be replayed at any time. Off by default.
   */
  acceptBodyOnlySignatures: boolean
  bodyLimitBytes: number
  /** Events older than this are deleted; 0 keeps them forever. */
  retentionDays: number
  /** PostgreSQL schema holding the store's tables (created when missing). */
  databaseSchema: string
  /** How often retention runs. */
  retentionIntervalMs: number
  /** Structured JSON logs (one object per line) at or above this level. */
  logLevel: LogLevel
  /** Where log lines go; stdout by default. */
  logSink: (line: string) => void
  /** PostgreSQL connections per instance. */
  poolSize: number
}

export interface RunningStore {
  /** Base URL, e.g. http://127.0.0.1:43123. */
  url: string
  port: number
  close(): Promise<void>
}

export const DEFAULT_DATABASE = 'sqlite:./pique-store.db'

/** Programmatic defaults: loopback, a free port, quiet logs. The CLI sets its own port and log level. */
export const STORE_DEFAULTS: StoreOptions = {
  host: '127.0.0.1',
  port: 0,
  database: DEFAULT_DATABASE,
  webhookSecrets: [],
  readTokens: [],
  toleranceSeconds: WEBHOOK.toleranceSeconds,
  acceptBodyOnlySignatures: false,
  bodyLimitBytes: 1024 * 1024,
  retentionDays: 30,
  databaseSchema: 'public',
  retentionIntervalMs: 60 * 60 * 1000,
  logLevel: 'silent',
  logSink: line => process.stdout.write(line + '\n'),
  poolSize: 8
}

export function resolveStoreOptions(partial: Partial<StoreOptions>): StoreOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined))
  const options: StoreOptions = { ...STORE_DEFAULTS, ...defined }
  const secrets = options.webhookSecrets.filter(s => s.length > 0)
  if (secrets.length === 0)
    throw new Error('store: at least one webhook secret is required (PIQUE_STORE_WEBHOOK_SECRETS)')
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(options.databaseSchema)) {
    throw new Error(
      `store: database schema "${options.databaseSchema}" must be a plain identifier (letters, digits, _)`
    )
  }
  for (const [name, value] of [
    ['toleranceSeconds', options.toleranceSeconds],
    ['bodyLimitBytes', options.bodyLimitBytes],
    ['retentionDays', options.retentionDays],
    ['port', options.port]
  ] as const) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`store: ${name} must be a number ≥ 0, got ${value}`)
  }
  if (!Number.isInteger(options.port) || options.port > 65535)
    throw new Error(`store: port must be a whole number 0-65535, got ${options.port}`)
  return { ...options, webhookSecrets: secrets, readTokens: options.readTokens.filter(t => t.length > 0) }
}

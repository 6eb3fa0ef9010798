/**
 * `pique-gate store`: run the webhook store until SIGTERM/SIGINT. Settings come from flags or PIQUE_STORE_*
 * variables; secrets and tokens only from the environment (or a file named by *_FILE), so they never show in
 * `ps` or in logs.
 */
import { readFileSync } from 'node:fs'
import { type Command, Option } from 'commander'
import { createLogger } from '../store/log.js'
import {
  DEFAULT_DATABASE,
  LOG_LEVELS,
  type LogLevel,
  type RunningStore,
  STORE_DEFAULTS,
  type StoreOptions
} from '../store/options.js'
import { startStore } from '../store/server.js'
import { EXIT } from './program.js'

/** The numeric settings, each checked in one place: a bad one is one line naming the flag (or variable), exit 2. */
const NUMBERS = {
  port: {
    flag: '--port',
    env: 'PIQUE_STORE_PORT',
    min: 0,
    max: 65535,
    expected: 'a port number 0-65535 (0 picks a free one)'
  },
  toleranceSeconds: {
    flag: '--tolerance-seconds',
    env: 'PIQUE_STORE_TOLERANCE_SECONDS',
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    expected: 'whole seconds ≥ 0'
  },
  bodyLimitBytes: {
    flag: '--body-limit-bytes',
    env: 'PIQUE_STORE_BODY_LIMIT_BYTES',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    expected: 'whole bytes ≥ 1'
  },
  retentionDays: {
    flag: '--retention-days',
    env: 'PIQUE_STORE_RETENTION_DAYS',
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    expected: 'whole days ≥ 0'
  }
} as const
type NumberKey = keyof typeof NUMBERS

/** The flag values as numbers, or the first bad one's message, named as the user gave it (flag or variable). */
function numbersFrom<K extends NumberKey>(
  flags: Record<K, string | number>,
  command: Command,
  keys: readonly K[]
): Record<K, number> | string {
  const out = {} as Record<K, number>
  for (const key of keys) {
    const { flag, env, min, max, expected } = NUMBERS[key]
    const text = String(flags[key]).trim()
    const n = Number(text)
    if (!/^\d+$/.test(text) || n < min || n > max)
      return `${command.getOptionValueSource(key) === 'env' ? env : flag}: expected ${expected}, got "${flags[key]}"`
    out[key] = n
  }
  return out
}

/** A comma-separated list from NAME, or from the file NAME_FILE (one per line or comma-separated). */
export function secretList(env: NodeJS.ProcessEnv, name: string): string[] {
  const file = env[`${name}_FILE`]
  const text = file ? readFileSync(file, 'utf8') : (env[name] ?? '')
  return text
    .split(/[,\n]/)
    .map(s => s.trim())
    .filter(Boolean)
}

const BODY_ONLY_ENV = 'PIQUE_STORE_ACCEPT_BODY_ONLY_SIGNATURES'

/**
 * An on/off variable read strictly (commander would turn any value, "false" included, on): true/1/yes, false/0/no or
 * empty; anything else is the message naming it.
 */
function envSwitch(env: NodeJS.ProcessEnv, name: string): boolean | string {
  const value = (env[name] ?? '').trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(value)) return true
  if (['', 'false', '0', 'no', 'off'].includes(value)) return false
  return `${name}: expected true or false, got "${(env[name] ?? '').slice(0, 20)}"`
}

interface DeliveryRuleFlags {
  toleranceSeconds: string | number
  bodyLimitBytes: string | number
  acceptBodyOnlySignatures: boolean
}

/**
 * The options that decide how a delivery is judged, shared by `store` and `verify-delivery` so a captured delivery
 * is checked exactly as the store would check it.
 */
export function addDeliveryRuleOptions(command: Command): void {
  command
    .addOption(
      new Option('--tolerance-seconds <n>', 'allowed clock difference for signature timestamps')
        .env('PIQUE_STORE_TOLERANCE_SECONDS')
        .default(STORE_DEFAULTS.toleranceSeconds)
    )
    .addOption(
      new Option(
        '--accept-body-only-signatures',
        'also accept X-Webhook-Signature: sha256=<hex> or a bare hex HMAC of the body; they carry no timestamp, so a ' +
          'captured delivery can be replayed at any time (docs/store.md). Env: PIQUE_STORE_ACCEPT_BODY_ONLY_SIGNATURES=true'
      ).default(false)
    )
    .addOption(
      new Option('--body-limit-bytes <n>', 'largest accepted request body')
        .env('PIQUE_STORE_BODY_LIMIT_BYTES')
        .default(STORE_DEFAULTS.bodyLimitBytes)
    )
}

/** The delivery-rule options as values, or the first bad one's message naming its flag or variable. */
export function deliveryRulesFrom(
  flags: DeliveryRuleFlags,
  command: Command
): Pick<StoreOptions, 'toleranceSeconds' | 'bodyLimitBytes' | 'acceptBodyOnlySignatures'> | string {
  const numbers = numbersFrom(flags, command, ['toleranceSeconds', 'bodyLimitBytes'])
  if (typeof numbers === 'string') return numbers
  const bodyOnly = flags.acceptBodyOnlySignatures || envSwitch(process.env, BODY_ONLY_ENV)
  if (typeof bodyOnly === 'string') return bodyOnly
  return { ...numbers, acceptBodyOnlySignatures: bodyOnly }
}

interface StoreFlags extends DeliveryRuleFlags {
  port: string | number
  retentionDays: string | number
  host: string
  database: string
  databaseSchema: string
  logLevel: LogLevel
}

export function registerStore(program: Command): void {
  const command = program
    .command('store')
    .description(
      'Run the webhook store: verified, durable ingest of Pique webhooks at /v1/webhooks/pique and a long-poll read API.\n' +
        'Secrets from the environment: PIQUE_STORE_WEBHOOK_SECRETS (comma-separated, several during rotation) and\n' +
        'PIQUE_STORE_READ_TOKENS (comma-separated), or PIQUE_STORE_WEBHOOK_SECRETS_FILE / PIQUE_STORE_READ_TOKENS_FILE.'
    )
    .addOption(new Option('--host <host>', 'interface to listen on').env('PIQUE_STORE_HOST').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port (0 picks a free one)').env('PIQUE_STORE_PORT').default(8787))
    .addOption(
      new Option('--database <url>', 'sqlite:PATH or postgres://…')
        .env('PIQUE_STORE_DATABASE')
        .default(DEFAULT_DATABASE)
    )
    .addOption(
      new Option('--database-schema <name>', 'PostgreSQL schema for the tables')
        .env('PIQUE_STORE_DATABASE_SCHEMA')
        .default(STORE_DEFAULTS.databaseSchema)
    )
  addDeliveryRuleOptions(command)
  command
    .addOption(
      new Option('--retention-days <n>', 'delete audit events older than this (0 keeps them)')
        .env('PIQUE_STORE_RETENTION_DAYS')
        .default(STORE_DEFAULTS.retentionDays)
    )
    .addOption(
      new Option('--log-level <level>', 'JSON log level')
        .env('PIQUE_STORE_LOG_LEVEL')
        .choices(LOG_LEVELS)
        .default('info')
    )
    .action(async (flags: StoreFlags, command: Command) => {
      const numbers = numbersFrom(flags, command, ['port', 'retentionDays'])
      const rules = deliveryRulesFrom(flags, command)
      if (typeof numbers === 'string' || typeof rules === 'string') {
        console.error(`pique-gate store: ${typeof numbers === 'string' ? numbers : rules}`)
        process.exitCode = EXIT.usage
        return
      }
      let store: RunningStore
      try {
        store = await startStore({
          ...flags,
          ...numbers,
          ...rules,
          webhookSecrets: secretList(process.env, 'PIQUE_STORE_WEBHOOK_SECRETS'),
          readTokens: secretList(process.env, 'PIQUE_STORE_READ_TOKENS')
        })
      } catch (error) {
        const e = error as NodeJS.ErrnoException
        const why =
          e.code === 'EADDRINUSE'
            ? `port ${numbers.port} is already in use (try --port 0 for any free port)`
            : e.message.replace(/^store: /, '')
        console.error(`pique-gate store: ${why}`)
        process.exitCode = EXIT.usage
        return
      }
      const signal = await new Promise<NodeJS.Signals>(resolve => {
        process.once('SIGTERM', resolve)
        process.once('SIGINT', resolve)
      })
      createLogger(flags.logLevel, STORE_DEFAULTS.logSink).info('shutting down', { signal })
      await store.close()
    })
}

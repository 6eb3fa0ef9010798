/**
 * `pique-gate store`: run the webhook store until SIGTERM/SIGINT. Settings come from flags or PIQUE_STORE_*
 * variables; secrets and tokens only from the environment (or a file named by *_FILE), so they never show in
 * `ps` or in logs.
 */
import { readFileSync } from 'node:fs'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { createLogger } from '../store/log.js'
import { DEFAULT_DATABASE, type LogLevel, STORE_DEFAULTS } from '../store/options.js'
import { startStore } from '../store/server.js'

const wholeNumber = (flag: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${flag} must be a whole number ≥ 0, got "${value}"`)
  return Number(value)
}

/** A comma-separated list from NAME, or from the file NAME_FILE (one per line or comma-separated). */
export function secretList(env: NodeJS.ProcessEnv, name: string): string[] {
  const file = env[`${name}_FILE`]
  const text = file ? readFileSync(file, 'utf8') : (env[name] ?? '')
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

interface StoreFlags {
  host: string
  port: number
  database: string
  databaseSchema: string
  toleranceSeconds: number
  bodyLimitBytes: number
  retentionDays: number
  logLevel: LogLevel
}

export function registerStore(program: Command): void {
  program
    .command('store')
    .description(
      'Run the webhook store: verified, durable ingest of Pique webhooks at /v1/webhooks/pique and a long-poll read API.\n' +
        'Secrets from the environment: PIQUE_STORE_WEBHOOK_SECRETS (comma-separated, several during rotation) and\n' +
        'PIQUE_STORE_READ_TOKENS (comma-separated), or PIQUE_STORE_WEBHOOK_SECRETS_FILE / PIQUE_STORE_READ_TOKENS_FILE.'
    )
    .addOption(new Option('--host <host>', 'interface to listen on').env('PIQUE_STORE_HOST').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port (0 picks a free one)').env('PIQUE_STORE_PORT').default(8787).argParser(wholeNumber('--port')))
    .addOption(new Option('--database <url>', 'sqlite:PATH or postgres://…').env('PIQUE_STORE_DATABASE').default(DEFAULT_DATABASE))
    .addOption(
      new Option('--database-schema <name>', 'PostgreSQL schema for the tables').env('PIQUE_STORE_DATABASE_SCHEMA').default(STORE_DEFAULTS.databaseSchema)
    )
    .addOption(
      new Option('--tolerance-seconds <n>', 'allowed clock difference for signature timestamps')
        .env('PIQUE_STORE_TOLERANCE_SECONDS')
        .default(STORE_DEFAULTS.toleranceSeconds)
        .argParser(wholeNumber('--tolerance-seconds'))
    )
    .addOption(
      new Option('--body-limit-bytes <n>', 'largest accepted request body')
        .env('PIQUE_STORE_BODY_LIMIT_BYTES')
        .default(STORE_DEFAULTS.bodyLimitBytes)
        .argParser(wholeNumber('--body-limit-bytes'))
    )
    .addOption(
      new Option('--retention-days <n>', 'delete audit events older than this (0 keeps them)')
        .env('PIQUE_STORE_RETENTION_DAYS')
        .default(STORE_DEFAULTS.retentionDays)
        .argParser(wholeNumber('--retention-days'))
    )
    .addOption(new Option('--log-level <level>', 'JSON log level').env('PIQUE_STORE_LOG_LEVEL').choices(['debug', 'info', 'warn', 'error', 'silent']).default('info'))
    .action(async (flags: StoreFlags) => {
      const store = await startStore({
        ...flags,
        webhookSecrets: secretList(process.env, 'PIQUE_STORE_WEBHOOK_SECRETS'),
        readTokens: secretList(process.env, 'PIQUE_STORE_READ_TOKENS')
      })
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', resolve)
        process.once('SIGINT', resolve)
      })
      createLogger(flags.logLevel, STORE_DEFAULTS.logSink).info('shutting down', { signal })
      await store.close()
    })
}

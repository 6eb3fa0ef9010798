/**
 * `pique-gate emulator`: the local Pique emulator on a fixed port until SIGINT/SIGTERM (docs/emulator.md).
 * Flags override PIQUE_EMULATOR_* variables; secrets are better passed through the environment.
 */
import type { Command } from 'commander'
import { ConfigError, formatProblem } from '../config/problems.js'
import { EMULATOR_ENV, type EmulatorFlags, emulatorOptionsFrom } from '../emulator/config.js'
import { mediaLibraryProblem } from '../emulator/media.js'
import {
  DEFAULT_EMULATOR_API_KEY,
  EMULATOR_LISTENING,
  type EmulatorOptions,
  type RunningEmulator
} from '../emulator/options.js'
import { startEmulator } from '../emulator/server.js'
import { EXIT } from './program.js'

/** A fixed default port, so a workflow's `api-url` can be written down; 0 picks a free one. */
export const DEFAULT_EMULATOR_PORT = '4010'

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('Run the local Pique emulator (API under /v1, inspection under /_emulator/)')
    .option('--port <n>', `port to listen on, 0 = any free (or ${EMULATOR_ENV.port}; default ${DEFAULT_EMULATOR_PORT})`)
    .option('--host <host>', `address to bind (or ${EMULATOR_ENV.host}; default 127.0.0.1)`)
    .option(
      '--api-key <key>',
      `API key of the default organization; repeatable (or ${EMULATOR_ENV.apiKeys}, comma-separated)`,
      collect
    )
    .option(
      '--organizations <file>',
      `YAML/JSON list of organizations {id, apiKeys, webhookUrl, webhookSecret} (or ${EMULATOR_ENV.organizations})`
    )
    .option('--webhook-url <url>', `default organization's webhook URL (or ${EMULATOR_ENV.webhookUrl})`)
    .option('--webhook-secret <secret>', `default organization's webhook secret (prefer ${EMULATOR_ENV.webhookSecret})`)
    .option('--seed <n>', `seed of scores and faults (or ${EMULATOR_ENV.seed}; default 1)`)
    .option('--scenario <file>', `YAML/JSON list of scenario rules (or ${EMULATOR_ENV.scenario})`)
    .option(
      '--validation-errors <style>',
      `invalid requests as "plain" 400 + string detail or "fastapi" 422 + [{loc, msg, type}] (or ${EMULATOR_ENV.validationErrors}; default plain)`
    )
    .option(
      '--profile <name>',
      `"documented" (replies exactly as documented) or "realistic" (production-like: slow jobs, download failures, drifting replies; docs/emulator.md) (or ${EMULATOR_ENV.profile}; default documented)`
    )
    .option(
      '--time-scale <factor>',
      `multiplies the realistic profile's stage times, e.g. 0.01 (or ${EMULATOR_ENV.timeScale}; default 1)`
    )
    .option('--rate-limit <n>', `requests per minute per API key, 0 = off (or ${EMULATOR_ENV.rateLimit})`)
    .option('--judge-ready-ms <ms>', 'pending → ready for judges with matching detectors')
    .option('--awaiting-upload-ms <ms>', 'time a job spends in awaiting_upload')
    .option('--pending-ms <ms>', 'time a job spends in pending')
    .option('--processing-ms <ms>', 'time a job spends in processing')
    .option('--webhook-attempts <n>', 'delivery attempts per webhook, the first included')
    .option('--webhook-backoff-ms <ms>', 'delay before the first retry; doubles each time')
    .option('--webhook-timeout-ms <ms>', 'how long a receiver has to answer')
    .option('--fault-error-rate <spec>', 'error probability: 0.1, or per endpoint socialMedia=0.2,getResult=0.05')
    .option('--fault-error-status <status>', 'status of injected errors (default 500)')
    .option('--fault-latency-ms <spec>', 'added latency: 200, or per endpoint getResult=500')
    .option('--fault-429 <rate[:length[:retry-after]]>', 'probability a request starts a burst of 429s')
    .option('--webhook-drop-rate <p>', 'probability a webhook delivery is never sent')
    .option('--webhook-duplicate-rate <p>', 'probability a webhook delivery is sent twice')
    .option('--webhook-delay <p:ms>', 'probability and length of a held-back delivery')
    .option('--webhook-reorder-ms <ms>', 'send deliveries due within this window in reverse order')
    .option('--no-measure-videos', 'do not download loopback URLs to measure video_specs')
    .option('--upload-url-lifetime-ms <ms>', 'lifetime of upload URLs (default 15 min; reference content 5 min)')
    .option(
      '--reference <uri...>',
      'gs:// reference URIs every organization counts as uploaded (others must go through reference_content)'
    )
    .action(async (flags: EmulatorFlags) => {
      let options: Partial<EmulatorOptions>
      let emulator: RunningEmulator
      try {
        options = await emulatorOptionsFrom(
          { ...flags, port: flags.port ?? (process.env[EMULATOR_ENV.port] || DEFAULT_EMULATOR_PORT) },
          process.env
        )
        emulator = await startEmulator(options)
      } catch (error) {
        const e = error as NodeJS.ErrnoException
        const why =
          e.code === 'EADDRINUSE'
            ? [`port ${options!.port} is already in use (try --port 0 for any free port)`]
            : error instanceof ConfigError
              ? error.problems.map(formatProblem)
              : [e.message]
        // A file's problems one a line, every one of them: fixing one at a time would take as many runs.
        for (const line of why) console.error(`pique-gate emulator: ${line}`)
        process.exitCode = EXIT.usage
        return
      }
      // Listen for the stop signals before anything else can take time.
      const stopped = new Promise<void>(resolve => {
        const stop = () => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          resolve()
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
      const usesDefaultKey = options.organizations?.some(o => o.apiKeys.includes(DEFAULT_EMULATOR_API_KEY))
      console.log(`${EMULATOR_LISTENING}${emulator.url}`)
      console.log(`  API:        ${emulator.url}/v1  (use it as api-url / PIQUE_API_URL: ${emulator.url})`)
      console.log(`  Inspection: ${emulator.url}/_emulator/`)
      if (options.profile === 'realistic')
        console.log(
          `  Profile:    realistic (production-like timing, failures and drift; time scale ${options.timeScale ?? 1})`
        )
      if (usesDefaultKey) console.log(`  API key:    ${DEFAULT_EMULATOR_API_KEY} (the built-in development key)`)
      if (options.measureVideos !== false) {
        const problem = await mediaLibraryProblem()
        if (problem)
          console.log(`  Warning:    video files cannot be measured (${problem}); video_specs use seeded specs`)
      }
      await stopped
      await emulator.close()
      console.log('Pique emulator stopped')
    })
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

/**
 * `pique-gate demo` (`npm run demo`): the main job end to end on this machine, no key and no network.
 * Starts a webhook store (SQLite in a temp folder) and the emulator (its organization's webhooks going to the
 * store, signed with a fresh shared secret) on free loopback ports, runs the gate over examples/judge.yml and
 * examples/urls.txt in store mode, prints the report, shuts both down.
 *
 * The demo scenario makes one URL score below the threshold, so the gate's verdict is "failed". The demo itself
 * exits 0 when the gate reached a verdict (that is what it demonstrates) and 1 only when something broke.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { mapInputs } from '../config/settings.js'
import { CLI_SURFACE } from '../config/surface.js'
import { DEFAULT_EMULATOR_API_KEY } from '../emulator/options.js'
import { loadScenarioFile } from '../emulator/scenario.js'
import { startEmulator } from '../emulator/server.js'
import { executeRun } from '../run/execute.js'
import { describeFailure } from '../gate/failure.js'
import { streamLog } from '../gate/log.js'
import { STORE_PATHS } from '../store/protocol.js'
import { startStore } from '../store/server.js'
import { EXIT } from './program.js'

export const DEMO_THRESHOLD = '0.7'

/** Stage timings that make the wait visible without being slow. */
const DEMO_TIMINGS = { judgeReadyMs: 500, awaitingUploadMs: 200, pendingMs: 200, processingMs: 600 }

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run the gate end to end against a local emulator and webhook store (no key, no network)')
    .option(
      '--examples <dir>',
      `folder with judge.yml, urls.txt and demo-scenario.yml (default: ./${DEFAULT_EXAMPLES} if it has them, else the installed package's)`
    )
    .option('--keep', 'keep the temp folder (SQLite store, JSON report) and print its path')
    .action(async (options: { examples?: string; keep?: boolean }) => {
      process.exitCode = await runDemo(options)
    })
}

/**
 * Relative to the working directory (`npm run demo` runs at the repository root). Not a literal path to the package's
 * folder: the bundler would copy the folder into dist/.
 */
const DEFAULT_EXAMPLES = 'examples'
/** The examples shipped in the npm package (and in a clone), beside dist/: `npx pique-gate demo` works anywhere. */
const packagedExamples = () => join(dirname(fileURLToPath(import.meta.url)), '..', '..', DEFAULT_EXAMPLES)

export async function runDemo(options: { examples?: string; keep?: boolean } = {}): Promise<number> {
  const examples =
    options.examples ?? (existsSync(join(DEFAULT_EXAMPLES, 'judge.yml')) ? DEFAULT_EXAMPLES : packagedExamples())
  const file = (name: string) => relative(process.cwd(), resolve(examples, name))
  if (!existsSync(file('judge.yml'))) {
    console.error(
      `pique-gate demo: ${file('judge.yml')} not found: run the demo from the repository root, or pass --examples DIR`
    )
    return EXIT.usage
  }
  const temp = mkdtempSync(join(tmpdir(), 'pique-gate-demo-'))
  // Fresh per demo: the store only accepts webhooks the emulator signs with this, and reads need this token.
  const webhookSecret = randomBytes(24).toString('hex')
  const readToken = randomBytes(24).toString('hex')
  const log = streamLog(process.stderr)
  const closers: (() => Promise<void>)[] = []
  try {
    const store = await startStore({
      host: '127.0.0.1',
      port: 0,
      database: `sqlite:${join(temp, 'store.db')}`,
      webhookSecrets: [webhookSecret],
      readTokens: [readToken]
    })
    closers.push(() => store.close())
    const ingestUrl = new URL(STORE_PATHS.ingest, store.url).toString()
    const emulator = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      organizations: [{ id: 'org_demo', apiKeys: [DEFAULT_EMULATOR_API_KEY], webhookUrl: ingestUrl, webhookSecret }],
      timings: DEMO_TIMINGS,
      scenario: await loadScenarioFile(file('demo-scenario.yml'))
    })
    closers.push(() => emulator.close())
    log.info(`Demo: Pique emulator at ${emulator.url}, webhook store at ${store.url} (SQLite in ${temp})`)
    log.info(
      `Demo: gating ${file('urls.txt')} with ${file('judge.yml')} at threshold ${DEMO_THRESHOLD}; one clip is set up to score below it`
    )

    const inputs = mapInputs({
      'api-key': DEFAULT_EMULATOR_API_KEY,
      'api-url': emulator.url,
      judge: file('judge.yml'),
      urls: file('urls.txt'),
      threshold: DEMO_THRESHOLD,
      wait: 'store',
      'store-url': store.url,
      'store-token': readToken,
      'timeout-minutes': '2',
      'report-path': join(temp, 'pique-gate-report.json'),
      comment: 'false'
    })
    const { report, failure } = await executeRun(inputs, { surface: CLI_SURFACE, log, env: {} })
    // The failure is already in the printed report: say only that the demo broke.
    if (failure) return EXIT.gateFailed
    console.log('')
    console.log(
      report.verdict === 'failed'
        ? `Demo: the gate FAILED, as the demo scenario intends (${report.reason}). In CI this step would fail (exit 1); the demo exits 0 because the gate did its job.`
        : `Demo: the gate verdict is ${report.verdict} (${report.reason}). The demo exits 0.`
    )
    if (options.keep) console.log(`Demo: kept ${temp} (JSON report pique-gate-report.json, SQLite store.db)`)
    return EXIT.ok
  } catch (error) {
    console.error(`pique-gate demo: ${describeFailure(error, CLI_SURFACE).message}`)
    return EXIT.gateFailed
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined)
    if (!options.keep) rmSync(temp, { recursive: true, force: true })
  }
}

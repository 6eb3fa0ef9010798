/**
 * The emulator action's main step: starts `pique-gate emulator` (the CLI bundle next to this one) as a detached
 * process logging to a file, waits until it prints its URL and answers an authenticated request, and sets the
 * `url`, `api-key` and `log-file` outputs. Secrets reach the emulator through its environment, never its arguments.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as core from '@actions/core'
import { DEFAULT_EMULATOR_API_KEY, EMULATOR_ENV, EMULATOR_LISTENING } from '../emulator/options.js'
import { API_KEY_HEADER, API_VERSION_PREFIX } from '../pique/limits.js'
import { State } from './state.js'

export interface StartOptions {
  scenario: string
  port: string
  apiKey: string
  webhookUrl: string
  webhookSecret: string
  args: string[]
  readyTimeoutMs: number
  /** The CLI bundle to run; defaults to dist/cli/index.js beside this bundle's folder. */
  cli?: string
  logFile?: string
}

export async function startFromInputs(): Promise<void> {
  // Set first: should anything below fail, the post step still runs as the post step (and finds nothing to stop).
  core.saveState(State.IsPost, 'true')
  const apiKey = core.getInput('api-key')
  const webhookSecret = core.getInput('webhook-secret')
  for (const secret of [apiKey, webhookSecret]) if (secret) core.setSecret(secret)
  const seconds = Number(core.getInput('ready-timeout-seconds') || '30')
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(
      `ready-timeout-seconds: expected a positive number of seconds, got "${core.getInput('ready-timeout-seconds')}"`
    )
  const started = await startInBackground({
    scenario: core.getInput('scenario'),
    port: core.getInput('port') || '0',
    apiKey,
    webhookUrl: core.getInput('webhook-url'),
    webhookSecret,
    args: core.getInput('args').split(/\s+/).filter(Boolean),
    readyTimeoutMs: seconds * 1000
  })
  core.setOutput('url', started.url)
  core.setOutput('api-key', started.apiKey)
  core.setOutput('log-file', started.logFile)
  core.info(`Pique emulator running at ${started.url} (pid ${started.pid}); it stops when the job ends`)
}

export interface StartedEmulator {
  url: string
  apiKey: string
  pid: number
  logFile: string
}

export async function startInBackground(options: StartOptions): Promise<StartedEmulator> {
  // A path, not `new URL(…, import.meta.url)`: the bundler would copy that file in as an asset.
  const cli = options.cli ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'index.js')
  const logFile = options.logFile ?? join(process.env.RUNNER_TEMP || tmpdir(), `pique-emulator-${process.pid}.log`)
  const args = [cli, 'emulator', '--port', options.port]
  if (options.scenario) args.push('--scenario', options.scenario)
  if (options.webhookUrl) args.push('--webhook-url', options.webhookUrl)
  args.push(...options.args)
  const env: NodeJS.ProcessEnv = { ...process.env }
  if (options.apiKey) env[EMULATOR_ENV.apiKeys] = options.apiKey
  if (options.webhookSecret) env[EMULATOR_ENV.webhookSecret] = options.webhookSecret

  const log = openSync(logFile, 'w')
  // Detached and unreferenced: the step ends while the emulator keeps serving the job's later steps.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env })
  closeSync(log)
  child.unref()
  if (child.pid === undefined) throw new Error(`Could not start the Pique emulator (${cli})`)
  core.saveState(State.Pid, String(child.pid))
  core.saveState(State.LogFile, logFile)

  let exited: string | undefined
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `exit code ${code}`))
  const apiKey = options.apiKey || DEFAULT_EMULATOR_API_KEY
  const deadline = Date.now() + options.readyTimeoutMs
  let url: string | undefined
  let lastProblem = 'it printed no URL'
  while (Date.now() < deadline) {
    if (exited) throw new Error(`The Pique emulator stopped (${exited}):\n${readLog(logFile)}`)
    url ??= listeningUrl(readLog(logFile))
    if (url) {
      const problem = await answers(url, apiKey)
      if (!problem) return { url, apiKey, pid: child.pid, logFile }
      lastProblem = problem
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(
    `The Pique emulator did not answer within ${options.readyTimeoutMs / 1000} s (${lastProblem}):\n${readLog(logFile)}`
  )
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd()
  } catch {
    return ''
  }
}

function listeningUrl(log: string): string | undefined {
  const line = log.split('\n').find(l => l.startsWith(EMULATOR_LISTENING))
  return line?.slice(EMULATOR_LISTENING.length).trim() || undefined
}

/** Why an authenticated request does not succeed yet, or undefined when it does. */
async function answers(url: string, apiKey: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}${API_VERSION_PREFIX}/judges`, {
      headers: { [API_KEY_HEADER]: apiKey },
      signal: AbortSignal.timeout(2000)
    })
    await response.body?.cancel()
    return response.ok ? undefined : `GET /judges answered HTTP ${response.status}`
  } catch (error) {
    return (error as Error).message
  }
}

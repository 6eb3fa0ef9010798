/**
 * One run as both entries do it: read the settings, connect the Pique client (and the store), run the gate, publish
 * the reports. A run that ends in an error publishes too (job summary, PR comment, JSON, JUnit), so a failing gate
 * never leaves an earlier verdict standing. The entries differ only in where they log, how they report and exit.
 */
import { PiqueClient } from '../pique/client.js'
import type { StoreClient } from '../store/client.js'
import type { ResultHistory } from '../reuse/history.js'
import {
  type InputSource,
  SECRET_INPUTS,
  type Settings,
  Inputs,
  echoedInput,
  readSettings,
  secretValues
} from '../config/settings.js'
import type { Surface } from '../config/surface.js'
import { publishReports, type ReportContext } from '../report/publish.js'
import { type Failure, describeFailure, failureReport } from '../gate/failure.js'
import type { GateLog } from '../gate/log.js'
import type { RunReport } from '../model/index.js'
import { type GateProgress, newProgress, runGate } from '../gate/run-gate.js'

export interface ExecuteContext {
  /** The action or the CLI: how messages and hints name inputs, and where reports go. */
  surface: Surface
  log: GateLog
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** CLI --verbose: the terminal report lists every row, not only the ones needing attention, for large runs. */
  verbose?: boolean
}

export interface GateRun {
  report: RunReport
  /** Where the JSON report was written; absent when the settings could not be read. */
  reportPath?: string
  /** Set when the run ended in an error (then `report.error` says the same). */
  failure?: Failure
}

/**
 * Reads the settings from `source` (through `read`, so the CLI can add its own rules), runs the gate and publishes
 * every report. Never throws: an error becomes a failed report that is published like any other.
 */
export async function executeRun(
  source: InputSource,
  ctx: ExecuteContext,
  read: (source: InputSource, surface: Surface) => Settings = readSettings
): Promise<GateRun> {
  const startedAt = new Date().toISOString()
  let settings: Settings
  try {
    settings = read(source, ctx.surface)
  } catch (error) {
    // No settings: no report path, token or comment setting to trust. Only the summary (or the terminal) shows it.
    const failure = describeFailure(error, ctx.surface)
    const report = failureReport(failure, { startedAt, inputs: rawInputs(source) })
    await publishReports(report, {
      comment: false,
      surface: ctx.surface,
      secrets: SECRET_INPUTS.map(n => source.get(n)).filter(Boolean),
      env: ctx.env
    })
    return { report, failure }
  }
  return executeSettings(settings, ctx, startedAt)
}

async function executeSettings(settings: Settings, ctx: ExecuteContext, startedAt: string): Promise<GateRun> {
  let run: GateRun
  // What the gate knew when it stopped, for the report of a run that fails: no second plan, and the jobs it billed.
  const progress = newProgress()
  try {
    run = { report: await runSettings(settings, ctx, progress), reportPath: settings.reportPath }
  } catch (error) {
    const failure = describeFailure(error, ctx.surface)
    const report = failureReport(failure, {
      startedAt,
      threshold: settings.threshold,
      failOnError: settings.failOnError,
      waitMode: settings.waitMode,
      inputs: settings.echo,
      progress
    })
    run = { report, reportPath: settings.reportPath, failure }
  }
  await publishReports(run.report, reportContext(settings, ctx))
  return run
}

async function runSettings(settings: Settings, ctx: ExecuteContext, progress: GateProgress): Promise<RunReport> {
  // The client refuses an empty key; without one the gate only validates the files (on-missing-key).
  const client = settings.apiKey ? connectApi(settings, ctx) : undefined
  // Loaded only in store mode, to keep the action's start fast (docs/performance.md).
  const store = settings.store
    ? new (await import('../store/client.js')).StoreClient({ baseUrl: settings.store.url, token: settings.store.token })
    : undefined
  return runGate(settings, {
    api: client,
    rateLimit: client && (() => client.rateLimit),
    store,
    history: resultHistory(settings, ctx, store),
    log: ctx.log,
    env: ctx.env,
    cwd: ctx.cwd,
    progress,
    surface: ctx.surface
  })
}

/**
 * Where a judge's earlier results live: the store when there is one (it has every run's), else a results cache when
 * `cache` is on: the folder `cache-dir` (the CLI's default), or in the action the GitHub Actions cache. Each is
 * loaded only when used, to keep the action's start fast (docs/performance.md).
 */
function resultHistory(
  settings: Settings,
  ctx: ExecuteContext,
  store: StoreClient | undefined
): (judgeFingerprint: string) => Promise<ResultHistory | undefined> {
  if (store) return async fp => (await import('../reuse/store-history.js')).storeHistory(store, fp, 'the webhook store')
  const none = async () => undefined
  if (!settings.cache) return none
  const warning = (message: string) => ctx.log.warning(message)
  const dir = settings.cacheDir
  if (dir)
    return async fp =>
      (await import('../reuse/result-cache.js')).folderResultCache({ dir, judgeFingerprint: fp, onProblem: warning })
  const env = ctx.env ?? process.env
  // The cache service's variables exist only on a runner; elsewhere the client is not even loaded.
  if (ctx.surface.kind !== 'action' || !(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)) return none
  return async fp => {
    const actions = await import('../reuse/actions-cache.js')
    if (!actions.actionsCacheAvailable()) return undefined
    return actions.actionsCacheHistory({ judgeFingerprint: fp, env, info: m => ctx.log.info(m), warning })
  }
}

function reportContext(settings: Settings, ctx: ExecuteContext): ReportContext {
  return {
    reportPath: settings.reportPath,
    junitPath: settings.junitPath,
    comment: settings.comment,
    githubToken: settings.githubToken,
    surface: ctx.surface,
    secrets: secretValues(settings),
    env: ctx.env,
    verbose: ctx.verbose
  }
}

/** The non-secret inputs as given, for a report whose settings could not be read. */
function rawInputs(source: InputSource): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of Object.values(Inputs)) {
    const value = source.get(name)
    if (value) out[name] = echoedInput(name, value)
  }
  return out
}

function connectApi(settings: Settings, { log, surface }: ExecuteContext): PiqueClient {
  return new PiqueClient({
    baseUrl: settings.apiUrl,
    apiKey: settings.apiKey,
    settingNames: surface.clientNames,
    retryAmbiguousSubmits: settings.retryAmbiguousSubmits,
    onRetry: ({ method, path, attempt, delayMs, reason }) =>
      log.info(`Retrying ${method} ${path} (attempt ${attempt}) in ${Math.round(delayMs)} ms: ${reason}`)
  })
}

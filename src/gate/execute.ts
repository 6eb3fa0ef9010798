/**
 * One run as both entries do it: connect the Pique client (and the store), run the gate, publish the reports.
 * The entries differ only in where they log, how they report and how they exit.
 */
import { PiqueClient } from '../pique/client.js'
import { StoreClient } from '../store/client.js'
import { type Settings, secretValues } from '../config/settings.js'
import { publishReports, type ReportContext } from '../report/publish.js'
import type { GateLog } from './log.js'
import type { RunReport } from './model.js'
import { runGate } from './run-gate.js'

export interface ExecuteContext {
  target: ReportContext['target']
  log: GateLog
  env?: NodeJS.ProcessEnv
  cwd?: string
}

export async function executeGate(settings: Settings, ctx: ExecuteContext): Promise<RunReport> {
  // The client refuses an empty key; without one the gate only validates the files (on-missing-key).
  const client = settings.apiKey ? connectApi(settings, ctx.log) : undefined
  const store = settings.store ? new StoreClient({ baseUrl: settings.store.url, token: settings.store.token }) : undefined
  const report = await runGate(settings, {
    api: client,
    rateLimit: client && (() => client.rateLimit),
    store,
    log: ctx.log,
    env: ctx.env,
    cwd: ctx.cwd
  })
  await publishReports(report, {
    reportPath: settings.reportPath,
    junitPath: settings.junitPath,
    comment: settings.comment,
    githubToken: settings.githubToken,
    target: ctx.target,
    secrets: secretValues(settings),
    env: ctx.env
  })
  return report
}

function connectApi(settings: Settings, log: GateLog): PiqueClient {
  return new PiqueClient({
    baseUrl: settings.apiUrl,
    apiKey: settings.apiKey,
    onRetry: ({ method, path, attempt, delayMs, reason }) =>
      log.info(`Retrying ${method} ${path} (attempt ${attempt}) in ${Math.round(delayMs)} ms: ${reason}`)
  })
}

/**
 * The gate's main job, one way through: plan → ensure judge → submit → wait → verdict. Returns the RunReport;
 * publishing it and turning it into outputs and an exit code is the caller's (main.ts, cli/run.ts).
 */
import type { PiqueApi } from '../pique/api.js'
import type { RateLimitState } from '../pique/client.js'
import { LIMITS } from '../pique/limits.js'
import type { EvaluationResult } from '../pique/results.js'
import { Inputs, type Settings } from '../config/settings.js'
import { ACTION_SURFACE, type Surface } from '../config/surface.js'
import type { RegisterRequest } from '../store/protocol.js'
import { ensureJudge } from './ensure-judge.js'
import { GateError, MissingKeyError, errorMessage, isAuthError } from './errors.js'
import type { GateLog } from './log.js'
import type { JudgeInfo, RunReport, ItemOutcome } from '../model/index.js'
import { type GatePlan, buildPlan } from './plan.js'
import { submitAll } from './submit.js'
import { JobTracker } from './tracker.js'
import { plural } from '../model/index.js'
import { decide, skippedReport } from './verdict.js'
import { waitForResults } from './wait.js'
import type { StoreReader } from './wait-store.js'

export interface GateStore extends StoreReader {
  /** Where Pique should send this store's webhooks. */
  readonly ingestUrl: string
  register(jobs: RegisterRequest['jobs']): Promise<void>
}

export interface GateDeps {
  /** Absent only when there is no api-key (nothing is sent then). */
  api?: PiqueApi
  /** The client's latest rate-limit headers, for api mode's pacing. */
  rateLimit?: () => RateLimitState
  store?: GateStore
  log: GateLog
  /** GITHUB_REPOSITORY / GITHUB_SHA, recorded with the jobs in the store. */
  env?: NodeJS.ProcessEnv
  cwd?: string
  progressEveryMs?: number
  /** Filled in as the run goes, so a caller can report a run that throws from what it knew (execute.ts). */
  progress?: GateProgress
  /** How messages name inputs: `store-token` (the action, the default) or `--store-token` (the CLI). */
  surface?: Surface
}

/**
 * What a run has learned so far. A run that stops on an error is reported from this, not by planning again: its
 * judge, the jobs it already submitted (and Pique bills), and the results it had received.
 */
export interface GateProgress {
  plan?: GatePlan
  judge?: JudgeInfo
  /** Accepted batches' URLs as they are accepted; every submitted URL, in plan order, once submitting ends. */
  outcomes: ItemOutcome[]
  batchIds: string[]
  /** Results received so far, by job id: terminal ones, and the last status of jobs still running. */
  results: ReadonlyMap<string, EvaluationResult>
}

export function newProgress(): GateProgress {
  return { outcomes: [], batchIds: [], results: new Map() }
}

/** A job id no run submits: the store answers a query for it with nothing, which proves the token reads. */
export const STORE_PROBE_JOB_ID = 'pique-gate-token-check'

export async function runGate(settings: Settings, deps: GateDeps): Promise<RunReport> {
  const { log } = deps
  const startedAt = new Date().toISOString()
  const deadline = Date.now() + settings.timeoutMs
  const progress = deps.progress ?? newProgress()
  const surface = deps.surface ?? ACTION_SURFACE
  const plan = await log.group('Plan: judge file and URL lists', () => buildPlan(settings, log, deps.cwd, deps.env))
  progress.plan = plan

  const missingKey = surface.missingKeyReason
  const onMissingKey = (action: string) => surface.setting(Inputs.OnMissingKey, action)
  if (!settings.apiKey) {
    if (settings.onMissingKey === 'fail') throw new MissingKeyError(`${missingKey} (${onMissingKey('fail')})`)
    log.warning(`${missingKey}; evaluation skipped after validating the files (${onMissingKey('skip')})`)
    return skippedReport({
      threshold: settings.threshold,
      failOnError: settings.failOnError,
      waitMode: settings.waitMode,
      skippedUnchanged: plan.skippedUnchanged,
      startedAt,
      inputs: settings.echo,
      warnings: plan.warnings,
      reason: `Evaluation skipped: ${missingKey}. ${validated(plan)}`
    })
  }

  const api = deps.api
  if (!api) throw new MissingKeyError(missingKey)
  // Before anything is created or billed: a run told to use a store must be able to read from it.
  if (deps.store) await checkStore(deps.store, surface, log)
  const judge = await log.group('Ensure the judge', () =>
    ensureJudge(api, plan.judge, { log, deadline, onJudge: known => (progress.judge = known) })
  )
  progress.judge = judge
  const common = {
    threshold: settings.threshold,
    failOnError: settings.failOnError,
    waitMode: settings.waitMode,
    judge,
    skippedUnchanged: plan.skippedUnchanged,
    startedAt,
    inputs: settings.echo,
    warnings: plan.warnings
  }
  if (plan.items.length === 0) {
    return decide({ ...common, batchIds: [], outcomes: [], results: new Map(), timedOut: false })
  }

  const store = deps.store
  const webhookUrl = settings.webhookUrl ?? store?.ingestUrl
  const batches = Math.ceil(plan.items.length / LIMITS.urlsPerBatch.max)
  const submission = await log.group(
    `Submit ${plural(plan.items.length, 'URL')} in ${plural(batches, 'batch', 'batches')}`,
    () =>
      submitAll(api, plan.items, {
        judgeId: judge.id,
        webhookUrl,
        maxConcurrency: settings.maxConcurrency,
        log,
        deadline,
        onBatch: async (batchId, outcomes) => {
          progress.batchIds.push(batchId)
          progress.outcomes.push(...outcomes)
          if (store) await register(store, judge.id, outcomes, deps.env ?? process.env, log, surface)
        }
      })
  )
  progress.outcomes = submission.outcomes
  progress.batchIds = submission.batchIds

  const jobIds = submission.outcomes.filter(o => o.state === 'submitted' && o.jobId).map(o => o.jobId as string)
  const tracker = new JobTracker(jobIds, settings.threshold)
  progress.results = tracker.latest
  let timedOut = false
  if (settings.waitMode !== 'none' && jobIds.length > 0) {
    const mode = settings.waitMode
    const waited = await log.group(`Wait for ${plural(jobIds.length, 'result')} (${mode} mode)`, () =>
      waitForResults(mode, { api, store }, tracker, {
        deadline,
        timeoutMs: settings.timeoutMs,
        pollIntervalMs: settings.pollIntervalMs,
        concurrency: settings.maxConcurrency,
        rateLimit: deps.rateLimit,
        log,
        progressEveryMs: deps.progressEveryMs
      })
    )
    timedOut = waited.timedOut
  }

  const report = decide({
    ...common,
    batchIds: submission.batchIds,
    outcomes: submission.outcomes,
    results: tracker.latest,
    timedOut
  })
  const pending = report.items.filter(u => u.state === 'pending')
  if (pending.length) {
    const status = (u: ItemOutcome) => (u.result ? `, job status ${u.result.status}` : '')
    log.warning(
      `Unfinished at the deadline (${surface.input(Inputs.TimeoutMinutes)}):\n${pending.map(u => `  ${u.url} (${u.source.file}:${u.source.line}, job ${u.jobId}${status(u)})`).join('\n')}`
    )
  }
  log.info(`Verdict: ${report.verdict}: ${report.reason}`)
  return report
}

/**
 * One cheap authenticated read (a query for a job id no run submits, no waiting). A refused token or a store that
 * does not answer fails the run here, before a judge is created or a batch billed: a run given a store relies on it.
 */
async function checkStore(store: GateStore, surface: Surface, log: GateLog): Promise<void> {
  try {
    await store.query({ job_ids: [STORE_PROBE_JOB_ID], wait_seconds: 0 })
  } catch (error) {
    const status = (error as { status?: unknown }).status
    if (isAuthError(error)) {
      throw new GateError(
        `${surface.input(Inputs.StoreToken)}: the store refused the read token (HTTP ${String(status)}); nothing was submitted`
      )
    }
    throw new GateError(
      `${surface.input(Inputs.StoreUrl)}: the store cannot be read (${errorMessage(error)}); nothing was submitted`
    )
  }
  log.info('The store accepts the read token')
}

/**
 * Tell the store which jobs this run submitted. A store that refuses the token cannot report these jobs either: the
 * run stops. Other failures only warn: the store records webhooks by job id, registered or not, and the wait reads them so.
 */
async function register(
  store: GateStore,
  judgeId: string,
  outcomes: ItemOutcome[],
  env: NodeJS.ProcessEnv,
  log: GateLog,
  surface: Surface
): Promise<void> {
  const jobs = outcomes
    .filter(o => o.jobId && o.batchId)
    .map(o => ({
      job_id: o.jobId as string,
      url: o.url,
      batch_id: o.batchId as string,
      judge_id: judgeId,
      ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
      ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {})
    }))
  if (jobs.length === 0) return
  try {
    await store.register(jobs)
  } catch (error) {
    if (isAuthError(error)) {
      throw new GateError(
        `${surface.input(Inputs.StoreToken)}: the store refused the read token while registering ${plural(jobs.length, 'submitted job')} (${errorMessage(error)})`
      )
    }
    log.warning(
      `Could not register ${plural(jobs.length, 'job')} with the store (${errorMessage(error)}); the store still records their webhooks by job id, and the wait reads them from it`
    )
  }
}

function validated(plan: GatePlan): string {
  const judge = plan.judge.kind === 'file' || plan.judge.file ? 'The judge file and' : 'The'
  return `${judge} ${plural(plan.items.length, 'URL')} ${plan.items.length === 1 && judge === 'The' ? 'was' : 'were'} validated`
}

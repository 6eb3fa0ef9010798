/**
 * The gate's main job, one way through: plan → ensure judge → submit → wait → verdict. Returns the RunReport;
 * publishing it and turning it into outputs and an exit code is the caller's (main.ts, cli/run.ts).
 */
import type { PiqueApi } from '../pique/api.js'
import type { RateLimitState } from '../pique/client.js'
import { LIMITS } from '../pique/limits.js'
import type { EvaluationResult } from '../pique/results.js'
import type { Settings } from '../config/settings.js'
import type { RegisterRequest } from '../store/protocol.js'
import { ensureJudge } from './ensure-judge.js'
import { MissingKeyError, errorMessage } from './errors.js'
import type { GateLog } from './log.js'
import type { JudgeInfo, RunReport, UrlOutcome } from './model.js'
import { type GatePlan, buildPlan } from './plan.js'
import { submitAll } from './submit.js'
import { JobTracker } from './tracker.js'
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
}

/**
 * What a run has learned so far. A run that stops on an error is reported from this, not by planning again: its
 * judge, the jobs it already submitted (and Pique bills), and the results it had received.
 */
export interface GateProgress {
  plan?: GatePlan
  judge?: JudgeInfo
  /** Accepted batches' URLs as they are accepted; every submitted URL, in plan order, once submitting ends. */
  outcomes: UrlOutcome[]
  batchIds: string[]
  /** Terminal results received so far, by job id. */
  results: ReadonlyMap<string, EvaluationResult>
}

export function newProgress(): GateProgress {
  return { outcomes: [], batchIds: [], results: new Map() }
}

export const MISSING_KEY_REASON =
  'api-key is empty: repository secrets are not available to this event (a pull request from a fork, Dependabot) or the secret is not set'

export async function runGate(settings: Settings, deps: GateDeps): Promise<RunReport> {
  const { log } = deps
  const startedAt = new Date().toISOString()
  const deadline = Date.now() + settings.timeoutMs
  const progress = deps.progress ?? newProgress()
  const plan = await log.group('Plan: judge file and URL lists', () => buildPlan(settings, log, deps.cwd, deps.env))
  progress.plan = plan

  if (!settings.apiKey) {
    if (settings.onMissingKey === 'fail') throw new MissingKeyError(`${MISSING_KEY_REASON} (on-missing-key: fail)`)
    log.warning(`${MISSING_KEY_REASON}; evaluation skipped after validating the files (on-missing-key: skip)`)
    return skippedReport({
      threshold: settings.threshold,
      failOnError: settings.failOnError,
      waitMode: settings.waitMode,
      skippedUnchanged: plan.skippedUnchanged,
      startedAt,
      inputs: settings.echo,
      warnings: plan.warnings,
      reason: `Evaluation skipped: ${MISSING_KEY_REASON}. ${validated(plan)}`
    })
  }

  const api = deps.api
  if (!api) throw new MissingKeyError(MISSING_KEY_REASON)
  const judge = await log.group('Ensure the judge', () => ensureJudge(api, plan.judge, { log, deadline, onJudge: (known) => (progress.judge = known) }))
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
  if (plan.urls.length === 0) {
    return decide({ ...common, batchIds: [], outcomes: [], results: new Map(), timedOut: false })
  }

  const store = deps.store
  const webhookUrl = settings.webhookUrl ?? store?.ingestUrl
  const batches = Math.ceil(plan.urls.length / LIMITS.urlsPerBatch.max)
  const submission = await log.group(`Submit ${plan.urls.length} URL(s) in ${batches} batch(es)`, () =>
    submitAll(api, plan.urls, {
      judgeId: judge.id,
      webhookUrl,
      maxConcurrency: settings.maxConcurrency,
      log,
      deadline,
      onBatch: async (batchId, outcomes) => {
        progress.batchIds.push(batchId)
        progress.outcomes.push(...outcomes)
        if (store) await register(store, judge.id, outcomes, deps.env ?? process.env, log)
      }
    })
  )
  progress.outcomes = submission.outcomes
  progress.batchIds = submission.batchIds

  const jobIds = submission.outcomes.filter((o) => o.state === 'submitted' && o.jobId).map((o) => o.jobId as string)
  const tracker = new JobTracker(jobIds, settings.threshold)
  progress.results = tracker.results
  let timedOut = false
  if (settings.waitMode !== 'none' && jobIds.length > 0) {
    const mode = settings.waitMode
    const waited = await log.group(`Wait for ${jobIds.length} result(s) (${mode} mode)`, () =>
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

  const report = decide({ ...common, batchIds: submission.batchIds, outcomes: submission.outcomes, results: tracker.results, timedOut })
  const pending = report.urls.filter((u) => u.state === 'pending')
  if (pending.length) {
    log.warning(`Unfinished at the deadline (timeout-minutes):\n${pending.map((u) => `  ${u.url} (${u.source.file}:${u.source.line}, job ${u.jobId})`).join('\n')}`)
  }
  log.info(`Verdict: ${report.verdict}: ${report.reason}`)
  return report
}

/** Tell the store which jobs this run submitted. Best effort: waiting works by job id without it. */
async function register(store: GateStore, judgeId: string, outcomes: UrlOutcome[], env: NodeJS.ProcessEnv, log: GateLog): Promise<void> {
  const jobs = outcomes
    .filter((o) => o.jobId && o.batchId)
    .map((o) => ({
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
    log.warning(`Could not register ${jobs.length} job(s) with the store (${errorMessage(error)}); waiting by job id still works`)
  }
}

function validated(plan: GatePlan): string {
  const judge = plan.judge.kind === 'file' || plan.judge.file ? 'The judge file and' : 'The'
  return `${judge} ${plan.urls.length} URL(s) were validated`
}

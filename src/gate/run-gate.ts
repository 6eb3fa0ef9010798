/**
 * The gate's main job, one way through: plan → ensure judge → submit → wait → verdict. Each stage is one function
 * below, listed once in STAGES: it reads what earlier stages recorded in the run's progress and records its own
 * there, in that one place. Returns the RunReport; publishing it and turning it into outputs and an exit code is the
 * caller's (run/execute.ts).
 */
import type { PiqueApi } from '../pique/api.js'
import type { RateLimitState } from '../pique/client.js'
import { LIMITS, SOCIAL_MEDIA_CONTENT_TYPE } from '../pique/limits.js'
import { type EvaluationResult, serializeResult } from '../pique/results.js'
import { Inputs, type Settings } from '../config/settings.js'
import { ACTION_SURFACE, type Surface } from '../config/surface.js'
import {
  type FileItem,
  type Item,
  type ItemOutcome,
  type JudgeInfo,
  type RunReport,
  isFileItem,
  type UrlItem,
  isUrlItem,
  itemName,
  itemWord,
  plural
} from '../model/index.js'
import { formatBytes } from '../files/bytes.js'
import { uploadFiles } from './upload-files.js'
import { resolveJudgeReferences } from './references.js'
import { restrictedRun } from '../github/event.js'
import { ensureJudge } from './ensure-judge.js'
import { GateError, MissingKeyError, errorMessage } from './errors.js'
import type { NewResult, ResultHistory } from '../reuse/history.js'
import type { GateLog } from './log.js'
import { submittedJobs } from './overdue.js'
import { type GatePlan, buildPlan } from './plan.js'
import { lookUpHistory, planReuse } from './reuse.js'
import { decidedSoFar } from './decided.js'
import { itemIdentity } from '../reuse/identity.js'
import { type GateStore, checkStore, registerJobs, runRef } from './store-jobs.js'
import { type Submission, submitAll } from './submit.js'
import { retryTransientFailures } from './retry-failed.js'
import { TransientErrors } from '../pique/transient-errors.js'
import { JobTracker, type LookupNote, type ResultNotice } from './tracker.js'
import { decide, skippedReport } from './verdict.js'
import { waitForResults } from './wait.js'

export type { GateStore } from './store-jobs.js'

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
  /** Filled in as the run goes, so a caller can report a run that throws from what it knew (run/execute.ts). */
  progress?: GateProgress
  /** How messages name inputs: `store-token` (the action, the default) or `--store-token` (the CLI). */
  surface?: Surface
  /** Where earlier results of a judge live (the store or a results cache), by judge fingerprint; none: no reuse. */
  history?: (judgeFingerprint: string) => Promise<ResultHistory | undefined>
}

/**
 * What a run has learned so far. A run that stops on an error is reported from this, not by planning again: its
 * judge, the jobs it already submitted (and Pique bills), and the results it had received.
 */
export interface GateProgress {
  plan?: GatePlan
  judge?: JudgeInfo
  /** Accepted batches' items as they are accepted; every submitted item, in plan order, once submitting ends. */
  outcomes: ItemOutcome[]
  batchIds: string[]
  /** Results received so far, by job id: terminal ones, and the last status of jobs still running. */
  results: Map<string, EvaluationResult>
  /** When each finished job's result reached the gate (epoch ms), for overdue lookups and retry timing. */
  finishedAt: Map<string, number>
  /** Results-endpoint lookups per job, to say why a job never finished in the gate's eyes. */
  lookups: Map<string, LookupNote>
  /** Whether the wait reached the deadline with jobs unfinished. */
  timedOut?: boolean
  /** Replies that differed from the docs, one line each (said once per value; a disagreement once per item). */
  replyNotices?: string[]
  /** Items decided on an earlier run's result (reuse stage): not submitted, not billed. */
  reused: ItemOutcome[]
  /** Their results, by the earlier job id. */
  reusedResults: ReadonlyMap<string, EvaluationResult>
  /** What the submit stage sends: the plan's items less the reused ones, with identities and earlier results. */
  toSubmit?: Item[]
  history?: ResultHistory
}

export function newProgress(): GateProgress {
  return {
    outcomes: [],
    batchIds: [],
    results: new Map(),
    finishedAt: new Map(),
    lookups: new Map(),
    reused: [],
    reusedResults: new Map()
  }
}

/** One run as the stages see it: its settings and dependencies, its clock, and the progress they record. */
interface GateRun {
  settings: Settings
  deps: GateDeps
  log: GateLog
  surface: Surface
  startedAt: string
  /** Epoch ms: no stage (request, retry or wait) runs past it. */
  deadline: number
  progress: GateProgress
}

/** A stage does its part and records it in `run.progress`; one that returns a report ends the run there. */
type Stage = (run: GateRun) => Promise<RunReport | undefined>

/** The stages, in order. A new stage (reuse between plan and submit, say) is one more entry here. */
const STAGES: readonly Stage[] = [
  plan,
  skipWithoutKey,
  checkStoreFirst,
  lockedReferences,
  ensureTheJudge,
  reuse,
  submit,
  wait,
  retryFailed,
  remember,
  verdict
]

export async function runGate(settings: Settings, deps: GateDeps): Promise<RunReport> {
  const run: GateRun = {
    settings,
    deps,
    log: deps.log,
    surface: deps.surface ?? ACTION_SURFACE,
    startedAt: new Date().toISOString(),
    deadline: Date.now() + settings.timeoutMs,
    progress: deps.progress ?? newProgress()
  }
  for (const stage of STAGES) {
    const report = await stage(run)
    if (report) return report
  }
  throw new Error('the gate ended without a verdict')
}

async function plan(run: GateRun): Promise<undefined> {
  const { settings, deps, log } = run
  run.progress.plan = await log.group('Plan: judge file and URL lists', () =>
    buildPlan(settings, log, deps.cwd, deps.env)
  )
  return undefined
}

/** Without an API key the run only validates the files (on-missing-key skip) or stops (fail). */
async function skipWithoutKey(run: GateRun): Promise<RunReport | undefined> {
  const { settings, surface, log } = run
  if (settings.apiKey) {
    apiOf(run)
    return undefined
  }
  // A fork's or Dependabot's run never gets the secret: expected, so a notice; elsewhere the secret may be unset.
  const restricted = restrictedRun(run.deps.env ?? process.env)
  const missingKey = restricted
    ? `${surface.input(Inputs.ApiKey)} is empty because ${restricted.why}`
    : surface.missingKeyReason
  if (settings.onMissingKey === 'fail')
    throw new MissingKeyError(`${missingKey} (${surface.setting(Inputs.OnMissingKey, 'fail')})`)
  const message = `${missingKey}; evaluation skipped after validating the files (${surface.setting(Inputs.OnMissingKey, 'skip')})`
  if (restricted) log.notice(message)
  else log.warning(message)
  const planned = planOf(run)
  return skippedReport({
    threshold: settings.threshold,
    failOnError: settings.failOnError,
    waitMode: settings.waitMode,
    skippedUnchanged: planned.skippedUnchanged,
    skippedUnchangedKinds: planned.skippedUnchangedKinds,
    startedAt: run.startedAt,
    inputs: settings.echo,
    warnings: planned.warnings,
    reason: `Evaluation skipped: ${missingKey}. ${validated(planned)}`
  })
}

/** Before anything is created or billed: a run told to use a store must be able to read from it. */
async function checkStoreFirst(run: GateRun): Promise<undefined> {
  if (run.deps.store) await checkStore(run.deps.store, run.surface, run.log)
  return undefined
}

/** Local reference files in the judge file become gs:// URIs: from the lock, or uploaded now (the lock is then stale). */
async function lockedReferences(run: GateRun): Promise<undefined> {
  const source = planOf(run).judge
  if (source.kind !== 'file' || !source.file.references?.length) return undefined
  const { settings, deps, log } = run
  const resolved = await log.group('Reference files', () =>
    resolveJudgeReferences(apiOf(run), source.file, {
      cwd: deps.cwd,
      apiUrl: settings.apiUrl,
      deadline: run.deadline,
      maxBytes: settings.maxFileBytes,
      log
    })
  )
  source.file = resolved.file
  if (resolved.warning) {
    planOf(run).warnings.push(resolved.warning)
    log.warning(resolved.warning, { file: resolved.lockPath, line: 1 })
  }
  return undefined
}

async function ensureTheJudge(run: GateRun): Promise<undefined> {
  const { progress, log } = run
  // Recorded as soon as it is known, before it is ready: a run that stops later still reports which judge it had.
  progress.judge = await log.group('Ensure the judge', () =>
    ensureJudge(apiOf(run), planOf(run).judge, {
      log,
      deadline: run.deadline,
      onJudge: known => (progress.judge = known),
      needs: contentTypeNeeded(planOf(run))
    })
  )
  return undefined
}

/** Earlier results: reuse what is young enough (reuse-max-age; none with force-all), attach the rest for deltas. */
async function reuse(run: GateRun): Promise<undefined> {
  const { settings, deps, log, progress } = run
  const items = planOf(run).items
  const fingerprint = judgeOf(run).fingerprint
  const history = fingerprint ? await deps.history?.(fingerprint) : undefined
  progress.history = history
  if (!history || items.length === 0) return undefined
  const env = deps.env ?? process.env
  const maxAgeSeconds = settings.forceAll ? 0 : settings.reuseMaxAgeSeconds
  const base =
    env.GITHUB_REPOSITORY && env.GITHUB_BASE_REF
      ? { repository: env.GITHUB_REPOSITORY, ref: env.GITHUB_BASE_REF }
      : undefined
  await log.group(`Reuse: earlier results in ${history.where}`, async () => {
    // Each identity once: a URL's is a parse and a sort of its query, 10,000 of them in a large run.
    const identities = items.map(itemIdentity)
    const found = await lookUpHistory(history, identities, { maxAgeSeconds, ...(base ? { base } : {}) }, log)
    const planned = planReuse(items, found, identities)
    progress.reused = planned.reused
    progress.reusedResults = planned.results
    progress.toSubmit = planned.toSubmit
    const why = settings.forceAll
      ? ` (${run.surface.setting(Inputs.ForceAll, 'true')})`
      : maxAgeSeconds === 0
        ? ` (${run.surface.setting(Inputs.ReuseMaxAge, '0')})`
        : ''
    log.info(
      `${plural(planned.reused.length, 'earlier result')} reused, ${plural(planned.toSubmit.length, 'item')} to evaluate${why}`
    )
  })
  return undefined
}

async function submit(run: GateRun): Promise<undefined> {
  const urlOutcomes = await submitUrls(run)
  const fileOutcomes = await uploadTheFiles(run)
  // Plan order: URLs, then files.
  run.progress.outcomes = [...urlOutcomes, ...fileOutcomes]
  return undefined
}

/** Media files: one presigned-upload job each, uploaded from disk. */
async function uploadTheFiles(run: GateRun): Promise<ItemOutcome[]> {
  const files = (run.progress.toSubmit ?? planOf(run).items).filter(isFileItem)
  if (files.length === 0) return []
  const total = files.reduce((n, f) => n + f.size, 0)
  return run.log.group(`Upload ${plural(files.length, 'media file')} (${formatBytes(total)})`, () =>
    uploadItems(run, files)
  )
}

/**
 * Uploads files to the run's judge; each job is recorded (and registered with the store) at once, its outcome too
 * unless it is a retry (`asItems` false), which retry-failed merges into its item itself, after checking the file
 * still holds the bytes planned.
 */
function uploadItems(run: GateRun, files: readonly FileItem[], asItems = true): Promise<ItemOutcome[]> {
  const { settings, deps, log, progress } = run
  const judge = judgeOf(run)
  return uploadFiles(apiOf(run), files, {
    judgeId: judge.id,
    webhookUrl: settings.webhookUrl ?? deps.store?.ingestUrl,
    maxConcurrency: settings.maxConcurrency,
    log,
    deadline: run.deadline,
    cwd: deps.cwd,
    recheckContent: !asItems,
    // Recorded at once: a run that stops mid-upload still reports the jobs it created.
    onFile: async outcome => {
      if (asItems) progress.outcomes.push(outcome)
      // Registered like a batch's jobs, so its result joins the file's history (reuse by content SHA-256).
      if (deps.store && outcome.state === 'submitted')
        await registerJobs(deps.store, judge, [outcome], deps.env ?? process.env, log, run.surface)
    }
  })
}

async function submitUrls(run: GateRun): Promise<ItemOutcome[]> {
  const { log, progress } = run
  const items = (progress.toSubmit ?? planOf(run).items).filter(isUrlItem)
  if (items.length === 0) return []
  const batches = Math.ceil(items.length / LIMITS.urlsPerBatch.max)
  const submission = await log.group(
    `Submit ${plural(items.length, 'URL')} in ${plural(batches, 'batch', 'batches')}`,
    () => submitItems(run, items)
  )
  progress.outcomes = [...submission.outcomes]
  progress.batchIds = submission.batchIds
  return submission.outcomes
}

/**
 * Submits items to the run's judge; each accepted batch is recorded (and registered with the store) at once, its
 * outcomes too unless they are retries (`asItems` false), which retry-failed merges into their items itself.
 */
function submitItems(run: GateRun, items: readonly UrlItem[], asItems = true): Promise<Submission> {
  const { settings, deps, log, progress } = run
  const judge = judgeOf(run)
  const store = deps.store
  return submitAll(apiOf(run), items, {
    judgeId: judge.id,
    webhookUrl: settings.webhookUrl ?? store?.ingestUrl,
    maxConcurrency: settings.maxConcurrency,
    log,
    deadline: run.deadline,
    // Each accepted batch is recorded at once: a run that stops mid-submit still reports the jobs Pique bills.
    onBatch: async (batchId, outcomes) => {
      progress.batchIds.push(batchId)
      if (asItems) progress.outcomes.push(...outcomes)
      if (store) await registerJobs(store, judge, outcomes, deps.env ?? process.env, log, run.surface)
    }
  })
}

async function wait(run: GateRun): Promise<undefined> {
  await waitFor(run, run.progress.outcomes, n => `Wait for ${plural(n, 'result')} (${run.settings.waitMode} mode)`)
  return undefined
}

/** Waits for the jobs of `outcomes`; their results land in the run's progress as they come. */
async function waitFor(run: GateRun, outcomes: readonly ItemOutcome[], title: (jobs: number) => string): Promise<void> {
  const { settings, deps, log, progress } = run
  const jobIds = outcomes.filter(o => o.state === 'submitted' && o.jobId).map(o => o.jobId as string)
  if (settings.waitMode === 'none' || jobIds.length === 0) return
  const byJob = new Map(outcomes.map(o => [o.jobId, o]))
  const noticeLine = ({ jobId, note }: ResultNotice) => {
    const o = byJob.get(jobId)
    return `Pique's reply for ${o ? `${itemName(o)} (${o.source.file}:${o.source.line}, job ${jobId})` : `job ${jobId}`}: ${note.message}`
  }
  // Kept across the first wait and retry-failed's, so the report lists every one.
  const replyNotices: string[] = (progress.replyNotices ??= [])
  const mode = settings.waitMode
  const tracker = new JobTracker(
    jobIds,
    settings.threshold,
    notice => {
      const line = noticeLine(notice)
      replyNotices.push(line)
      log.warning(line)
    },
    { latest: progress.results, finishedAt: progress.finishedAt, lookups: progress.lookups }
  )
  const waited = await log.group(title(jobIds.length), () =>
    waitForResults(mode, { api: apiOf(run), store: deps.store }, tracker, {
      deadline: run.deadline,
      timeoutMs: settings.timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      concurrency: settings.maxConcurrency,
      rateLimit: deps.rateLimit,
      log,
      progressEveryMs: deps.progressEveryMs,
      // Every job of the run, not only this wait's: a retry's job is overdue against the ones that finished before.
      jobs: submittedJobs([...progress.outcomes, ...outcomes])
    })
  )
  progress.timedOut = (progress.timedOut ?? false) || waited.timedOut
}

/**
 * retry-failed: items whose evaluation failed with a transient error get a new job, while the deadline allows: URLs
 * in a new batch, media files uploaded again.
 */
async function retryFailed(run: GateRun): Promise<undefined> {
  const { settings, log, progress } = run
  if (settings.waitMode === 'none' || settings.retryFailed === 0) return undefined
  progress.outcomes = await retryTransientFailures(
    progress.outcomes,
    {
      threshold: settings.threshold,
      retryFailed: settings.retryFailed,
      transient: new TransientErrors(settings.transientErrors),
      deadline: run.deadline,
      log,
      results: progress.results,
      tookMs: () => tookMs(progress.outcomes, progress.finishedAt)
    },
    {
      submit: async items => {
        const urls = items.filter(isUrlItem)
        const files = items.filter(isFileItem)
        const again = urls.length
          ? await log.group(`Resubmit ${plural(urls.length, 'URL')} (retry-failed)`, () =>
              submitItems(run, urls, false)
            )
          : { outcomes: [] }
        const uploaded = files.length
          ? await log.group(`Upload ${plural(files.length, 'media file')} again (retry-failed)`, () =>
              uploadItems(run, files, false)
            )
          : []
        // Back in the order asked: each outcome is merged into the item it retries.
        const byItem = new Map<Item, ItemOutcome>()
        urls.forEach((u, i) => byItem.set(u, again.outcomes[i]))
        files.forEach((f, i) => byItem.set(f, uploaded[i]))
        return items.map(item => byItem.get(item) as ItemOutcome)
      },
      wait: next => waitFor(run, next, n => `Wait for ${plural(n, 'resubmitted job')} (${settings.waitMode} mode)`)
    }
  )
  return undefined
}

/** A results cache remembers this run's completed results (the store has them from the webhooks already). */
async function remember(run: GateRun): Promise<undefined> {
  const { progress, log } = run
  const history = progress.history
  if (!history || history.kind !== 'cache') return undefined
  const ref = runRef(run.deps.env ?? process.env)
  const fresh: NewResult[] = []
  for (const o of progress.outcomes) {
    const result = o.jobId ? progress.results.get(o.jobId) : undefined
    if (result?.outcome !== 'completed' || !o.identity) continue
    fresh.push({ identity: o.identity, url: itemName(o), ...(ref ? { ref } : {}), result, body: resultBody(result) })
  }
  if (fresh.length === 0) return undefined
  try {
    await history.remember(fresh)
    log.info(`${plural(fresh.length, 'result')} remembered in ${history.where}`)
  } catch (error) {
    log.warning(
      `Could not remember the results in ${history.where} (${errorMessage(error)}); the next run evaluates them again`
    )
  }
  return undefined
}

async function verdict(run: GateRun): Promise<RunReport> {
  const { settings, progress, log } = run
  const planned = planOf(run)
  const judge = judgeOf(run)
  const report = decide({
    policy: planned.judge.file?.policy,
    detectors: judge.detectors,
    maxDrop: settings.maxDrop,
    threshold: settings.threshold,
    failOnError: settings.failOnError,
    waitMode: settings.waitMode,
    judge,
    batchIds: progress.batchIds,
    ...decidedSoFar(progress),
    timedOut: progress.timedOut ?? false,
    lookups: progress.lookups,
    skippedUnchanged: planned.skippedUnchanged,
    skippedUnchangedKinds: planned.skippedUnchangedKinds,
    startedAt: run.startedAt,
    inputs: settings.echo,
    // Replies that differed from the docs (undocumented values, event/status disagreements) stay in the report.
    warnings: [...planned.warnings, ...(progress.replyNotices ?? [])]
  })
  const pending = report.items.filter(o => o.state === 'pending')
  if (pending.length) {
    const status = (o: ItemOutcome) => (o.result ? `, job status ${o.result.status}` : '')
    const why = (o: ItemOutcome) => (o.notEvaluated ? `: ${o.notEvaluated.detail}` : '')
    log.warning(
      `Unfinished at the deadline (${run.surface.input(Inputs.TimeoutMinutes)}):\n${pending.map(o => `  ${itemName(o)} (${o.source.file}:${o.source.line}, job ${o.jobId}${status(o)})${why(o)}`).join('\n')}`
    )
  }
  const notEvaluated = report.items.filter(o => o.state === 'not_evaluated')
  if (notEvaluated.length)
    log.warning(
      `Not evaluated (these fail the gate under any setting):\n${notEvaluated.map(o => `  ${itemName(o)} (${o.source.file}:${o.source.line}): ${o.notEvaluated?.detail ?? o.error ?? 'never submitted'}`).join('\n')}`
    )
  log.info(`Verdict: ${report.verdict}: ${report.reason}`)
  return report
}

/**
 * The judge content type the planned items need: video for URLs; for media files alone, theirs. Files of several
 * types cannot share one judge: said here, naming them, before anything is created.
 */
function contentTypeNeeded(plan: GatePlan): { type: string; why: string } | undefined {
  const files = plan.items.filter(isFileItem)
  if (plan.items.some(isUrlItem)) {
    const other = files.filter(f => f.contentType !== SOCIAL_MEDIA_CONTENT_TYPE)
    if (other.length)
      throw new GateError(
        `Social-media URLs need a ${SOCIAL_MEDIA_CONTENT_TYPE} judge, and one judge evaluates one content type: ${other.map(f => `${f.path} (${f.contentType})`).join(', ')} cannot be gated in the same run`
      )
    return undefined
  }
  const types = [...new Set(files.map(f => f.contentType))]
  if (types.length > 1) {
    const byType = types.map(
      t =>
        `${t}: ${files
          .filter(f => f.contentType === t)
          .map(f => f.path)
          .join(', ')}`
    )
    throw new GateError(
      `One judge evaluates one content type, and the media files mix ${types.join(' and ')} (${byType.join('; ')})`
    )
  }
  return types.length ? { type: types[0], why: `the media files (${types[0]})` } : undefined
}

// What a stage needs from an earlier one; the order of STAGES guarantees it, these say so when it does not.
function planOf(run: GateRun): GatePlan {
  return need(run.progress.plan, 'a plan')
}
function judgeOf(run: GateRun): JudgeInfo {
  return need(run.progress.judge, 'a judge')
}
function apiOf(run: GateRun): PiqueApi {
  if (!run.deps.api) throw new MissingKeyError(run.surface.missingKeyReason)
  return run.deps.api
}
function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: a gate stage ran before ${what} was known`)
  return value
}

function validated(plan: GatePlan): string {
  const judge = plan.judge.kind === 'file' || plan.judge.file ? 'The judge file and' : 'The'
  return `${judge} ${plural(plan.items.length, itemWord(plan.items))} ${plan.items.length === 1 && judge === 'The' ? 'was' : 'were'} validated`
}

/** How long each finished job took, from its batch's submit to its result reaching the gate. */
function tookMs(outcomes: readonly ItemOutcome[], finishedAt: ReadonlyMap<string, number>): number[] {
  return outcomes.flatMap(o => {
    const at = o.jobId ? finishedAt.get(o.jobId) : undefined
    return at !== undefined && o.submittedAt ? [at - Date.parse(o.submittedAt)] : []
  })
}

/** A result as the cache keeps it: the webhook body Pique would have sent. */
function resultBody(result: EvaluationResult): Record<string, unknown> {
  return serializeResult(result, 'webhook')
}

/**
 * The gate's two calls to the webhook store besides waiting: a token check before anything is billed, and telling the
 * store which jobs a batch started.
 */
import { Inputs } from '../config/settings.js'
import type { Surface } from '../config/surface.js'
import { type ItemOutcome, type JudgeInfo, itemName, plural } from '../model/index.js'
import type { RegisterRequest } from '../store/protocol.js'
import { GateError, errorMessage, isAuthError } from './errors.js'
import type { GateLog } from './log.js'
import type { StoreReader } from './wait-store.js'

export interface GateStore extends StoreReader {
  /** Where Pique should send this store's webhooks. */
  readonly ingestUrl: string
  register(jobs: RegisterRequest['jobs']): Promise<void>
}

/** A job id no run submits: the store answers a query for it with nothing, which proves the token reads. */
const STORE_PROBE_JOB_ID = 'pique-gate-token-check'

/**
 * One cheap authenticated read (a query for a job id no run submits, no waiting). A refused token or a store that
 * does not answer fails the run here, before a judge is created or a batch billed: a run given a store relies on it.
 */
export async function checkStore(store: GateStore, surface: Surface, log: GateLog): Promise<void> {
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
export async function registerJobs(
  store: GateStore,
  judge: Pick<JudgeInfo, 'id' | 'fingerprint'>,
  outcomes: ItemOutcome[],
  env: NodeJS.ProcessEnv,
  log: GateLog,
  surface: Surface
): Promise<void> {
  const ref = runRef(env)
  const jobs = outcomes
    .filter(o => o.jobId)
    .map(o => ({
      job_id: o.jobId as string,
      url: itemName(o),
      ...(o.batchId ? { batch_id: o.batchId } : {}),
      judge_id: judge.id,
      ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
      ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}),
      // The item this job evaluates: its result joins that item's history, for reuse and deltas (docs/reuse.md).
      ...(judge.fingerprint && o.identity ? { judge_fingerprint: judge.fingerprint, identity: o.identity } : {}),
      ...(ref ? { ref } : {})
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

/** The branch a run is on: the pull request's head branch, else the pushed branch or tag. */
export function runRef(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || undefined
}

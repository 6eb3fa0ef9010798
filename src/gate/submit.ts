/**
 * Submit the planned URLs in batches of at most LIMITS.urlsPerBatch.max, up to `maxConcurrency` batches at once.
 * Every URL keeps its job id, batch id and source line; a job the API reports `failed` at submit time is recorded as
 * failed with the reason. A batch refused because of particular URLs is sent again without them (submit-refused.ts);
 * a batch that is not accepted at all leaves its URLs `not_evaluated` with the reason, and the other batches carry on.
 */
import type { PiqueApi } from '../pique/api.js'
import { LIMITS, isJobStatus } from '../pique/limits.js'
import { PiqueCallError, PiqueDeadlineError } from '../pique/errors.js'
import type { SocialMediaResponse } from '../pique/schema.js'
import { chunk, forEachLimit } from './concurrency.js'
import { errorMessage, isAuthError } from './errors.js'
import type { GateLog } from './log.js'
import { type ItemOutcome, type UrlItem, inPlanOrder, plural } from '../model/index.js'
import { submitWithoutRefused } from './submit-refused.js'

export interface SubmitOptions {
  judgeId: string
  webhookUrl?: string
  maxConcurrency: number
  log: GateLog
  /** Batch size; the API's maximum unless a test needs smaller. */
  batchSize?: number
  /** Epoch ms: no submit request (retries included) runs past it; a batch it stops is recorded as failed. */
  deadline?: number
  /** Told about each accepted batch (e.g. to register its jobs with the store). */
  onBatch?: (batchId: string, outcomes: ItemOutcome[]) => Promise<void>
}

export interface Submission {
  /** In plan order. */
  outcomes: ItemOutcome[]
  /** In submit order of the chunks. */
  batchIds: string[]
}

export async function submitAll(api: PiqueApi, urls: readonly UrlItem[], options: SubmitOptions): Promise<Submission> {
  const batches = chunk(urls, Math.min(options.batchSize ?? LIMITS.urlsPerBatch.max, LIMITS.urlsPerBatch.max))
  const outcomes: ItemOutcome[][] = []
  const batchIds: (string | undefined)[] = []
  // Said once per value, however many jobs carry it.
  const undocumented = new Set<string>()
  await forEachLimit(batches, options.maxConcurrency, async (batch, index) => {
    const submittedAt = new Date().toISOString()
    let retriedAmbiguous = false
    const sent = await submitWithoutRefused(batch, urls =>
      api.submitSocialMedia(
        {
          judge_id: options.judgeId,
          video_urls: urls,
          ...(options.webhookUrl ? { webhook_url: options.webhookUrl } : {})
        },
        { deadline: options.deadline, onRetry: info => (retriedAmbiguous ||= info.maybeAccepted === true) }
      )
    )
    const label = `Batch ${index + 1}/${batches.length}`
    const refused = sent.refused.map(r => refusedOutcome(r.item, r.reason, submittedAt))
    for (const r of sent.refused)
      options.log.warning(`${label}: ${r.reason}; the batch's other URLs are sent without it`)
    if (!sent.ok) {
      // A bad key fails every batch the same way: stop rather than report each URL.
      if (isAuthError(sent.error)) throw sent.error
      const rest = sent.rest.map(u => notAcceptedOutcome(u, sent.error, submittedAt))
      if (rest.length)
        options.log.warning(`${label} (${plural(rest.length, 'URL')}): submit failed: ${errorMessage(sent.error)}`)
      outcomes[index] = inPlanOrder(batch, [...refused, ...rest])
      return
    }
    const reply = sent.reply
    // A reply without a batch id still carries the billed jobs: they are tracked, under a stand-in batch name.
    const batchId = reply.batch_id ?? `(batch ${index + 1}: no batch_id in the reply)`
    if (reply.batch_id) batchIds[index] = reply.batch_id
    const accepted = matchJobs(sent.accepted, reply, batchId, submittedAt).map(o =>
      retriedAmbiguous ? { ...o, maybeBilled: true } : o
    )
    outcomes[index] = inPlanOrder(batch, [...accepted, ...refused])
    for (const job of reply.jobs) {
      const status = job.status
      if (status === undefined || isJobStatus(status) || undocumented.has(status)) continue
      undocumented.add(status)
      options.log.warning(
        `Pique's submit reply gave job ${job.job_id ?? '(no id)'} the undocumented status "${status}"; it is tracked like any submitted job`
      )
    }
    const failedNow = accepted.filter(o => o.state === 'failed').length
    options.log.info(
      `${label}: ${batchId}, ${plural(sent.accepted.length, 'URL')}${failedNow ? `, ${failedNow} failed at submit` : ''}${refused.length ? `, ${refused.length} refused` : ''}`
    )
    if (retriedAmbiguous)
      options.log.warning(
        `${label}: ${batchId} was accepted on a retry after an attempt of unknown outcome (retry-ambiguous-submits): Pique may have created and billed the batch twice`
      )
    await options.onBatch?.(batchId, accepted)
  })
  return { outcomes: outcomes.flat(), batchIds: batchIds.filter((id): id is string => id !== undefined) }
}

function refusedOutcome(item: UrlItem, reason: string, submittedAt: string): ItemOutcome {
  return {
    ...item,
    state: 'not_evaluated',
    error: reason,
    submittedAt,
    notEvaluated: { reason: 'refused', detail: reason }
  }
}

/**
 * A URL whose batch was not accepted: never sent (the deadline came first), or sent and failed — then Pique may
 * have taken it after all (`maybeBilled`), which the error says.
 */
function notAcceptedOutcome(item: UrlItem, error: unknown, submittedAt: string): ItemOutcome {
  const neverSent = error instanceof PiqueDeadlineError && error.attempts === 0
  const maybe = error instanceof PiqueCallError && error.maybeAccepted
  const detail = neverSent
    ? `never submitted: the deadline came before its batch could be sent (${errorMessage(error)})`
    : `its batch was not accepted: ${errorMessage(error)}`
  return {
    ...item,
    state: 'not_evaluated',
    error: detail,
    submittedAt,
    notEvaluated: { reason: neverSent ? 'not_submitted' : 'not_accepted', detail },
    ...(maybe ? { maybeBilled: true } : {})
  }
}

/**
 * The reply has one job per URL in request order; match by position, and by URL if the order ever differs. Every job
 * with an id is tracked, whatever its status says, except `failed` (that URL's failure, with Pique's error_message).
 * A URL without a job (or with a job that has no id) was never accepted in a form the gate can follow.
 */
function matchJobs(
  batch: readonly UrlItem[],
  reply: SocialMediaResponse,
  batchId: string,
  submittedAt: string
): ItemOutcome[] {
  const inOrder = reply.jobs.length === batch.length && reply.jobs.every((job, i) => job.url === batch[i].url)
  const byUrl = new Map(reply.jobs.filter(job => job.url !== undefined).map(job => [job.url, job]))
  return batch.map((planned, i) => {
    const job = inOrder ? reply.jobs[i] : (byUrl.get(planned.url) ?? reply.jobs[i])
    const notAccepted = (detail: string): ItemOutcome => ({
      ...planned,
      state: 'not_evaluated',
      batchId,
      error: detail,
      submittedAt,
      notEvaluated: { reason: 'not_accepted', detail }
    })
    if (!job) return notAccepted(`Pique accepted batch ${batchId} but returned no job for this URL`)
    if (!job.job_id)
      return {
        ...notAccepted(
          `Pique returned a job without a job_id for this URL in batch ${batchId}, so it cannot be followed`
        ),
        maybeBilled: true
      }
    const base: ItemOutcome = { ...planned, state: 'submitted', jobId: job.job_id, batchId, submittedAt }
    if (job.status === 'failed')
      return { ...base, state: 'failed', error: job.error_message ?? 'failed at submit', finishedAt: submittedAt }
    return base
  })
}

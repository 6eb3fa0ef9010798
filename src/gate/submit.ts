/**
 * Submit the planned URLs in batches of at most LIMITS.urlsPerBatch.max, up to `maxConcurrency` batches at once.
 * Every URL keeps its job id, batch id and source line; a job the API reports `failed` at submit time (or a batch
 * the API rejects) is recorded as failed with the reason, and the other batches carry on.
 */
import type { PiqueApi } from '../pique/api.js'
import { LIMITS, isJobStatus } from '../pique/limits.js'
import type { SocialMediaResponse } from '../pique/schema.js'
import { chunk, forEachLimit } from './concurrency.js'
import { errorMessage, isAuthError } from './errors.js'
import type { GateLog } from './log.js'
import type { ItemOutcome, UrlItem } from '../model/index.js'

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
    let reply: SocialMediaResponse
    try {
      reply = await api.submitSocialMedia(
        {
          judge_id: options.judgeId,
          video_urls: batch.map(u => u.url),
          ...(options.webhookUrl ? { webhook_url: options.webhookUrl } : {})
        },
        { deadline: options.deadline }
      )
    } catch (error) {
      // A bad key fails every batch the same way: stop rather than report each URL.
      if (isAuthError(error)) throw error
      const reason = `submit failed: ${errorMessage(error)}`
      options.log.warning(`Batch ${index + 1}/${batches.length} (${batch.length} URLs): ${reason}`)
      outcomes[index] = batch.map(u => ({ ...u, state: 'failed', error: reason, submittedAt }))
      return
    }
    // A reply without a batch id still carries the billed jobs: they are tracked, under a stand-in batch name.
    const batchId = reply.batch_id ?? `(batch ${index + 1}: no batch_id in the reply)`
    if (reply.batch_id) batchIds[index] = reply.batch_id
    outcomes[index] = matchJobs(batch, reply, batchId, submittedAt)
    for (const job of reply.jobs) {
      const status = job.status
      if (status === undefined || isJobStatus(status) || undocumented.has(status)) continue
      undocumented.add(status)
      options.log.warning(
        `Pique's submit reply gave job ${job.job_id ?? '(no id)'} the undocumented status "${status}"; it is tracked like any submitted job`
      )
    }
    const failedNow = outcomes[index].filter(o => o.state === 'failed').length
    options.log.info(
      `Batch ${index + 1}/${batches.length}: ${batchId}, ${batch.length} URLs${failedNow ? `, ${failedNow} failed at submit` : ''}`
    )
    await options.onBatch?.(batchId, outcomes[index])
  })
  return { outcomes: outcomes.flat(), batchIds: batchIds.filter((id): id is string => id !== undefined) }
}

/**
 * The reply has one job per URL in request order; match by position, and by URL if the order ever differs. Every job
 * with an id is tracked, whatever its status says, except `failed` (that URL's failure, with Pique's error_message).
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
    const failed = (error: string): ItemOutcome => ({ ...planned, state: 'failed', batchId, error, submittedAt })
    if (!job) return failed('the API returned no job for this URL')
    if (!job.job_id) return failed('the API returned a job without a job_id for this URL, so it cannot be followed')
    const base: ItemOutcome = { ...planned, state: 'submitted', jobId: job.job_id, batchId, submittedAt }
    if (job.status === 'failed')
      return { ...base, state: 'failed', error: job.error_message ?? 'failed at submit', finishedAt: submittedAt }
    return base
  })
}

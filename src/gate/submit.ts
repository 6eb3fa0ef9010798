/**
 * Submit the planned URLs in batches of at most LIMITS.urlsPerBatch.max, up to `maxConcurrency` batches at once.
 * Every URL keeps its job id, batch id and source line; a job the API reports `failed` at submit time (or a batch
 * the API rejects) is recorded as failed with the reason, and the other batches carry on.
 */
import type { PiqueApi } from '../pique/api.js'
import { LIMITS } from '../pique/limits.js'
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
    batchIds[index] = reply.batch_id
    outcomes[index] = matchJobs(batch, reply, submittedAt)
    const failedNow = outcomes[index].filter(o => o.state === 'failed').length
    options.log.info(
      `Batch ${index + 1}/${batches.length}: ${reply.batch_id}, ${batch.length} URLs${failedNow ? `, ${failedNow} failed at submit` : ''}`
    )
    await options.onBatch?.(reply.batch_id, outcomes[index])
  })
  return { outcomes: outcomes.flat(), batchIds: batchIds.filter((id): id is string => id !== undefined) }
}

/** The reply has one job per URL in request order; match by position, and by URL if the order ever differs. */
function matchJobs(batch: readonly UrlItem[], reply: SocialMediaResponse, submittedAt: string): ItemOutcome[] {
  const inOrder = reply.jobs.length === batch.length && reply.jobs.every((job, i) => job.url === batch[i].url)
  const byUrl = new Map(reply.jobs.map(job => [job.url, job]))
  return batch.map((planned, i) => {
    const job = inOrder ? reply.jobs[i] : (byUrl.get(planned.url) ?? reply.jobs[i])
    if (!job)
      return {
        ...planned,
        state: 'failed',
        batchId: reply.batch_id,
        error: 'the API returned no job for this URL',
        submittedAt
      }
    const base: ItemOutcome = {
      ...planned,
      state: 'submitted',
      jobId: job.job_id,
      batchId: reply.batch_id,
      submittedAt
    }
    if (job.status === 'failed')
      return { ...base, state: 'failed', error: job.error_message ?? 'failed at submit', finishedAt: submittedAt }
    return base
  })
}

/** An in-memory PiqueApi for unit tests: judges, batches and scripted results, with call counts. */
import { PiqueApiError } from '../../src/pique/errors.js'
import type { PiqueApi } from '../../src/pique/api.js'
import type { EvaluationResult } from '../../src/pique/results.js'
import type { CreateJudgeRequest, Judge, SocialMediaRequest, SocialMediaResponse } from '../../src/pique/schema.js'

export interface FakeOutcome {
  score?: number
  fail?: string
  failAtSubmit?: string
  /** getResult calls answering pending before the result shows. */
  pendingPolls?: number
  never?: boolean
}

export class FakeApi implements PiqueApi {
  judges: Judge[] = []
  submits: SocialMediaRequest[] = []
  resultCalls: string[] = []
  /** Judge ids → statuses returned by successive getJudge calls (the last repeats). */
  judgeStatusScript = new Map<string, Judge['status'][]>()
  jobs = new Map<string, { url: string; polls: number; outcome: FakeOutcome }>()
  /** URL → outcome; unlisted URLs complete with score 0.9. */
  outcomes = new Map<string, FakeOutcome>()
  /** Make every call fail with this status. */
  failWith?: number
  /** Reject submits of batches containing this URL with a 400. */
  rejectBatchWith?: string
  private seq = 0

  addJudge(partial: Partial<Judge> & Pick<Judge, 'name'>): Judge {
    const judge: Judge = {
      id: `judge-${++this.seq}`,
      description: 'd',
      content_type: 'video',
      status: 'ready',
      detector_configs: [],
      is_active: true,
      created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, this.seq)).toISOString(),
      ...partial
    }
    this.judges.unshift(judge)
    return judge
  }

  private guard(method: string, path: string): void {
    if (this.failWith)
      throw new PiqueApiError(`${method} ${path} answered ${this.failWith}`, this.failWith, method, path)
  }

  async createJudge(body: CreateJudgeRequest) {
    this.guard('POST', '/v1/judges')
    const judge = this.addJudge({
      ...body,
      status: body.detectors.some(d => d.detector_name.endsWith('_matching')) ? 'pending' : 'ready',
      detector_configs: body.detectors.map((d, i) => ({
        id: `dc-${i}`,
        detector_name: d.detector_name,
        config: d.config,
        weight: 1
      }))
    })
    return { id: judge.id, status: judge.status }
  }

  async listJudges() {
    return { judges: this.judges, total: this.judges.length, has_more: false }
  }

  async *listAllJudges() {
    this.guard('GET', '/v1/judges')
    yield* this.judges
  }

  async getJudge(id: string) {
    this.guard('GET', `/v1/judges/${id}`)
    const judge = this.judges.find(j => j.id === id)
    if (!judge)
      throw new PiqueApiError(`GET /v1/judges/${id} answered 404`, 404, 'GET', `/v1/judges/${id}`, 'Judge not found')
    const script = this.judgeStatusScript.get(id)
    if (script?.length) judge.status = script.length > 1 ? (script.shift() as Judge['status']) : script[0]
    return { ...judge }
  }

  async createReferenceContent(): Promise<never> {
    throw new Error('not used')
  }

  async createPresignedUpload(): Promise<never> {
    throw new Error('not used')
  }

  async submitSocialMedia(body: SocialMediaRequest): Promise<SocialMediaResponse> {
    this.guard('POST', '/v1/evaluations/social-media')
    if (this.rejectBatchWith && body.video_urls.includes(this.rejectBatchWith)) {
      throw new PiqueApiError(
        'POST /v1/evaluations/social-media answered 400: bad URL',
        400,
        'POST',
        '/v1/evaluations/social-media'
      )
    }
    this.submits.push(body)
    const batchId = `batch_${String(this.submits.length).padStart(16, '0')}`
    const jobs = body.video_urls.map(url => {
      const jobId = `job_${String(++this.seq).padStart(16, '0')}`
      const outcome = this.outcomes.get(url) ?? { score: 0.9 }
      this.jobs.set(jobId, { url, polls: 0, outcome })
      return {
        job_id: jobId,
        url,
        status: outcome.failAtSubmit ? ('failed' as const) : ('awaiting_upload' as const),
        error_message: outcome.failAtSubmit ?? null
      }
    })
    return { batch_id: batchId, jobs, total_videos: jobs.length, webhook_id: null }
  }

  /** The terminal result a job ends with (what a webhook would carry). */
  finalResult(jobId: string): EvaluationResult {
    const job = this.jobs.get(jobId)
    if (!job) throw new Error(`unknown job ${jobId}`)
    const { outcome } = job
    if (outcome.fail)
      return {
        event: 'evaluation.failed',
        jobId,
        status: 'failed',
        outcome: 'failed',
        error: outcome.fail,
        detectorResults: []
      }
    return {
      event: 'evaluation.completed',
      jobId,
      status: 'completed',
      outcome: 'completed',
      overallScore: outcome.score ?? 0.9,
      detectorResults: []
    }
  }

  async getResult(jobId: string): Promise<EvaluationResult> {
    this.guard('GET', `/v1/evaluations/results/${jobId}`)
    this.resultCalls.push(jobId)
    const job = this.jobs.get(jobId)
    if (!job) throw new PiqueApiError('404', 404, 'GET', `/v1/evaluations/results/${jobId}`)
    job.polls++
    if (job.outcome.never || job.polls <= (job.outcome.pendingPolls ?? 0)) {
      return { event: 'evaluation.pending', jobId, status: 'processing', outcome: 'running', detectorResults: [] }
    }
    return this.finalResult(jobId)
  }
}

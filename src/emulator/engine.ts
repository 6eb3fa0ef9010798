/**
 * The emulator's state and behaviour, free of HTTP: organizations' judges, jobs and their lifecycle
 * (awaiting_upload → pending → processing → completed | failed), scoring and webhook hand-off.
 */
import { type JobStatus, type JudgeStatus, REFERENCE_URI_PREFIX, SOCIAL_MEDIA_CONTENT_TYPE } from '../pique/limits.js'
import { findDetector } from '../pique/detectors.js'
import { type EvaluationResult, type ResultSpelling, eventForStatus, serializeResult } from '../pique/results.js'
import { formatForExtension, extensionOf } from '../pique/media-types.js'
import type { CreateJudgeRequest, DocumentedJudge, PresignedUploadRequest } from '../pique/schema.js'
import { isoTimestamp, newBatchId, newJobId, newUuid, newWebhookId } from './ids.js'
import { type MeasuredMedia, measureFile, measureVideoUrl, releaseMediaLibrary, retainMediaLibrary } from './media.js'
import type { EmulatorOptions, EmulatorOrganization } from './options.js'
import { RealisticProfile } from './realistic.js'
import { TransientJobFailures } from './faults.js'
import { Scenario } from './scenario.js'
import { judgeFingerprint, type ScoredDetector, scoreEvaluation } from './scoring.js'
import { Timers } from './timers.js'
import { type UploadSlot, UploadSlots } from './uploads.js'
import { type DeliveryAttempt, WebhookDispatcher } from './webhooks.js'

export interface JudgeRecord {
  orgId: string
  seq: number
  fingerprint: string
  judge: DocumentedJudge & { detector_configs: ScoredDetector[] }
}

export interface JobRecord {
  id: string
  orgId: string
  batchId: string
  judgeId: string
  /** The submitted URL, or `upload:<filename>` for direct uploads. */
  url: string
  status: JobStatus
  webhookUrl?: string
  /** A direct upload: what the presigned-upload request declared, and the file once it was PUT. */
  upload?: {
    filename: string
    contentType: PresignedUploadRequest['content_type']
    sizeBytes: number
    title?: string
    description?: string
    /** The kept file, once uploaded. */
    path?: string
  }
  result?: EvaluationResult
  createdAt: string
}

/** A direct-upload job's `url` is this and its filename. */
const UPLOAD_PREFIX = 'upload:'

/** Default detector weight when the create request gives none (the API documents no default). */
export const DEFAULT_DETECTOR_WEIGHT = 1

export class EmulatorEngine {
  readonly timers = new Timers()
  readonly webhookLog: DeliveryAttempt[] = []
  private readonly judges = new Map<string, JudgeRecord>()
  private readonly jobs = new Map<string, JobRecord>()
  private readonly orgWebhookIds = new Map<string, string>()
  /** Reference content URIs each organization uploaded (organization id → URIs). */
  private readonly references = new Map<string, Set<string>>()
  readonly uploads: UploadSlots
  private readonly scenario: Scenario
  private readonly webhooks: WebhookDispatcher
  /** Set with `profile: realistic`: its draws replace the fixed timings and add failures and drift. */
  private readonly realistic?: RealisticProfile
  private readonly transientFailures: TransientJobFailures
  private seq = 0

  constructor(readonly options: EmulatorOptions) {
    this.scenario = new Scenario(options.scenario)
    if (options.profile === 'realistic') this.realistic = new RealisticProfile(options.seed, options.timeScale)
    this.uploads = new UploadSlots(options.uploads)
    if (options.measureVideos) retainMediaLibrary()
    this.transientFailures = new TransientJobFailures(options.faults)
    this.webhooks = new WebhookDispatcher(options.seed, options.webhookRetry, options.faults.webhooks, this.timers, a =>
      this.keep(this.webhookLog, a)
    )
  }

  keep<T>(log: T[], entry: T): void {
    log.push(entry)
    if (log.length > this.options.inspectionLogSize) log.splice(0, log.length - this.options.inspectionLogSize)
  }

  /** Why a submit naming `url` is refused: its scenario rule's `reject`, else the realistic profile's draw. */
  submitRejection(url: string): string | undefined {
    const rule = this.scenario.find(url)
    return rule ? rule.reject : this.realistic?.submitRejection(url)
  }

  /**
   * A job's result as the channel sends it: the documented spelling, drifted under the realistic profile (extra
   * fields; undocumented statuses and events on non-final bodies; sometimes the other spelling).
   */
  replyBody(job: JobRecord, channel: ResultSpelling): Record<string, unknown> {
    const result = this.resultOf(job)
    return this.realistic ? this.realistic.drift(result, job.url, channel) : serializeResult(result, channel)
  }

  organizationForKey(key: string | undefined): EmulatorOrganization | undefined {
    if (!key) return undefined
    return this.options.organizations.find(o => o.apiKeys.includes(key))
  }

  // ---------- judges ----------

  /**
   * Creates a judge. `referenceProblem` marks a body whose only flaw is a non-gs:// reference URI: the
   * judge is accepted and fails in preprocessing, as the service would when it cannot fetch the reference. So
   * does a judge naming a gs:// URI this organization never uploaded (and that is not preloaded).
   */
  createJudge(
    org: EmulatorOrganization,
    body: CreateJudgeRequest,
    weights: (number | undefined)[],
    referenceProblem: boolean
  ): { id: string; status: JudgeStatus } {
    const now = isoTimestamp()
    const missing = this.missingReferences(org, body)
    const unusable = referenceProblem || missing.length > 0
    const preprocess = unusable || body.detectors.some(d => findDetector(d.detector_name)?.needsPreprocessing)
    const status: JudgeStatus = preprocess ? 'pending' : 'ready'
    const judge: JudgeRecord['judge'] = {
      id: newUuid(),
      name: body.name,
      description: body.description,
      content_type: body.content_type,
      status,
      detector_configs: body.detectors.map((d, i) => ({
        id: newUuid(),
        detector_name: d.detector_name,
        config: d.config,
        weight: weights[i] ?? DEFAULT_DETECTOR_WEIGHT
      })),
      is_active: true,
      created_at: now,
      updated_at: now
    }
    this.judges.set(judge.id, { orgId: org.id, seq: ++this.seq, fingerprint: judgeFingerprint(body), judge })
    if (preprocess) {
      this.timers.later(this.options.timings.judgeReadyMs, () => {
        judge.status = unusable ? 'failed' : 'ready'
        judge.updated_at = isoTimestamp()
      })
    }
    return { id: judge.id, status }
  }

  /** gs:// URIs in the body's matching detectors that the organization never uploaded. */
  private missingReferences(org: EmulatorOrganization, body: CreateJudgeRequest): string[] {
    const uploaded = this.references.get(org.id)
    const found: string[] = []
    const visit = (v: unknown): void => {
      if (typeof v === 'string' && v.startsWith(REFERENCE_URI_PREFIX)) found.push(v)
      else if (Array.isArray(v)) v.forEach(visit)
      else if (v && typeof v === 'object') Object.values(v).forEach(visit)
    }
    for (const d of body.detectors) if (findDetector(d.detector_name)?.needsPreprocessing) visit(d.config)
    return found.filter(uri => !uploaded?.has(uri) && !this.options.preloadedReferences.includes(uri))
  }

  /** An upload slot for reference content; the URI counts as the organization's once the file is PUT. */
  createReferenceSlot(org: EmulatorOrganization, fileExtension: string): { slot: UploadSlot; uri: string } {
    const ext = fileExtension.replace(/^\./, '')
    const uri = `${REFERENCE_URI_PREFIX}judge-artifacts/${org.id}/reference_uploads/${newUuid()}/reference.${ext}`
    return { slot: this.uploads.issue({ orgId: org.id, target: { kind: 'reference', uri } }), uri }
  }

  /** The organization's judges, newest first. */
  listJudges(org: EmulatorOrganization, contentType?: string): DocumentedJudge[] {
    return [...this.judges.values()]
      .filter(r => r.orgId === org.id && (!contentType || r.judge.content_type === contentType))
      .sort((a, b) => b.seq - a.seq)
      .map(r => r.judge)
  }

  /** Undefined for unknown judges and for other organizations' judges alike. */
  findJudge(org: EmulatorOrganization, id: string): JudgeRecord | undefined {
    const r = this.judges.get(id)
    return r && r.orgId === org.id ? r : undefined
  }

  // ---------- evaluations ----------

  /** Why a judge cannot evaluate social-media videos, or undefined when it can. */
  socialMediaProblem(r: JudgeRecord): string | undefined {
    if (r.judge.content_type !== SOCIAL_MEDIA_CONTENT_TYPE) {
      return `Judge ${r.judge.id} is of type '${r.judge.content_type}', not '${SOCIAL_MEDIA_CONTENT_TYPE}'`
    }
    if (r.judge.status === 'failed') return `Judge ${r.judge.id} failed preprocessing and cannot evaluate content`
    return undefined
  }

  submitSocialMedia(org: EmulatorOrganization, judge: JudgeRecord, urls: string[], webhookUrl?: string) {
    const batchId = newBatchId()
    const jobs = urls.map(url => this.newJob(org, batchId, judge, url, webhookUrl))
    for (const job of jobs) {
      const failure = this.failureOf(job.url)
      if (failure?.at === 'submit') {
        // Refused before it was queued: the reply says so, and the failed webhook follows.
        this.fail(job, failure.error)
        this.timers.later(0, () => this.notify(job))
        continue
      }
      this.timers.later(this.stageMs(job, 'awaiting_upload'), () => this.advance(job, 'pending'))
    }
    return {
      batch_id: batchId,
      jobs: jobs.map(j => {
        const listed = { job_id: j.id, url: j.url, status: j.status, error_message: j.result?.error ?? null }
        return this.realistic ? this.realistic.driftSubmittedJob(listed) : listed
      }),
      total_videos: jobs.length,
      webhook_id: this.webhookIdFor(org, webhookUrl)
    }
  }

  /** Why a judge cannot take a direct upload of this content type, or undefined when it can. */
  uploadProblem(r: JudgeRecord, contentType: string): string | undefined {
    if (r.judge.content_type !== contentType)
      return `Judge ${r.judge.id} is of type '${r.judge.content_type}', not '${contentType}'`
    if (r.judge.status === 'failed') return `Judge ${r.judge.id} failed preprocessing and cannot evaluate content`
    return undefined
  }

  /**
   * A direct-upload job and its slot: the job waits in awaiting_upload until its file is PUT. The slot signs the
   * MIME type of the file name's extension (the service's storage would sign a concrete type too).
   */
  createUploadJob(
    org: EmulatorOrganization,
    judge: JudgeRecord,
    request: PresignedUploadRequest
  ): { job: JobRecord; slot: UploadSlot } {
    const job = this.newJob(org, newBatchId(), judge, `${UPLOAD_PREFIX}${request.filename}`, request.webhook_url)
    job.upload = {
      filename: request.filename,
      contentType: request.content_type,
      sizeBytes: request.file_size_bytes,
      title: request.title,
      description: request.description
    }
    const format = formatForExtension(extensionOf(request.filename))
    const slot = this.uploads.issue({
      orgId: org.id,
      target: { kind: 'job', jobId: job.id },
      contentType: format?.contentType === request.content_type ? format.mime : 'application/octet-stream',
      sizeBytes: request.file_size_bytes
    })
    return { job, slot }
  }

  /** A finished upload: a job's file starts its evaluation; reference content becomes the organization's. */
  receiveUpload(slot: UploadSlot, path: string): void {
    if (slot.target.kind === 'reference') {
      let uris = this.references.get(slot.orgId)
      if (!uris) this.references.set(slot.orgId, (uris = new Set()))
      uris.add(slot.target.uri)
      return
    }
    const job = this.jobs.get(slot.target.jobId)
    if (!job?.upload || job.status !== 'awaiting_upload') return
    job.upload.path = path
    this.advance(job, 'pending')
  }

  findJob(org: EmulatorOrganization, id: string): JobRecord | undefined {
    const j = this.jobs.get(id)
    return j && j.orgId === org.id ? j : undefined
  }

  allJobs(): JobRecord[] {
    return [...this.jobs.values()]
  }

  /** The job's current result: `evaluation.pending` with its status until it finishes. */
  resultOf(job: JobRecord): EvaluationResult {
    return (
      job.result ?? {
        event: eventForStatus(job.status),
        jobId: job.id,
        status: job.status,
        outcome: 'running',
        judgeId: job.judgeId,
        detectorResults: [],
        timestamp: isoTimestamp()
      }
    )
  }

  private newJob(
    org: EmulatorOrganization,
    batchId: string,
    judge: JudgeRecord,
    url: string,
    webhookUrl?: string
  ): JobRecord {
    const job: JobRecord = {
      id: newJobId(),
      orgId: org.id,
      batchId,
      judgeId: judge.judge.id,
      url,
      status: 'awaiting_upload',
      webhookUrl: webhookUrl ?? org.webhookUrl,
      createdAt: isoTimestamp()
    }
    this.jobs.set(job.id, job)
    return job
  }

  private webhookIdFor(org: EmulatorOrganization, batchUrl?: string): string | null {
    if (batchUrl) return newWebhookId()
    if (!org.webhookUrl) return null
    let id = this.orgWebhookIds.get(org.id)
    if (!id) this.orgWebhookIds.set(org.id, (id = newWebhookId()))
    return id
  }

  /** How long a job stays in a stage: the configured timing, or the realistic profile's draw for its URL. */
  private stageMs(job: JobRecord, stage: 'awaiting_upload' | 'pending' | 'processing'): number {
    if (this.realistic) return this.realistic.stageMs(job.url, stage)
    const t = this.options.timings
    return stage === 'awaiting_upload' ? t.awaitingUploadMs : stage === 'pending' ? t.pendingMs : t.processingMs
  }

  /** How the job of a URL fails, if it does: its scenario rule decides, else the realistic profile's draw. */
  private failureOf(url: string): { at: 'submit' | 'processing'; error: string } | undefined {
    const rule = this.scenario.find(url)
    if (rule?.failAtSubmit) return { at: 'submit', error: rule.failAtSubmit }
    if (rule?.fail) return { at: 'processing', error: rule.fail }
    // An uploaded file is never downloaded, so it never fails a download.
    return rule || url.startsWith(UPLOAD_PREFIX) ? undefined : this.realistic?.downloadFailure(url)
  }

  private advance(job: JobRecord, status: 'pending' | 'processing'): void {
    job.status = status
    if (status === 'pending') {
      this.timers.later(this.stageMs(job, 'pending'), () => this.advance(job, 'processing'))
      return
    }
    // A production service tells some receivers a job started, before its result (a non-final webhook).
    if (this.realistic?.progressWebhook(job.url)) this.notify(job)
    const rule = this.scenario.find(job.url)
    if (rule?.never) return
    // Processing takes its configured time, and at least as long as measuring the file.
    const measuring = this.measure(job)
    this.timers.later(this.stageMs(job, 'processing') + (rule?.delayMs ?? 0), () => {
      void measuring.then(measured => this.finish(job, measured))
    })
  }

  private async measure(job: JobRecord): Promise<MeasuredMedia | undefined> {
    if (!this.options.measureVideos) return undefined
    try {
      if (job.upload?.path) return await measureFile(job.upload.path)
      const specs = await measureVideoUrl(job.url, { signal: this.timers.signal })
      return specs && { kind: 'video', specs }
    } catch {
      return undefined
    }
  }

  /** Why an uploaded file cannot be evaluated (not media, or not the judge's kind), as the service says it. */
  private uploadFailure(job: JobRecord, measured: MeasuredMedia | undefined): string | undefined {
    if (!job.upload || !this.options.measureVideos) return undefined
    const kind = job.upload.contentType
    if (!measured) return `Failed to process ${kind}: the uploaded file is not a readable ${kind} file`
    if (measured.kind !== kind) return `Failed to process ${kind}: the uploaded file is ${measured.kind}, not ${kind}`
    return undefined
  }

  private finish(job: JobRecord, measured: MeasuredMedia | undefined): void {
    const judge = this.judges.get(job.judgeId)
    if (!judge || this.timers.signal.aborted || !this.jobs.has(job.id)) return
    const rule = this.scenario.find(job.url)
    // A transient failure (faults.transientJobFailures) comes first: it is what a later job of the URL gets past.
    const failure =
      this.transientFailures.next(job.url) ?? this.failureOf(job.url)?.error ?? this.uploadFailure(job, measured)
    if (failure) {
      this.fail(job, failure)
    } else {
      const scored = scoreEvaluation({
        seed: this.options.seed,
        judgeFingerprint: judge.fingerprint,
        detectors: judge.judge.detector_configs,
        url: job.url,
        rule,
        measured
      })
      this.settle(job, 'completed', {
        evaluationId: newUuid(),
        contentId: newUuid(),
        overallScore: scored.overallScore,
        detectorResults: scored.detectorResults
      })
    }
    this.notify(job)
  }

  private fail(job: JobRecord, error: string): void {
    this.settle(job, 'failed', { error })
  }

  /** The job's final status and result. */
  private settle(job: JobRecord, status: 'completed' | 'failed', fields: Partial<EvaluationResult>): void {
    job.status = status
    job.result = {
      event: eventForStatus(status),
      jobId: job.id,
      status,
      outcome: status,
      judgeId: job.judgeId,
      detectorResults: [],
      timestamp: isoTimestamp(),
      ...fields
    }
  }

  /** Sends the job's current state: its result once it has one, else (realistic profile) a non-final body. */
  private notify(job: JobRecord): void {
    const org = this.options.organizations.find(o => o.id === job.orgId)
    if (!org || !job.webhookUrl || (!job.result && !this.realistic)) return
    const body = this.replyBody(job, 'webhook')
    this.webhooks.enqueue({
      url: job.webhookUrl,
      secret: org.webhookSecret,
      jobId: job.id,
      event: this.resultOf(job).event,
      body: JSON.stringify(body),
      faultKey: job.url,
      headerName: this.realistic?.signatureHeaderName(job.url, job.status)
    })
  }

  /** Forgets every judge, job, delivery and log, and cancels pending work. */
  reset(): void {
    this.timers.clear()
    this.judges.clear()
    this.jobs.clear()
    this.orgWebhookIds.clear()
    this.references.clear()
    void this.uploads.clear()
    this.webhookLog.length = 0
    this.webhooks.reset()
    this.transientFailures.reset()
  }

  /** Stops pending work; resolves once the kept uploads are deleted. */
  close(): Promise<void> {
    this.timers.dispose()
    const cleared = this.uploads.clear()
    if (this.options.measureVideos) releaseMediaLibrary()
    return cleared
  }
}

/**
 * Direct upload end to end: ask for an upload slot just before the PUT (upload URLs are short-lived), stream the
 * file, and when storage refuses or expires the URL (or does not answer) ask for a fresh slot, a bounded number of
 * times. Evaluation uploads (`presigned-upload`) create a job per slot: a job whose upload was abandoned stays
 * `awaiting_upload` on Pique's side and is reported, never silently dropped. Reference uploads
 * (`reference_content`) return the `gs://` URI to put in a judge's detector config.
 */
import type { CallOptions, PiqueApi } from './api.js'
import type { PresignedUploadRequest } from './schema.js'
import { UploadError, type UploadFileOptions, uploadFile } from './upload.js'

/** Slots tried per file: the first, plus fresh ones after a refused, expired or unanswered upload. */
export const DEFAULT_UPLOAD_ATTEMPTS = 3

export interface DirectUploadOptions extends CallOptions {
  /** Slots tried per file. Default DEFAULT_UPLOAD_ATTEMPTS. */
  attempts?: number
  /** Told before a fresh slot is requested. */
  onRetry?: (info: { attempt: number; reason: string }) => void
  upload?: Omit<UploadFileOptions, 'deadline'>
}

export interface EvaluationUpload {
  jobId: string
  /** Jobs created for slots whose upload failed: they stay `awaiting_upload` at Pique. */
  abandonedJobIds: string[]
  attempts: number
}

/** Thrown when every slot failed; carries the jobs left `awaiting_upload`. */
export class DirectUploadError extends Error {
  constructor(
    message: string,
    readonly abandonedJobIds: string[],
    readonly cause: unknown
  ) {
    super(message)
    this.name = 'DirectUploadError'
  }
}

async function withFreshSlots<T>(
  what: string,
  options: DirectUploadOptions,
  attemptOnce: (abandon: (jobId: string) => void) => Promise<T>
): Promise<{ value: T; attempts: number; abandoned: string[] }> {
  const max = Math.max(1, options.attempts ?? DEFAULT_UPLOAD_ATTEMPTS)
  const abandoned: string[] = []
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await attemptOnce(id => abandoned.push(id)), attempts: attempt, abandoned }
    } catch (error) {
      const retry = error instanceof UploadError && error.freshSlotHelps && attempt < max
      if (!retry) {
        const message = error instanceof Error ? error.message : String(error)
        const tries = attempt > 1 ? ` (after ${attempt} upload URLs)` : ''
        throw new DirectUploadError(`${what}: ${message}${tries}`, abandoned, error)
      }
      options.onRetry?.({ attempt: attempt + 1, reason: error.message })
    }
  }
}

/** Creates an evaluation job for the file and uploads it; the job then starts on Pique's side. */
export async function uploadForEvaluation(
  api: PiqueApi,
  request: PresignedUploadRequest,
  path: string,
  options: DirectUploadOptions = {}
): Promise<EvaluationUpload> {
  const { value, attempts, abandoned } = await withFreshSlots(`upload ${request.filename}`, options, async abandon => {
    const slot = await api.createPresignedUpload(request, { deadline: options.deadline })
    try {
      await uploadFile(slot, path, request.file_size_bytes, { ...options.upload, deadline: options.deadline })
    } catch (error) {
      abandon(slot.job_id)
      throw error
    }
    return slot.job_id
  })
  return { jobId: value, abandonedJobIds: abandoned, attempts }
}

/** Uploads a reference file; returns its `gs://` URI. */
export async function uploadReference(
  api: PiqueApi,
  fileExtension: string,
  path: string,
  size: number,
  options: DirectUploadOptions = {}
): Promise<{ uri: string; attempts: number }> {
  const { value, attempts } = await withFreshSlots(`upload reference ${path}`, options, async () => {
    const slot = await api.createReferenceContent(fileExtension, { deadline: options.deadline })
    await uploadFile(slot, path, size, { ...options.upload, deadline: options.deadline })
    return slot.reference_content_uri
  })
  return { uri: value, attempts }
}

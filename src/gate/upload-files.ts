/**
 * The media-file submission source, beside submit.ts's social-media batches: each file gets its own presigned-upload
 * job, requested just before its upload (upload URLs are short-lived), then streamed from disk; at most
 * `maxConcurrency` uploads at once, all inside the run's deadline. A file whose upload fails is recorded as failed
 * with the reason and the jobs left `awaiting_upload`; the other files carry on. A refused key stops the run.
 * retry-failed uploads a file again through here, after checking its bytes are still the ones the plan hashed.
 */
import { basename, resolve } from 'node:path'
import type { PiqueApi } from '../pique/api.js'
import { DirectUploadError, uploadForEvaluation } from '../pique/direct-upload.js'
import { UploadError } from '../pique/upload.js'
import { formatBytes } from '../files/bytes.js'
import { sha256File } from '../files/inspect.js'
import type { FileItem, ItemOutcome } from '../model/index.js'
import { forEachLimit } from './concurrency.js'
import { errorMessage, isAuthError } from './errors.js'
import type { GateLog } from './log.js'

export interface UploadFilesOptions {
  judgeId: string
  webhookUrl?: string
  maxConcurrency: number
  log: GateLog
  /** Epoch ms: no request or upload runs past it. */
  deadline?: number
  cwd?: string
  /** Told about each file as soon as its job exists and its bytes are uploaded (or its upload failed). */
  onFile?: (outcome: ItemOutcome) => Promise<void>
  /**
   * Hash each file first and upload it only when its SHA-256 is still the planned one (retry-failed: a file edited
   * during the run must not be evaluated, and billed, under the identity of the bytes evaluated before).
   */
  recheckContent?: boolean
}

export async function uploadFiles(
  api: PiqueApi,
  files: readonly FileItem[],
  options: UploadFilesOptions
): Promise<ItemOutcome[]> {
  const cwd = options.cwd ?? process.cwd()
  const outcomes: ItemOutcome[] = []
  await forEachLimit(files, options.maxConcurrency, async (file, index) => {
    const submittedAt = new Date().toISOString()
    let outcome: ItemOutcome
    try {
      if (options.recheckContent && (await sha256File(resolve(cwd, file.path))) !== file.sha256)
        throw new ChangedFileError()
      const up = await uploadForEvaluation(
        api,
        {
          judge_id: options.judgeId,
          content_type: file.contentType,
          filename: basename(file.path),
          file_size_bytes: file.size,
          ...(file.title !== undefined && { title: file.title }),
          ...(file.description !== undefined && { description: file.description }),
          ...(options.webhookUrl ? { webhook_url: options.webhookUrl } : {})
        },
        resolve(cwd, file.path),
        {
          deadline: options.deadline,
          onRetry: r => options.log.warning(`${file.path}: upload refused, trying a fresh upload URL (${r.reason})`)
        }
      )
      outcome = {
        ...file,
        state: 'submitted',
        jobId: up.jobId,
        submittedAt,
        ...(up.abandonedJobIds.length && { abandonedJobIds: up.abandonedJobIds })
      }
      options.log.info(`Uploaded ${file.path} (${formatBytes(file.size)}, ${file.mime}): job ${up.jobId}`)
    } catch (error) {
      const cause = error instanceof DirectUploadError ? error.cause : error
      // A bad key fails every file the same way: stop rather than report each one. Storage's 403 is not the key's.
      if (!(cause instanceof UploadError) && isAuthError(cause)) throw cause
      const abandoned = error instanceof DirectUploadError ? error.abandonedJobIds : []
      const left = abandoned.length
        ? `; job${abandoned.length === 1 ? '' : 's'} ${abandoned.join(', ')} left awaiting_upload at Pique`
        : ''
      // DirectUploadError says "upload <file>: ..." itself.
      const said =
        error instanceof DirectUploadError || error instanceof ChangedFileError
          ? error.message
          : `upload failed: ${errorMessage(error)}`
      const reason = `${said}${left}`
      options.log.warning(`${file.path}: ${reason}`)
      outcome = {
        ...file,
        state: 'failed',
        error: reason,
        submittedAt,
        finishedAt: new Date().toISOString(),
        ...(left && { abandonedJobIds: abandoned, jobId: abandoned.at(-1) })
      }
    }
    outcomes[index] = outcome
    await options.onFile?.(outcome)
  })
  return outcomes.filter(Boolean)
}

/** The file's bytes are no longer the ones planned (and evaluated before): it is not uploaded again. */
class ChangedFileError extends Error {
  constructor() {
    super('not uploaded again: the file changed on disk since the run checked it (its SHA-256 differs)')
    this.name = 'ChangedFileError'
  }
}

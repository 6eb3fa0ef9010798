/**
 * What the rest of the product needs from the Pique API. `PiqueClient` (client.ts) implements it over HTTP;
 * tests may substitute a fake. Methods return parsed, validated shapes from schema.ts / results.ts.
 */
import type { EvaluationResult } from './results.js'
import type {
  CreateJudgeRequest,
  CreateJudgeResponse,
  Judge,
  ListJudgesQuery,
  ListJudgesResponse,
  PresignedUploadRequest,
  PresignedUploadResponse,
  ReferenceContentResponse,
  SocialMediaRequest,
  SocialMediaResponse
} from './schema.js'

/** Options of one call, the last argument of every method; optional, so callers and fakes may ignore them. */
export interface CallOptions {
  /**
   * Epoch ms the call must not outlast (the gate's timeout-minutes): no attempt starts and no retry wait ends after
   * it, and a request in flight is cut then. A call it stops throws PiqueDeadlineError.
   */
  deadline?: number
  /** Told before each retry wait of this call (after the client's own `onRetry`), e.g. to note a retried submit. */
  onRetry?: (info: RetryInfo) => void
}

export interface RetryInfo {
  method: string
  path: string
  /** The attempt about to be made after the wait (2 for the first retry; 1 when holding off before a first attempt). */
  attempt: number
  delayMs: number
  reason: string
  /** The wait is for the rate limit (a 429, or none remaining until the reset): not counted as a failed attempt. */
  rateLimited?: boolean
  /**
   * The attempt that failed may have been acted on by Pique (a paid submit answered 5xx or cut after sending, retried
   * only because retry-ambiguous-submits is on): the batch may exist twice, and both be billed.
   */
  maybeAccepted?: boolean
}

export interface PiqueApi {
  createJudge(body: CreateJudgeRequest, options?: CallOptions): Promise<CreateJudgeResponse>
  listJudges(query?: Partial<ListJudgesQuery>, options?: CallOptions): Promise<ListJudgesResponse>
  /** Every judge of the organization, paging with limit=100 until has_more is false. Newest first. */
  listAllJudges(query?: { content_type?: ListJudgesQuery['content_type'] }, options?: CallOptions): AsyncIterable<Judge>
  /** Throws PiqueApiError with status 404 when the judge does not exist or belongs to another organization. */
  getJudge(judgeId: string, options?: CallOptions): Promise<Judge>
  createReferenceContent(fileExtension: string, options?: CallOptions): Promise<ReferenceContentResponse>
  createPresignedUpload(body: PresignedUploadRequest, options?: CallOptions): Promise<PresignedUploadResponse>
  submitSocialMedia(body: SocialMediaRequest, options?: CallOptions): Promise<SocialMediaResponse>
  /** Throws PiqueApiError with status 404 for an unknown job. */
  getResult(jobId: string, options?: CallOptions): Promise<EvaluationResult>
}

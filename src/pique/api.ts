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

export interface PiqueApi {
  createJudge(body: CreateJudgeRequest): Promise<CreateJudgeResponse>
  listJudges(query?: Partial<ListJudgesQuery>): Promise<ListJudgesResponse>
  /** Every judge of the organization, paging with limit=100 until has_more is false. Newest first. */
  listAllJudges(query?: { content_type?: ListJudgesQuery['content_type'] }): AsyncIterable<Judge>
  /** Throws PiqueApiError with status 404 when the judge does not exist or belongs to another organization. */
  getJudge(judgeId: string): Promise<Judge>
  createReferenceContent(fileExtension: string): Promise<ReferenceContentResponse>
  createPresignedUpload(body: PresignedUploadRequest): Promise<PresignedUploadResponse>
  submitSocialMedia(body: SocialMediaRequest): Promise<SocialMediaResponse>
  /** Throws PiqueApiError with status 404 for an unknown job. */
  getResult(jobId: string): Promise<EvaluationResult>
}

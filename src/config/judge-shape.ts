/**
 * What a judge file may hold: the create-judge body of the schema module plus a few file-only keys.
 * The loader and the JSON Schema generator both read this, so the two cannot disagree.
 */
import { z } from 'zod'
import { createJudgeRequestSchema, detectorSchema } from '../pique/schema.js'
import { policySchema } from './policy.js'

/** Keys a judge file may have besides the create-judge body. */
export const judgeFileExtrasSchema = z.object({
  /** Pins an existing judge: the gate fetches it instead of finding or creating one. */
  id: z.string().min(1).optional(),
  /** Editors' schema reference; ignored by the loader. */
  $schema: z.string().optional(),
  /** The gate's rules beside the threshold (policy.ts); not part of the judge. */
  policy: policySchema.optional()
})

export const JUDGE_FILE_KEYS: readonly string[] = [
  ...Object.keys(createJudgeRequestSchema.shape),
  ...Object.keys(judgeFileExtrasSchema.shape)
]

export const DETECTOR_KEYS: readonly string[] = Object.keys(detectorSchema.shape)

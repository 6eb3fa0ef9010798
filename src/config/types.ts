/** What config loading hands to the gate. */
import type { CreateJudgeRequest } from '../pique/schema.js'
import type { PlannedUrl } from '../gate/model.js'

/** A problem in a user's file: `file:line:column: field: message`. */
export interface ConfigProblem {
  file: string
  line: number
  column: number
  /** Field path like `detectors[2].config.min_fps`; empty for file-level problems. */
  field: string
  message: string
}

export interface JudgeFile {
  file: string
  /** `id:` in the file pins an existing judge. */
  id?: string
  body: CreateJudgeRequest
  warnings: ConfigProblem[]
}

export interface UrlList {
  urls: PlannedUrl[]
  /** Duplicates dropped, each naming where the first copy is. */
  notices: ConfigProblem[]
  /** The lists read, in order, as the user named them (`url-list` for inline URLs). */
  files?: string[]
}

/** What config loading hands to the gate. */
import type { CreateJudgeRequest } from '../pique/schema.js'
import type { ConfigProblem } from '../model/problem.js'
import type { UrlItem } from '../model/item.js'
import type { LocalReference } from '../references/local.js'
import type { Policy } from './policy.js'

// The model owns the shape (reports carry problems too); config re-exports it for its own modules.
export type { ConfigProblem } from '../model/problem.js'

export interface JudgeFile {
  file: string
  /** `id:` in the file pins an existing judge. */
  id?: string
  body: CreateJudgeRequest
  /** The gate's `policy` section: never sent to Pique, not part of the judge. */
  policy?: Policy
  warnings: ConfigProblem[]
  /** Local files named where a detector takes reference content; `body` holds their placeholders. */
  references?: LocalReference[]
}

export interface UrlList {
  urls: UrlItem[]
  /** Duplicates dropped, each naming where the first copy is. */
  notices: ConfigProblem[]
  /** The lists read, in order, as the user named them (`url-list` for inline URLs). */
  files?: string[]
}

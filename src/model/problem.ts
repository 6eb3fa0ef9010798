/** A problem in a user's file: `file:line:column: field: message`. */
export interface ConfigProblem {
  file: string
  line: number
  column: number
  /** Field path like `detectors[2].config.min_fps`; empty for file-level problems. */
  field: string
  message: string
}

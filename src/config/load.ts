// STUB (owned by the config helper): signatures agreed; implementation in progress.
import type { ConfigProblem, JudgeFile, UrlList } from './types.js'

/** Every problem found in one pass; `message` is the first problem's line plus a count of the rest. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.length ? formatProblem(problems[0]) + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : '') : 'invalid configuration')
    this.name = 'ConfigError'
  }
}

/** `file:line:column: field: message` */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}${p.message}`
}

/** Reads and validates a judge file (YAML or JSON). Throws ConfigError. */
export async function loadJudgeFile(_path: string): Promise<JudgeFile> {
  throw new Error('loadJudgeFile is not implemented yet')
}

export interface UrlListOptions {
  cwd?: string
  /** The url-list input: URLs one a line; their source file is reported as `url-list` (input). */
  inline?: string
}

/** Reads URL list files and globs plus inline URLs, validates every URL, removes duplicates. Throws ConfigError. */
export async function loadUrlLists(_patterns: string[], _options: UrlListOptions = {}): Promise<UrlList> {
  throw new Error('loadUrlLists is not implemented yet')
}

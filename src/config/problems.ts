/** Problems found in users' config files, and the one way they are printed. */
import { didYouMean } from '../pique/detectors.js'
import type { ConfigProblem } from './types.js'

/**
 * Every problem found in one pass; `message` is the first problem's line plus a count of the rest.
 * `warnings` are what a caller would also have shown had the config been valid (unknown detectors, duplicates).
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: ConfigProblem[],
    readonly warnings: ConfigProblem[] = []
  ) {
    super(
      problems.length
        ? formatProblem(problems[0]) + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : '')
        : 'invalid configuration'
    )
    this.name = 'ConfigError'
  }
}

/**
 * `file:line:column: field: message`. Problems about a whole file (not found, no glob match) have line 0 and
 * print as `file: message`.
 */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file
  return [where, p.field, p.message].filter(Boolean).join(': ')
}

/** Reading order of one file's problems: by line, then column (stable for equal positions). */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** The one wording for a key a file should not have: `unknown key (did you mean "score"?)`, or the keys it may use. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known)
  return hint ? `unknown key${hint}` : `unknown key; expected one of ${known.join(', ')}`
}

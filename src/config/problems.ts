/** Problems found in users' config files, and the one way they are printed. */
import { didYouMean } from '../pique/detectors.js'
import { printableLine } from '../model/text.js'
import type { ConfigProblem } from './types.js'

/**
 * Every problem found in one pass; `message` is the first problem's line plus a count of the rest.
 * `warnings` are what a caller would also have shown had the config been valid (unknown detectors, duplicates).
 */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[]
  readonly warnings: ConfigProblem[]
  constructor(problems: ConfigProblem[], warnings: ConfigProblem[] = []) {
    problems = problems.map(printableProblem)
    super(
      problems.length
        ? formatProblem(problems[0]) + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : '')
        : 'invalid configuration'
    )
    this.name = 'ConfigError'
    this.problems = problems
    this.warnings = warnings.map(printableProblem)
  }
}

/** Longest file name, field path and message a problem prints: a value pasted into a file can be megabytes. */
const MAX_PROBLEM_CHARS = { file: 200, field: 200, message: 500 }

/**
 * Every problem leaves config loading as one printable line: whitespace collapsed, control characters escaped
 * (a key or URL may hold ANSI escapes), long parts cut, wherever it is echoed after.
 */
export function printableProblem(p: ConfigProblem): ConfigProblem {
  return {
    ...p,
    file: printableLine(p.file, MAX_PROBLEM_CHARS.file),
    field: printableLine(p.field, MAX_PROBLEM_CHARS.field),
    message: printableLine(p.message, MAX_PROBLEM_CHARS.message)
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

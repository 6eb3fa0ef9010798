// Reads a user's YAML or JSON file and validates it with a zod schema; problems name file, line and field.
import { z } from 'zod'
import { ConfigError, sortProblems, unknownKeyMessage } from '../config/problems.js'
import { type ParsedSource, formatOf, parseSource, problemAt, readText } from '../config/source.js'
import type { ConfigProblem } from '../config/types.js'
import { pathKey } from '../pique/schema.js'

/**
 * Throws ConfigError listing every problem in reading order when the file cannot be read, parsed or validated.
 * An unknown key is reported at the key itself, with the closest known key as a hint.
 */
export async function loadValidatedFile<T>(file: string, schema: z.ZodType<T>, cwd = process.cwd()): Promise<T> {
  const text = await readText(file, cwd)
  if (!text.ok) throw new ConfigError([text.problem])
  const { source, problems } = parseSource(file, text.value, formatOf(file) === 'json' ? 'json' : 'yaml')
  if (!source) throw new ConfigError(problems)
  const parsed = schema.safeParse(source.doc.toJS() ?? [])
  if (parsed.success) return parsed.data
  throw new ConfigError(sortProblems(parsed.error.issues.flatMap(issue => problemsOf(source, schema, issue))))
}

function problemsOf(source: ParsedSource, schema: z.ZodType, issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path.map(pathKey)
  if (issue.code !== 'unrecognized_keys') return [problemAt(source, path, issue.message)]
  const known = objectKeysAt(schema, path)
  return issue.keys.map(key => problemAt(source, [...path, key], unknownKeyMessage(key, known), 'key'))
}

/** The keys the object schema at `path` (through lists and optionals) accepts. */
function objectKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let at: z.ZodType | undefined = schema
  for (const segment of [...path, undefined]) {
    while (at instanceof z.ZodOptional || at instanceof z.ZodNullable || at instanceof z.ZodDefault)
      at = at.unwrap() as z.ZodType
    if (segment === undefined) break
    at =
      at instanceof z.ZodArray
        ? (at.element as z.ZodType)
        : at instanceof z.ZodObject
          ? (at.shape[segment] as z.ZodType | undefined)
          : undefined
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape) : []
}

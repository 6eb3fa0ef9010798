// Reads a user's YAML or JSON file and validates it with a zod schema; problems name file, line and field.
import type { z } from 'zod'
import { ConfigError } from '../config/problems.js'
import { formatOf, parseSource, problemAt, readText } from '../config/source.js'
import { pathKey } from '../pique/schema.js'

/** Throws ConfigError (one readable line per problem) when the file cannot be read, parsed or validated. */
export async function loadValidatedFile<T>(file: string, schema: z.ZodType<T>, cwd = process.cwd()): Promise<T> {
  const text = await readText(file, cwd)
  if (!text.ok) throw new ConfigError([text.problem])
  const { source, problems } = parseSource(file, text.value, formatOf(file) === 'json' ? 'json' : 'yaml')
  if (!source) throw new ConfigError(problems)
  const parsed = schema.safeParse(source.doc.toJS() ?? [])
  if (parsed.success) return parsed.data
  throw new ConfigError(parsed.error.issues.map((issue) => problemAt(source, issue.path.map(pathKey), issue.message)))
}

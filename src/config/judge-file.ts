/** Loads a judge file (YAML or JSON) and checks it against the schema module, reporting every problem at its position. */
import { isMap } from 'yaml'
import { SOCIAL_MEDIA_CONTENT_TYPE, UPLOAD_CONTENT_TYPES } from '../pique/limits.js'
import {
  type SchemaIssue,
  createJudgeRequestSchema,
  describeValue,
  judgeWarnings,
  schemaIssues
} from '../pique/schema.js'
import { resolve } from 'node:path'
import { FileProblem, inspectFile } from '../files/inspect.js'
import { extractLocalReferences } from '../references/local.js'
import { DETECTOR_KEYS, JUDGE_FILE_KEYS, judgeFileExtrasSchema } from './judge-shape.js'
import { POLICY_KEYS, policyIssues } from './policy.js'
import { ConfigError, printableProblem, sortProblems, unknownKeyMessage } from './problems.js'
import {
  type ParsedSource,
  fileProblem,
  formatOf,
  parseSource,
  problemAt,
  readText,
  withDocumentProblems
} from './source.js'
import type { ConfigProblem, JudgeFile } from './types.js'

const BODY_KEYS = Object.keys(createJudgeRequestSchema.shape)

export interface JudgeFileOptions {
  /** Directory a relative path is read from; problems still print the path as given. */
  cwd?: string
  /**
   * Content types the run can use: video only while URLs are evaluated (the default), any direct-upload type
   * when only files are.
   */
  contentTypes?: readonly string[]
}

/** The judge content types a run allows: URLs need a video judge; media files alone may use an image or audio one. */
export function allowedContentTypes(urlsGiven: boolean): readonly string[] {
  return urlsGiven ? [SOCIAL_MEDIA_CONTENT_TYPE] : UPLOAD_CONTENT_TYPES
}

/** Reads and validates a judge file. Throws ConfigError with every problem found. */
export async function loadJudgeFile(file: string, options: JudgeFileOptions = {}): Promise<JudgeFile> {
  const format = formatOf(file)
  if (format === 'text')
    throw new ConfigError([fileProblem(file, 'expected a judge file ending in .yml, .yaml or .json')])
  const read = await readText(file, options.cwd)
  if (!read.ok) throw new ConfigError([read.problem])
  if (read.value.trim() === '') throw new ConfigError([emptyFile(file)])
  const { source, problems } = parseSource(file, read.value, format)
  if (!source) throw new ConfigError(problems)
  return checkJudgeDocument(
    source,
    problems,
    options.contentTypes ?? [SOCIAL_MEDIA_CONTENT_TYPE],
    options.cwd ?? process.cwd()
  )
}

function emptyFile(file: string): ConfigProblem {
  return fileProblem(file, `file is empty: expected a mapping with ${BODY_KEYS.join(', ')}`)
}

/** Validates a parsed judge document; every problem and warning carries its position. */
async function checkJudgeDocument(
  source: ParsedSource,
  documentLevel: ConfigProblem[],
  contentTypes: readonly string[],
  cwd: string
): Promise<JudgeFile> {
  const root = source.doc.contents
  if (root === null) throw new ConfigError([emptyFile(source.file)])
  if (!isMap(root)) {
    throw new ConfigError([
      problemAt(source, [], `expected a mapping with ${BODY_KEYS.join(', ')}, got ${describeValue(source.value)}`)
    ])
  }
  // A copy: local reference files become placeholder gs:// URIs in it, so the body validates as the API will receive it.
  const value = structuredClone(source.value) as Record<string, unknown>
  const references = extractLocalReferences(value, source.file, cwd)
  const { id, $schema, policy, ...body } = value
  const at = (issue: SchemaIssue, where: 'value' | 'key' = 'value') =>
    problemAt(source, issue.path, issue.message, where)

  const problems: ConfigProblem[] = [...unknownKeys(value).map(i => at(i, 'key'))]
  for (const ref of references) {
    const problem = await referenceFileProblem(resolve(cwd, ref.path), ref.path)
    if (problem) problems.push(problemAt(source, ref.docPath, `${ref.written}: ${problem}`))
  }
  const parsed = createJudgeRequestSchema.safeParse(body)
  const contentTypeGiven = body.content_type !== undefined
  if (!parsed.success) {
    for (const issue of schemaIssues(parsed.error)) {
      // A given content type is checked below against the stricter rule of this tool.
      if (contentTypeGiven && issue.path[0] === 'content_type') continue
      problems.push(at(issue))
    }
  }
  if (contentTypeGiven && !contentTypes.includes(body.content_type as string))
    problems.push(at(contentTypeIssue(body.content_type, contentTypes)))
  const extras = judgeFileExtrasSchema.safeParse({ id, $schema, policy })
  if (!extras.success) problems.push(...schemaIssues(extras.error).map(i => at(i)))
  // A detector named as a min_scores key is reported at the key.
  for (const issue of policyIssues(policy, detectorNames(body.detectors)))
    problems.push(at(issue, issue.path[1] === 'min_scores' ? 'key' : 'value'))

  // An unknown config key is reported at the key itself; other warnings at their value.
  const warnings = judgeWarnings(body).map(w => at(w, w.path[w.path.length - 2] === 'config' ? 'key' : 'value'))
  if (problems.length || documentLevel.length || !parsed.success)
    throw new ConfigError(sortProblems(withDocumentProblems(documentLevel, problems)), sortProblems(warnings))
  const pinned = extras.data?.id
  return {
    file: source.file,
    ...(pinned !== undefined && { id: pinned }),
    body: parsed.data,
    ...(extras.data?.policy && { policy: extras.data.policy }),
    warnings: sortProblems(warnings).map(printableProblem),
    ...(references.length && { references })
  }
}

/** Why a local reference file cannot be uploaded (missing, LFS pointer, not media), or undefined. */
async function referenceFileProblem(path: string, shown: string): Promise<string | undefined> {
  try {
    await inspectFile(path, shown, { maxBytes: Number.MAX_SAFE_INTEGER })
    return undefined
  } catch (error) {
    if (error instanceof FileProblem) return error.message
    throw error
  }
}

/** The detector names given, as far as the list is readable (policy rules name them). */
function detectorNames(detectors: unknown): string[] {
  if (!Array.isArray(detectors)) return []
  return detectors.flatMap(d =>
    d && typeof d === 'object' && typeof (d as { detector_name?: unknown }).detector_name === 'string'
      ? [(d as { detector_name: string }).detector_name]
      : []
  )
}

function contentTypeIssue(given: unknown, allowed: readonly string[]): SchemaIssue {
  const got = typeof given === 'string' ? JSON.stringify(given) : describeValue(given)
  const why =
    allowed.length === 1 && allowed[0] === SOCIAL_MEDIA_CONTENT_TYPE
      ? `social-media URLs are evaluated only by ${SOCIAL_MEDIA_CONTENT_TYPE} judges`
      : 'the content types direct upload takes'
  const expected = allowed.map(t => JSON.stringify(t)).join(', ')
  return {
    path: ['content_type'],
    message: `must be ${allowed.length === 1 ? expected : `one of ${expected}`} (${why}), got ${got}`
  }
}

/**
 * Keys the schema would silently drop: at the top level and in each detector. A typo such as `detector:` or
 * `conifg:` would otherwise lose config without a word, so these are errors.
 */
function unknownKeys(value: Record<string, unknown>): SchemaIssue[] {
  const issues = unknownIn(Object.keys(value), JUDGE_FILE_KEYS, [])
  const policy = value.policy
  if (policy && typeof policy === 'object' && !Array.isArray(policy))
    issues.push(...unknownIn(Object.keys(policy), POLICY_KEYS, ['policy']))
  const detectors = value.detectors
  if (Array.isArray(detectors)) {
    detectors.forEach((d, i) => {
      if (d && typeof d === 'object' && !Array.isArray(d))
        issues.push(...unknownIn(Object.keys(d), DETECTOR_KEYS, ['detectors', i]))
    })
  }
  return issues
}

function unknownIn(keys: string[], known: readonly string[], parent: (string | number)[]): SchemaIssue[] {
  return keys.filter(k => !known.includes(k)).map(k => ({ path: [...parent, k], message: unknownKeyMessage(k, known) }))
}

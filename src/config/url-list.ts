/**
 * URL lists: `.txt` files (one URL a line, `#` comments), YAML/JSON lists of URLs or of `{url, ...}` mappings,
 * several files and globs, plus the inline `url-list` input. Every URL is checked by the schema module's rule,
 * all problems are reported in one pass, and duplicates (the same content URL by model/url-identity.ts, the rule
 * result reuse uses) are dropped with a notice naming both places.
 */
import { glob, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { isMap, isScalar, isSeq } from 'yaml'
import { describeValue, videoUrlProblem } from '../pique/schema.js'
import type { UrlItem } from '../model/item.js'
import { truncate } from '../model/text.js'
import { normalizeUrl, urlDifferences } from '../model/url-identity.js'
import { ConfigError, printableProblem, sortProblems } from './problems.js'
import { credentialsProblem, redactUserinfo } from './url-credentials.js'
import {
  type ByteLimit,
  type ParsedSource,
  fileProblem,
  formatOf,
  parseSource,
  positionOf,
  problemAt,
  readText,
  withDocumentProblems
} from './source.js'
import type { ConfigProblem, UrlList } from './types.js'

/** The source name of URLs given inline (the action's `url-list` input, the CLI's `--url-list`). */
export const INLINE_SOURCE = 'url-list'

export interface UrlListOptions {
  /** Directory relative paths and globs are resolved from; problems print paths as given. */
  cwd?: string
  /** The url-list input: URLs one a line; their source file is reported as `url-list` (input). */
  inline?: string
  /** Accept lists that hold no URL at all (only-changed reading a base version); by default that is an error. */
  allowEmpty?: boolean
  /** Largest list file read; default DEFAULT_MAX_URL_LIST_BYTES, or PIQUE_MAX_URL_LIST_BYTES from the environment. */
  maxBytes?: number
}

/** Default largest URL list file (some 100,000 URLs); lists that are larger raise it with URL_LIST_LIMIT_ENV. */
export const DEFAULT_MAX_URL_LIST_BYTES = 10 * 1024 * 1024
export const URL_LIST_LIMIT_ENV = 'PIQUE_MAX_URL_LIST_BYTES'

/** The URL list size limit the environment asks for; a value that is not a positive whole number is a problem. */
export function urlListByteLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[URL_LIST_LIMIT_ENV]?.trim()
  if (!raw) return DEFAULT_MAX_URL_LIST_BYTES
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new ConfigError([fileProblem(URL_LIST_LIMIT_ENV, `expected a whole number of bytes above 0, got "${raw}"`)])
  return n
}

/** One URL as written, with where it was written. */
interface Entry {
  url: string
  file: string
  line: number
  column: number
  field: string
  /** From a .txt line or the url-list input (columns inside it are exact), not a YAML/JSON string. */
  text?: boolean
}

interface SourceEntries {
  entries: Entry[]
  problems: ConfigProblem[]
}

/** Reads URL list files and globs plus inline URLs, validates every URL, removes duplicates. Throws ConfigError. */
export async function loadUrlLists(patterns: string[], options: UrlListOptions = {}): Promise<UrlList> {
  const cwd = options.cwd ?? process.cwd()
  const limit: ByteLimit = {
    bytes: options.maxBytes ?? urlListByteLimit(),
    raise: `set ${URL_LIST_LIMIT_ENV} to read larger lists`
  }
  const { files, problems } = await expandPatterns(patterns, cwd)
  const sources: SourceEntries[] = []
  for (const file of files) sources.push(await readList(file, cwd, limit))
  if (options.inline !== undefined) sources.push({ entries: textEntries(INLINE_SOURCE, options.inline), problems: [] })
  const names = [...files, ...(options.inline !== undefined ? [INLINE_SOURCE] : [])]

  const urls: UrlItem[] = []
  const notices: ConfigProblem[] = []
  const firstSeen = new Map<string, Entry>()
  for (const source of sources) {
    const sourceProblems = [...source.problems]
    for (const entry of source.entries) {
      const problem = urlEntryProblem(entry)
      if (problem) {
        sourceProblems.push(problem)
        continue
      }
      const key = normalizeUrl(entry.url)
      const first = firstSeen.get(key)
      if (first) {
        notices.push(entryProblem(entry, duplicateNotice(entry, first)))
        continue
      }
      firstSeen.set(key, entry)
      urls.push({ kind: 'url', url: entry.url, source: { file: entry.file, line: entry.line } })
    }
    problems.push(...sortProblems(sourceProblems))
  }
  if (!problems.length && !urls.length && !options.allowEmpty) {
    problems.push(
      fileProblem(names.join(', '), names.length ? 'no URLs to evaluate: the list is empty' : 'no URL lists given')
    )
  }
  if (problems.length) throw new ConfigError(problems, notices)
  return { urls, notices: notices.map(printableProblem), files: names }
}

/**
 * `duplicate of urls.txt:3`, saying how the two differ when they are not written alike: a line that differs only
 * by a tracking parameter would otherwise look like a wrongly dropped URL.
 */
function duplicateNotice(entry: Entry, first: Entry): string {
  const where = `duplicate of ${first.file}:${first.line}`
  const differences = urlDifferences(first.url, entry.url)
  if (!differences.length) return where
  const listed =
    differences.length === 1 ? differences[0] : `${differences.slice(0, -1).join(', ')} and ${differences.at(-1)}`
  return `${where} (the same content URL: differs only by ${listed})`
}

function entryProblem(entry: Entry, message: string, offset = 0): ConfigProblem {
  const column = entry.column + (entry.text ? offset : 0)
  return { file: entry.file, line: entry.line, column, field: entry.field, message }
}

/** A URL as echoed in a message: user information (a password) replaced, a long one cut. */
function shown(url: string): string {
  return truncate(redactUserinfo(url), SHOWN_URL_CHARS)
}
const SHOWN_URL_CHARS = 200

// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/

/**
 * Why an entry cannot be submitted. Besides the API's rule for URLs: credentials (never submitted, never echoed),
 * two URLs glued by a line break (`new URL` drops it) or by whitespace (`new URL` would encode it as %20 and
 * submit one URL), control characters. A text line's problem points at the column where it starts; a YAML/JSON
 * string's at the string.
 */
function urlEntryProblem(entry: Entry): ConfigProblem | undefined {
  const { url } = entry
  const credentials = credentialsProblem(url)
  if (credentials) return entryProblem(entry, credentials)
  const lineBreak = LINE_BREAK.exec(url)
  if (lineBreak) {
    const rule = entry.text ? 'one URL a line' : 'one URL per item'
    return entryProblem(entry, `holds a line break: ${rule} (${shown(url)})`, lineBreak.index)
  }
  const reason = videoUrlProblem(url)
  if (reason) return entryProblem(entry, `${reason} (${shown(url)})`)
  const space = /\s/.exec(url)
  if (space) {
    const next = space.index + url.slice(space.index).search(/\S/)
    if (entry.text) return entryProblem(entry, `a second item on the line: one URL a line (${shown(url)})`, next)
    return entryProblem(entry, `holds whitespace: one URL per item, a space in a URL written as %20 (${shown(url)})`)
  }
  const control = CONTROL_CHAR.exec(url)
  if (control) return entryProblem(entry, `holds a control character (${shown(url)})`, control.index)
  return undefined
}

export const GLOB_SYNTAX = /[*?[\]{}]/

/** Files named by paths and globs, in the order given, each glob's matches sorted; a file named twice is read once. */
async function expandPatterns(
  patterns: string[],
  cwd: string
): Promise<{ files: string[]; problems: ConfigProblem[] }> {
  const files: string[] = []
  const problems: ConfigProblem[] = []
  const seen = new Set<string>()
  for (const pattern of patterns) {
    const matches = await filesFor(pattern, cwd)
    if (!matches.length) problems.push(fileProblem(pattern, 'no files match this pattern'))
    for (const file of matches) {
      const absolute = resolve(cwd, file)
      if (seen.has(absolute)) continue
      seen.add(absolute)
      files.push(file)
    }
  }
  return { files, problems }
}

async function filesFor(pattern: string, cwd: string): Promise<string[]> {
  // A plain path is read as is, so a missing file or a directory gets its own clear message.
  if (!GLOB_SYNTAX.test(pattern) || (await isFile(resolve(cwd, pattern)))) return [pattern]
  const found: string[] = []
  for await (const match of glob(pattern, { cwd })) if (await isFile(resolve(cwd, match))) found.push(match)
  return found.sort()
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

async function readList(file: string, cwd: string, limit: ByteLimit): Promise<SourceEntries> {
  const read = await readText(file, cwd, limit)
  if (!read.ok) return { entries: [], problems: [read.problem] }
  const format = formatOf(file)
  if (format === 'text') return { entries: textEntries(file, read.value), problems: [] }
  // An empty structured file holds no URLs; only an empty total is an error.
  if (read.value.trim() === '') return { entries: [], problems: [] }
  const { source, problems } = parseSource(file, read.value, format)
  if (!source) return { entries: [], problems }
  const found = structuredEntries(source)
  // An item already reported (a tag, a number that is not finite) is not checked again as a URL.
  const taken = new Set(problems.map(p => `${p.line}:${p.column}`))
  return {
    entries: found.entries.filter(e => !taken.has(`${e.line}:${e.column}`)),
    problems: withDocumentProblems(problems, found.problems)
  }
}

/** One URL a line; blank lines, `#` lines and trailing ` #` comments are ignored (a `#` inside a URL is a fragment). */
function textEntries(file: string, text: string): Entry[] {
  return text.split(/\r?\n/).flatMap((raw, i) => {
    const content = raw.trimStart().startsWith('#') ? '' : raw.replace(/\s#.*$/, '')
    const url = content.trim()
    return url ? [{ url, file, line: i + 1, column: raw.indexOf(url) + 1, field: '', text: true }] : []
  })
}

const ITEM_SHAPE = 'a URL or a mapping with a url key'

function structuredEntries(source: ParsedSource): SourceEntries {
  const root = source.doc.contents
  if (root === null) return { entries: [], problems: [] }
  if (!isSeq(root)) {
    return {
      entries: [],
      problems: [
        problemAt(source, [], `expected a list of URLs (each ${ITEM_SHAPE}), got ${describeValue(source.value)}`)
      ]
    }
  }
  const entries: Entry[] = []
  const problems: ConfigProblem[] = []
  const items = source.value as unknown[]
  items.forEach((item, i) => {
    const node = root.items[i]
    if (typeof item === 'string' && isScalar(node)) {
      entries.push({ url: item.trim(), file: source.file, ...positionOf(source, node), field: `[${i}]` })
    } else if (isMap(node) && item && typeof item === 'object') {
      const url = (item as Record<string, unknown>).url
      if (typeof url === 'string') {
        const at = problemAt(source, [i, 'url'], '')
        entries.push({ url: url.trim(), file: source.file, line: at.line, column: at.column, field: at.field })
      } else {
        problems.push(
          problemAt(
            source,
            [i, 'url'],
            url === undefined ? 'is required' : `expected a string, got ${describeValue(url)}`
          )
        )
      }
    } else {
      problems.push(problemAt(source, [i], `expected ${ITEM_SHAPE}, got ${describeValue(item)}`))
    }
  })
  return { entries, problems }
}

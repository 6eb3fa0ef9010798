/**
 * Reads a user's YAML or JSON file into a `yaml` Document that keeps every node's source range, so any
 * problem found later can be reported at `file:line:column`.
 */
import { type Stats, constants } from 'node:fs'
import { type FileHandle, open, stat } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import { type ParseError, parse as parseJson, printParseErrorCode } from 'jsonc-parser'
import { type Document, LineCounter, type Node, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml'
import { formatPath } from '../pique/schema.js'
import { NESTING_MESSAGE, documentProblems, documentValue, jsonNestingOffset } from './document-check.js'
import { decodeUtf8 } from './encoding.js'
import { formatBytes } from '../files/bytes.js'
import { sortProblems } from './problems.js'
import type { ConfigProblem } from './types.js'

export type SourceFormat = 'yaml' | 'json' | 'text'

export interface ParsedSource {
  /** The path as the user gave it: what problems print. */
  file: string
  doc: Document.Parsed
  lines: LineCounter
  /** The document as plain data (read once, aliases checked). */
  value: unknown
}

/** The outcome of reading a file: its text or the one problem that stopped it. */
export type Read<T> = { ok: true; value: T } | { ok: false; problem: ConfigProblem }

export function formatOf(file: string): SourceFormat {
  const ext = extname(file).toLowerCase()
  if (ext === '.yml' || ext === '.yaml') return 'yaml'
  if (ext === '.json') return 'json'
  return 'text'
}

export function fileProblem(file: string, message: string): ConfigProblem {
  return { file, line: 0, column: 0, field: '', message }
}

/** The largest file read, and how to raise the limit when a user can. */
export interface ByteLimit {
  bytes: number
  raise?: string
}

/** Largest judge file read; a real one is a few kilobytes. */
const JUDGE_FILE_LIMIT: ByteLimit = { bytes: 1024 * 1024 }

/**
 * The file's text, or one clear line saying why it cannot be read. Only a regular file is read (a FIFO, device,
 * socket or directory is refused before any byte is read, so nothing blocks), its size is checked against
 * the limit first, and the bytes must be UTF-8 (decodeUtf8 drops a leading byte-order mark).
 */
export async function readText(
  file: string,
  cwd = process.cwd(),
  limit: ByteLimit = JUDGE_FILE_LIMIT
): Promise<Read<string>> {
  const bytes = await readRegularFile(resolve(cwd, file), limit)
  if (!bytes.ok) return { ok: false, problem: fileProblem(file, bytes.why) }
  const text = decodeUtf8(bytes.value)
  if (!text.ok) return { ok: false, problem: { ...fileProblem(file, text.why), ...text.at } }
  return { ok: true, value: text.value }
}

type Bytes = { ok: true; value: Buffer } | { ok: false; why: string }

/**
 * The bytes of a regular file within the limit. `stat` follows symbolic links, so a link to /dev/zero is
 * refused as the device it points to; the opened descriptor is checked again (the path may have been swapped),
 * and opening with O_NONBLOCK means a FIFO put there meanwhile cannot block the open.
 */
async function readRegularFile(path: string, limit: ByteLimit): Promise<Bytes> {
  let handle: FileHandle | undefined
  try {
    const refused = refusal(await stat(path), limit)
    if (refused) return { ok: false, why: refused }
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    const again = refusal(await handle.stat(), limit)
    if (again) return { ok: false, why: again }
    // Read to the end, never past the limit: a file that grows while read is caught too.
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024)
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      total += bytesRead
      if (total > limit.bytes) return { ok: false, why: tooLarge(`more than ${limit.bytes}`, limit) }
      chunks.push(chunk.subarray(0, bytesRead))
    }
    return { ok: true, value: Buffer.concat(chunks, total) }
  } catch (error) {
    return { ok: false, why: openFailure(error) }
  } finally {
    await handle?.close()
  }
}

/** Why a file is not read: not a regular file, or over the size limit. */
function refusal(info: Stats, limit: ByteLimit): string | undefined {
  if (info.isDirectory()) return 'is a directory, expected a file'
  if (info.isFIFO()) return 'is a named pipe (FIFO), expected a regular file'
  if (info.isSocket()) return 'is a socket, expected a regular file'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device, expected a regular file'
  if (!info.isFile()) return 'is not a regular file'
  if (info.size > limit.bytes) return tooLarge(String(info.size), limit)
  return undefined
}

function tooLarge(size: string, limit: ByteLimit): string {
  const raise = limit.raise ? `; ${limit.raise}` : ''
  return `file too large: ${size} bytes, the limit is ${limit.bytes} bytes (${formatBytes(limit.bytes, 'binary')})${raise}`
}

const OPEN_FAILURES: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory, expected a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'not found: a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'is not a regular file (a socket or a device without a driver)',
  ENAMETOOLONG: 'file name too long'
}

function openFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  return OPEN_FAILURES[code] ?? `cannot be read (${code || (error as Error).message})`
}

/**
 * Parses YAML or JSON text. JSON is checked by a strict JSON parser first (YAML would accept trailing commas,
 * comments and bare words), then read through `yaml` for node positions. Returns every problem found: with a
 * `source` when the document could still be read (tags, keys, numbers to report beside the schema's problems),
 * without one when it could not (syntax, nesting, aliases).
 */
export function parseSource(
  file: string,
  text: string,
  format: 'yaml' | 'json'
): { source?: ParsedSource; problems: ConfigProblem[] } {
  const lines = new LineCounter()
  const syntaxAt = (offset: number, message: string): ConfigProblem => {
    const at = offsetPosition(text, offset)
    return { file, line: at.line, column: at.col, field: '', message }
  }
  if (format === 'json') {
    const deep = jsonNestingOffset(text)
    if (deep !== undefined) return { problems: [syntaxAt(deep, NESTING_MESSAGE)] }
    const syntax = jsonSyntaxProblem(text)
    if (syntax !== undefined) return { problems: [syntaxAt(syntax.offset, `JSON syntax error: ${syntax.message}`)] }
  }
  // logLevel error: the library would print its own warnings (a list used as a key) on stderr; they are problems here.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' })
  const problems: ConfigProblem[] = []
  for (const e of doc.errors) {
    const at = e.linePos?.[0] ?? lines.linePos(e.pos[0])
    const [line, column] = [Math.max(1, at.line), Math.max(1, at.col)]
    // The parser recurses: a file nested deep enough overflows its stack. Said once, in the user's words.
    if (e.code === 'RESOURCE_EXHAUSTION') {
      if (!problems.some(p => p.message === NESTING_MESSAGE))
        problems.push({ file, line, column, field: '', message: NESTING_MESSAGE })
      continue
    }
    // One error per position: the parser often reports a second, derived one at the same place.
    if (problems.some(p => p.line === line && p.column === column)) continue
    problems.push({
      file,
      line,
      column,
      field: '',
      message: `${format === 'json' ? 'JSON' : 'YAML'} syntax error: ${lowerFirst(e.message)}`
    })
  }
  if (problems.length) return { problems }
  const checked = documentProblems(file, doc, lines)
  if (checked.fatal) return { problems: sortProblems(checked.problems) }
  const read = documentValue(file, doc, lines)
  if (!read.ok) return { problems: [...checked.problems, read.problem] }
  return { source: { file, doc, lines, value: read.value }, problems: checked.problems }
}

/** Schema problems at the same place as a document problem say less (the value of `.nan` is "a number"): dropped. */
export function withDocumentProblems(documentLevel: ConfigProblem[], others: ConfigProblem[]): ConfigProblem[] {
  const taken = new Set(documentLevel.map(p => `${p.line}:${p.column}`))
  return [...documentLevel, ...others.filter(p => !taken.has(`${p.line}:${p.column}`))]
}

// Keyed by jsonc-parser's error names (its codes are a const enum that isolated modules cannot read).
const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected characters',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes (a trailing comma?)',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected content after the end of the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string (a raw line break or tab?)'
}

/** The first strict-JSON syntax error (later ones usually follow from it). */
export function jsonSyntaxProblem(text: string): { offset: number; message: string } | undefined {
  const errors: ParseError[] = []
  parseJson(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
  const first = errors[0]
  if (!first) return undefined
  const name = printParseErrorCode(first.error)
  const found = text.slice(first.offset, first.offset + first.length)
  const message = name === 'InvalidSymbol' ? `unexpected ${JSON.stringify(found)}` : (JSON_ERRORS[name] ?? name)
  return { offset: first.offset, message }
}

export function offsetPosition(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, col: before[before.length - 1].length + 1 }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1)
}

/** 1-based line and column of a node's start. */
export function positionOf(source: ParsedSource, node: Node): { line: number; column: number } {
  const at = source.lines.linePos(node.range?.[0] ?? 0)
  return { line: Math.max(1, at.line), column: Math.max(1, at.col) }
}

/**
 * A problem at `path` inside the document. It points at the node itself, or with `at: 'key'` at its key in the
 * parent mapping; when the path does not exist (a missing key), at the deepest mapping or list that does.
 * An empty value (`config:` with nothing after it) points at its key, where the user will look.
 */
export function problemAt(
  source: ParsedSource,
  path: readonly (string | number)[],
  message: string,
  at: 'value' | 'key' = 'value'
): ConfigProblem {
  let node: Node | null = source.doc.contents
  let keyNode: Node | null = null
  for (const segment of path) {
    const next = childOf(source, node, segment)
    if (!next) break
    node = next.value
    keyNode = next.key
  }
  const emptyValue = !node || (isScalar(node) && node.value === null && node.source === '')
  const target = (at === 'key' || emptyValue) && keyNode ? keyNode : (node ?? keyNode)
  const { line, column } = target ? positionOf(source, target) : { line: 1, column: 1 }
  return { file: source.file, line, column, field: formatPath(path), message }
}

function childOf(
  source: ParsedSource,
  node: Node | null,
  segment: string | number
): { key: Node | null; value: Node | null } | undefined {
  const resolved = node && isAlias(node) ? (node.resolve(source.doc) ?? null) : node
  if (isMap(resolved)) {
    const pair = resolved.items.find(p => isScalar(p.key) && String(p.key.value) === String(segment))
    return pair ? { key: pair.key as Node, value: (pair.value as Node | null) ?? null } : undefined
  }
  if (isSeq(resolved) && typeof segment === 'number') {
    const item = resolved.items[segment] as Node | undefined
    return item ? { key: null, value: item } : undefined
  }
  return undefined
}

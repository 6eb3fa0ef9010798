/**
 * The `files` input: media files and globs one a line, and manifests (`.yml`, `.yaml`, `.json`) listing files with
 * a title and description each (see files-manifest.ts). Every problem is reported in one pass at `file:line:column`;
 * a file named twice is evaluated once, with a notice naming both places. Whether each file is real media of the
 * judge's type is checked later, once the judge is known (src/files/inspect.ts).
 */
import { glob, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path'
import { type Node, isMap, isSeq } from 'yaml'
import { z } from 'zod'
import { formatForExtension, extensionOf } from '../pique/media-types.js'
import { describeValue, schemaIssues } from '../pique/schema.js'
import { MANIFEST_ITEM_KEYS, manifestItemSchema } from './files-manifest.js'
import { ConfigError, sortProblems, unknownKeyMessage } from './problems.js'
import { GLOB_SYNTAX, isFile } from './url-list.js'
import { type ParsedSource, fileProblem, formatOf, parseSource, positionOf, problemAt, readText } from './source.js'
import type { NamedFile } from '../model/index.js'
import type { ConfigProblem } from './types.js'

export interface FileList {
  files: NamedFile[]
  notices: ConfigProblem[]
  /** Manifests read, as the user named them. */
  manifests: string[]
}

export interface FileListOptions {
  cwd?: string
}

/** Manifests are the structured files; any other line names media. */
function isManifestPath(pattern: string): boolean {
  return formatOf(pattern) !== 'text'
}

interface Named {
  path: string
  source: { file: string; line: number; column: number; field: string }
  title?: string
  description?: string
}

/** Reads the `files` input's lines: media paths and globs, and manifests. Throws ConfigError with every problem. */
export async function loadFileList(patterns: string[], options: FileListOptions = {}): Promise<FileList> {
  const cwd = options.cwd ?? process.cwd()
  const problems: ConfigProblem[] = []
  const named: Named[] = []
  const manifests: string[] = []
  for (const pattern of patterns) {
    if (isManifestPath(pattern)) {
      const found = await expand(pattern, cwd, () => true)
      if (!found.length) problems.push(fileProblem(pattern, 'no files match this pattern'))
      for (const manifest of found) {
        manifests.push(manifest)
        const read = await readManifest(manifest, cwd)
        named.push(...read.named)
        problems.push(...sortProblems(read.problems))
      }
      continue
    }
    const found = await expand(pattern, cwd, isMediaName)
    if (!found.length) problems.push(fileProblem(pattern, noMatch(pattern)))
    for (const path of found) named.push({ path, source: { file: path, line: 0, column: 0, field: '' } })
  }

  const files: NamedFile[] = []
  const notices: ConfigProblem[] = []
  const first = new Map<string, Named>()
  for (const n of named) {
    const seen = first.get(n.path)
    if (seen) {
      notices.push({ ...n.source, message: `${n.path} is already named at ${where(seen)}; evaluated once` })
      continue
    }
    first.set(n.path, n)
    files.push({
      path: n.path,
      source: { file: n.source.file, line: n.source.line, ...(n.source.line > 0 && { column: n.source.column }) },
      ...(n.title !== undefined && { title: n.title }),
      ...(n.description !== undefined && { description: n.description })
    })
  }
  if (!problems.length && !files.length) problems.push(fileProblem(patterns.join(', '), 'no files to evaluate'))
  if (problems.length) throw new ConfigError(problems, notices)
  return { files, notices, manifests }
}

function where(n: Named): string {
  return n.source.line ? `${n.source.file}:${n.source.line}` : 'the files input'
}

function noMatch(pattern: string): string {
  return GLOB_SYNTAX.test(pattern) ? 'no media files match this pattern' : 'file not found'
}

const isMediaName = (path: string) => formatForExtension(extensionOf(path)) !== undefined

/** A cwd-relative path with forward slashes, as git and reports name files. */
function repoPath(cwd: string, path: string): string {
  const rel = relative(cwd, resolve(cwd, path))
  return rel.split(sep).join(posix.sep)
}

/**
 * Files a path or glob names, relative to cwd, sorted. A plain path is returned as is (its problems are reported
 * when it is inspected); a glob keeps the matches `keep` accepts (media files, for media globs).
 */
async function expand(pattern: string, cwd: string, keep: (path: string) => boolean): Promise<string[]> {
  if (!GLOB_SYNTAX.test(pattern) || (await isFile(resolve(cwd, pattern)))) {
    return (await exists(resolve(cwd, pattern))) ? [repoPath(cwd, pattern)] : []
  }
  const found: string[] = []
  for await (const match of glob(pattern, { cwd }))
    if (keep(match) && (await isFile(resolve(cwd, match)))) found.push(repoPath(cwd, match))
  return found.sort()
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

const ITEM_SHAPE = 'a file path or a mapping with a file key'

async function readManifest(manifest: string, cwd: string): Promise<{ named: Named[]; problems: ConfigProblem[] }> {
  const read = await readText(manifest, cwd)
  if (!read.ok) return { named: [], problems: [read.problem] }
  if (read.value.trim() === '') return { named: [], problems: [fileProblem(manifest, 'the manifest is empty')] }
  const format = formatOf(manifest) as 'yaml' | 'json'
  const { source, problems } = parseSource(manifest, read.value, format)
  if (!source) return { named: [], problems }
  const root = source.doc.contents
  if (!isSeq(root))
    return {
      named: [],
      problems: [
        problemAt(source, [], `expected a list of files (each ${ITEM_SHAPE}), got ${describeValue(source.value)}`)
      ]
    }
  const base = dirname(manifest)
  const named: Named[] = []
  const out: ConfigProblem[] = []
  const items = source.value as unknown[]
  for (const [i, item] of items.entries()) {
    const node = root.items[i]
    const parsed = manifestItemSchema.safeParse(item)
    if (!parsed.success) {
      out.push(...itemProblems(source, i, item))
      continue
    }
    const entry = typeof parsed.data === 'string' ? { file: parsed.data } : parsed.data
    const at = isMap(node)
      ? problemAt(source, [i, 'file'], '')
      : { ...positionOf(source, node as Node), field: `[${i}]` }
    const pattern = entry.file.trim()
    if (isAbsolute(pattern)) {
      out.push({ ...at, file: manifest, message: `expected a path relative to ${manifest}, got an absolute path` })
      continue
    }
    const matches = await expand(join(base, pattern), cwd, isMediaName)
    if (!matches.length) {
      out.push({ ...at, file: manifest, message: `${noMatch(pattern)} (${pattern}, relative to the manifest)` })
      continue
    }
    for (const path of matches)
      named.push({
        path,
        source: { file: manifest, line: at.line, column: at.column, field: at.field },
        title: entry.title,
        description: entry.description
      })
  }
  return { named, problems: out }
}

/** Problems of one manifest item, at the key or value they are about. */
function itemProblems(source: ParsedSource, i: number, item: unknown): ConfigProblem[] {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    if (typeof item === 'string') return [problemAt(source, [i], 'must not be empty')]
    return [problemAt(source, [i], `expected ${ITEM_SHAPE}, got ${describeValue(item)}`)]
  }
  const out: ConfigProblem[] = []
  for (const key of Object.keys(item))
    if (!MANIFEST_ITEM_KEYS.includes(key))
      out.push(problemAt(source, [i, key], unknownKeyMessage(key, MANIFEST_ITEM_KEYS), 'key'))
  const shaped = z.object(manifestItemSchema.options[1].shape).partial({ file: true }).safeParse(item)
  if (!shaped.success)
    for (const issue of schemaIssues(shaped.error)) out.push(problemAt(source, [i, ...issue.path], issue.message))
  if ((item as Record<string, unknown>).file === undefined) out.push(problemAt(source, [i, 'file'], 'is required'))
  return out
}

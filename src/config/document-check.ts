/**
 * Checks of a parsed YAML/JSON document that its syntax does not cover, each a problem at file:line:column:
 * nesting deeper than MAX_NESTING_DEPTH, tags the product does not read (`!include` would otherwise become the
 * string after it), aliases without an anchor or expanding past the alias limit, keys that are lists or mappings,
 * and numbers that are not finite (`.nan`, `.inf`, `1e999` would reach the API as null).
 */
import { type Document, type LineCounter, type Node, isAlias, isCollection, isMap, isPair, isScalar } from 'yaml'
import { formatPath } from '../pique/schema.js'
import type { ConfigProblem } from './types.js'

/** Deepest nesting of lists and mappings read; a judge file needs five levels. */
export const MAX_NESTING_DEPTH = 64
/** Aliases may expand to at most this many nodes in all (the `yaml` library's own guard against alias bombs). */
export const MAX_ALIAS_COUNT = 100

export const NESTING_MESSAGE = `nested deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings`

// The core schema's tags: writing one out (`!!str 1`) is harmless. Others (`!!binary`, `!!set`, `!include`) are not read.
const YAML_TAG_PREFIX = 'tag:yaml.org,2002:'
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map(t => YAML_TAG_PREFIX + t))

interface Context {
  file: string
  lines: LineCounter
}

/**
 * Problems in the document's nodes. `fatal` ones (too deep, an alias without anchor, a list as a key) leave no
 * value to check further; the others (tags, numbers) are reported together with the schema's problems.
 */
export function documentProblems(
  file: string,
  doc: Document.Parsed,
  lines: LineCounter
): { problems: ConfigProblem[]; fatal: boolean } {
  const ctx = { file, lines }
  const problems: ConfigProblem[] = []
  const anchors = new Set<string>()
  let fatal = false
  // Iterative, depth-first in document order: anchors are seen before the aliases that follow them.
  const stack: { node: unknown; path: (string | number)[]; depth: number }[] = [
    { node: doc.contents, path: [], depth: 1 }
  ]
  while (stack.length) {
    const { node, path, depth } = stack.pop() as (typeof stack)[number]
    if (!node || typeof node !== 'object') continue
    const n = node as Node
    if (n.anchor) anchors.add(n.anchor)
    const tagProblem =
      n.tag && !CORE_TAGS.has(n.tag) ? `unsupported tag ${shortTag(n.tag)}: tags are not read` : undefined
    if (tagProblem) problems.push(at(ctx, n, path, tagProblem))
    if (isAlias(n)) {
      if (!anchors.has(n.source)) {
        problems.push(at(ctx, n, path, `alias *${n.source} has no anchor &${n.source} before it`))
        fatal = true
      }
      continue
    }
    if (isScalar(n)) {
      if (typeof n.value === 'number' && !Number.isFinite(n.value))
        problems.push(at(ctx, n, path, `not a finite number: ${n.source || String(n.value)}`))
      continue
    }
    if (!isCollection(n)) continue
    if (depth > MAX_NESTING_DEPTH) {
      problems.push(at(ctx, n, [], NESTING_MESSAGE))
      return { problems, fatal: true }
    }
    const children: typeof stack = []
    n.items.forEach((item, i) => {
      if (isPair(item)) {
        const key = item.key as Node | null
        const keyPath = [...path, isScalar(key) ? String(key.value) : i]
        if (key && (isCollection(key) || (isAlias(key) && isCollection(key.resolve(doc))))) {
          // Fatal: the key would be read as its YAML text ("[ a, b ]"), and every later check would name that.
          problems.push(at(ctx, key, path, `a key must be a plain value, got ${isMap(key) ? 'a mapping' : 'a list'}`))
          fatal = true
        } else if (key) children.push({ node: key, path: keyPath, depth })
        children.push({ node: item.value, path: keyPath, depth: depth + 1 })
      } else children.push({ node: item, path: [...path, i], depth: depth + 1 })
    })
    stack.push(...children.reverse())
  }
  return { problems, fatal }
}

/**
 * The document as plain data, or the problem that stops it: aliases that expand past MAX_ALIAS_COUNT (an alias
 * bomb) are reported at the first alias instead of the library's exception.
 */
export function documentValue(
  file: string,
  doc: Document.Parsed,
  lines: LineCounter
): { ok: true; value: unknown } | { ok: false; problem: ConfigProblem } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) }
  } catch (error) {
    const alias = firstAlias(doc.contents)
    const message = /alias count/i.test((error as Error).message)
      ? `aliases expand to too much data (more than the limit of ${MAX_ALIAS_COUNT} aliased nodes)`
      : `cannot be read: ${(error as Error).message}`
    return {
      ok: false,
      problem: alias ? at({ file, lines }, alias, [], message) : at({ file, lines }, null, [], message)
    }
  }
}

function firstAlias(root: unknown): Node | undefined {
  const stack = [root]
  while (stack.length) {
    const node = stack.shift()
    if (isAlias(node)) return node
    if (isPair(node)) stack.unshift(node.key, node.value)
    else if (isCollection(node)) stack.unshift(...node.items)
  }
  return undefined
}

/** A tag as the user wrote it: `!!binary` rather than `tag:yaml.org,2002:binary`. */
function shortTag(tag: string): string {
  return tag.startsWith(YAML_TAG_PREFIX) ? `!!${tag.slice(YAML_TAG_PREFIX.length)}` : tag
}

function at(ctx: Context, node: Node | null, path: (string | number)[], message: string): ConfigProblem {
  const pos = ctx.lines.linePos(node?.range?.[0] ?? 0)
  return {
    file: ctx.file,
    line: Math.max(1, pos.line),
    column: Math.max(1, pos.col),
    field: formatPath(path),
    message
  }
}

/**
 * Where JSON text nests deeper than MAX_NESTING_DEPTH (checked before parsing: the JSON and YAML parsers recurse,
 * and a deep enough file would overflow their stack).
 */
export function jsonNestingOffset(text: string): number | undefined {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING_DEPTH) return i
    } else if (c === ']' || c === '}') depth--
  }
  return undefined
}

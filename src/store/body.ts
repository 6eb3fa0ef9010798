/**
 * Decoding a delivery's raw bytes into JSON, with the store's own limits: UTF-8 only (refused otherwise, so the
 * text kept is byte for byte what was signed), a leading BOM tolerated, and a nesting depth limit so that every
 * accepted body can be read back and re-serialized (JSON.stringify recurses, and overflows a few thousand deep).
 */
import { jsonSyntaxProblem, offsetPosition } from '../config/source.js'

/** Deepest nesting of arrays and objects a body may have; real result bodies nest about 7 deep. */
export const MAX_JSON_DEPTH = 64

export type DecodedBody = { ok: true; text: string; json: unknown } | { ok: false; reason: string }

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Bytes → text → JSON, or one line saying which step failed (never quoting the body). */
export function decodeJsonBody(raw: Buffer): DecodedBody {
  let text: string
  try {
    text = utf8.decode(raw)
  } catch {
    return { ok: false, reason: `body is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(raw)})` }
  }
  if (text.includes('\u0000'))
    return { ok: false, reason: 'body is not JSON: it contains NUL bytes (UTF-16? the body must be UTF-8 JSON)' }
  if (text.trim() === '') return { ok: false, reason: 'body is empty (expected a JSON result body)' }
  if (exceedsDepth(text, MAX_JSON_DEPTH))
    return { ok: false, reason: `body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects` }
  const json = parseJsonText(text)
  if (json === undefined) return { ok: false, reason: `body is not JSON${jsonErrorAt(text)}` }
  return { ok: true, text, json }
}

/**
 * A stored result body as an object, or undefined when it cannot be served: not JSON (a row edited by hand or
 * restored by another tool), not an object, or kept before ingest limited the depth (JSON.stringify and any reader
 * that recurses could not take it). One rule for every read that returns stored bodies.
 */
export function storedBodyJson(text: string | null): Record<string, unknown> | undefined {
  if (text === null || exceedsDepth(text, MAX_JSON_DEPTH)) return undefined
  const json = parseJsonText(text)
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : undefined
}

/** The same body as JSON text to splice into an answer unparsed (its leading BOM, which ingest tolerates, dropped). */
export function servableBody(text: string | null): string | undefined {
  if (storedBodyJson(text) === undefined) return undefined
  return withoutBom(text as string)
}

/** The text without its leading byte order mark, which RFC 8259 lets a parser ignore. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** JSON.parse that tolerates a leading byte order mark (RFC 8259 lets a parser ignore it); undefined if not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(withoutBom(text))
  } catch {
    return undefined
  }
}

/** True when arrays/objects nest deeper than `limit` (brackets inside strings do not count). Linear, no recursion. */
export function exceedsDepth(text: string, limit: number): boolean {
  // Cheap first: a text with at most `limit` opening brackets cannot nest deeper (result bodies have a few dozen).
  if (countOpenings(text, limit + 1) <= limit) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

/** How many `{` and `[` the text holds, counting no further than `stop`. */
function countOpenings(text: string, stop: number): number {
  let n = 0
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1 && n < stop; i = text.indexOf(bracket, i + 1)) n++
  }
  return n
}

/** Where and why the text is not JSON, as ": <what> at line L, column C" (JSON.parse's own message quotes the body). */
function jsonErrorAt(text: string): string {
  const problem = jsonSyntaxProblem(withoutBom(text))
  if (!problem) return ''
  const { line, col } = offsetPosition(text, problem.offset)
  return `: ${problem.message.slice(0, 80)} at line ${line}, column ${col}`
}

function firstInvalidUtf8(raw: Buffer): number {
  // The longest prefix that decodes, a sequence cut off at its end allowed, stops at the byte that broke it...
  let lo = 0
  let hi = raw.length
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (decodes(raw.subarray(0, mid), true)) lo = mid
    else hi = mid - 1
  }
  // ...unless that prefix ends inside a sequence: then the sequence's lead byte is the first bad one.
  if (decodes(raw.subarray(0, lo), false)) return lo
  let at = lo - 1
  while (at > 0 && (raw[at] & 0xc0) === 0x80) at--
  return at
}

/** Whether `bytes` is valid UTF-8 (`cutOff`: except possibly for a sequence cut off at its end). */
function decodes(bytes: Buffer, cutOff: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cutOff })
    return true
  } catch {
    return false
  }
}

/**
 * User text made safe to print as plain text (a terminal, a log line, an annotation, a config problem): control
 * characters shown escaped, whitespace collapsed, long values cut. Markdown and XML escaping build on these.
 */

/**
 * C0 and C1 control characters (NUL, ESC of ANSI sequences, DEL), and the invisible ones that reorder or break
 * lines (bidi overrides, U+2028/9), as visible `\x1b` / `\u202e` escapes: user text must not drive a terminal or
 * hide what it says. Tab, newline and carriage return stay (single-line contexts collapse them).
 */
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

export function escapeControls(text: string): string {
  return text.replace(CONTROL, c => {
    const code = c.charCodeAt(0)
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/** User text for a one-line message: whitespace collapsed, control characters escaped, cut at `max` characters. */
export function printableLine(text: string, max: number): string {
  return truncate(escapeControls(collapseWhitespace(text)), max)
}

/** Newlines and runs of whitespace to one space, for single-line contexts. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Shortens to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`
}

/**
 * Parts joined into chunks of at least `chars` characters (the last may be shorter), for writing a large JSON text
 * without ever building it whole: one string that large is a large-object allocation, freed only by a full collection.
 */
export function* joinedChunks(parts: Iterable<string>, chars: number): Generator<string> {
  let pending: string[] = []
  let size = 0
  for (const part of parts) {
    pending.push(part)
    size += part.length
    if (size < chars) continue
    yield pending.join('')
    pending = []
    size = 0
  }
  if (pending.length) yield pending.join('')
}

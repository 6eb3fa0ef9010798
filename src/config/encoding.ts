/**
 * Decoding a config file's bytes: UTF-8 only. Anything else gets one message naming what the bytes look like
 * (UTF-16 or UTF-32 from a Windows editor, or a binary file), never a parse error per NUL.
 */

export type Decoded = { ok: true; value: string } | { ok: false; why: string; at?: Position }

interface Position {
  line: number
  column: number
}

const SAVE_AS_UTF8 = 'save it as UTF-8'

export function decodeUtf8(bytes: Uint8Array): Decoded {
  const unicode = otherUnicode(bytes)
  if (unicode) return { ok: false, why: `not UTF-8: the file is ${unicode}; ${SAVE_AS_UTF8}` }
  let text: string
  try {
    // TextDecoder drops a leading byte-order mark (Windows editors write one): strict JSON would reject it, and it
    // would shift every column of the first line.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const offset = firstInvalidUtf8(bytes)
    const at = position(new TextDecoder('utf-8').decode(bytes.subarray(0, offset)))
    return { ok: false, why: `not UTF-8: invalid byte 0x${hex(bytes[offset])}; ${SAVE_AS_UTF8}`, at }
  }
  const nul = text.indexOf('\u0000')
  if (nul >= 0)
    return { ok: false, why: 'a binary file, not text: it holds a NUL byte', at: position(text.slice(0, nul)) }
  return { ok: true, value: text }
}

/** UTF-16/32 by their byte-order mark, or UTF-16 without one by its zero bytes at every other position. */
function otherUnicode(b: Uint8Array): string | undefined {
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0)
    return 'UTF-32 (little-endian, with a byte-order mark)'
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 (big-endian, with a byte-order mark)'
  if (b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 (little-endian, with a byte-order mark)'
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 (big-endian, with a byte-order mark)'
  // ASCII text in UTF-16: every other byte is zero. Sample the start; a few NULs in a binary file do not match.
  const sample = b.subarray(0, Math.min(b.length, 512) & ~1)
  if (sample.length < 2) return undefined
  let evenZero = 0
  let oddZero = 0
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0 && sample[i + 1] !== 0) evenZero++
    if (sample[i + 1] === 0 && sample[i] !== 0) oddZero++
  }
  const pairs = sample.length / 2
  if (oddZero >= pairs * 0.9) return 'UTF-16 (little-endian, without a byte-order mark)'
  if (evenZero >= pairs * 0.9) return 'UTF-16 (big-endian, without a byte-order mark)'
  return undefined
}

/** Where the first sequence that breaks UTF-8 starts (TextDecoder only says that one does). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i)
    if (n === 0) break
    i += n
  }
  return Math.min(i, bytes.length - 1)
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when it is not one (overlong, surrogate, cut short). */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]
  if (c < 0x80) return 1
  const cont = (k: number, lo = 0x80, hi = 0xbf) => b[i + k] !== undefined && b[i + k] >= lo && b[i + k] <= hi
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0
  return 0
}

/** Line and column just after `before`, the text that precedes the offending byte. */
function position(before: string): Position {
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') }
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0').toUpperCase()
}

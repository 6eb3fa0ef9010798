/**
 * A captured delivery's headers, as an operator saves them: raw `Name: value` lines (a request line first and a
 * blank line plus body after are fine, as `nc -l` or a request bin shows them), or a JSON object of name → value
 * (or list of values). Names come out lower-case and repeated headers as lists, like node:http's headersDistinct.
 */
import { withoutBom } from './body.js'

export type CapturedHeaders = Record<string, string[]>

export function parseCapturedHeaders(
  text: string,
  file: string
): { ok: true; headers: CapturedHeaders } | { ok: false; error: string } {
  const body = withoutBom(text)
  const parsed = body.trimStart().startsWith('{') ? fromJson(body, file) : fromLines(body, file)
  return typeof parsed === 'string' ? { ok: false, error: parsed } : { ok: true, headers: parsed }
}

function add(out: CapturedHeaders, name: string, value: string): void {
  ;(out[name.trim().toLowerCase()] ??= []).push(value.trim())
}

function fromLines(text: string, file: string): CapturedHeaders | string {
  const out: CapturedHeaders = {}
  const lines = text.split(/\r?\n/)
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') {
      if (Object.keys(out).length > 0) break // the blank line that ends the headers
      continue
    }
    if (i === 0 && /^[A-Z]+ \S+ HTTP\/\d/.test(line)) continue // the request line
    const colon = line.indexOf(':')
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(line.slice(0, colon).trim()))
      return `${file}:${i + 1}: expected a header line "Name: value"`
    add(out, line.slice(0, colon), line.slice(colon + 1))
  }
  if (Object.keys(out).length === 0) return `${file}: no headers found`
  return out
}

function fromJson(text: string, file: string): CapturedHeaders | string {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return `${file}: starts with "{" but is not valid JSON`
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return `${file}: expected a JSON object of header names`
  const out: CapturedHeaders = {}
  for (const [name, value] of Object.entries(json)) {
    const values = Array.isArray(value) ? value : [value]
    if (!values.every(v => typeof v === 'string' || typeof v === 'number'))
      return `${file}: header ${JSON.stringify(name.slice(0, 40))}: expected a string or a list of strings`
    for (const v of values) add(out, name, String(v))
  }
  return out
}

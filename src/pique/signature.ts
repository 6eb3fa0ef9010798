/**
 * Webhook signatures. The documented, strict form is `X-Pique-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>,alg=sha256`,
 * the HMAC keyed with the organization's webhook secret over the UTF-8 bytes of `<t>.<raw body>`; another vendor
 * page names the header `X-Webhook-Signature`, so both names are read and a delivery verifies when either does.
 * The overview pages describe a body-only HMAC in `X-Webhook-Signature` (`sha256=<hex>` or bare hex): it carries
 * no timestamp, so a captured delivery can be replayed at any time, and it is accepted only when the receiver opts
 * in (`acceptBodyOnly`). The emulator signs with this module; the store and `verify-delivery` verify with it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { WEBHOOK } from './limits.js'

function hmacHex(secret: string, t: string | undefined, rawBody: Buffer | string): string {
  // A string key is the same UTF-8 bytes, and about 4x cheaper than a Buffer key (no KeyObject per call).
  const mac = createHmac('sha256', secret)
  if (t !== undefined) mac.update(`${t}.`, 'utf8')
  mac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
  return mac.digest('hex')
}

/** The header value for a body signed at `timestampSeconds` with each of `secrets` (one `v1` per secret). */
export function signatureHeader(
  secrets: string | readonly string[],
  timestampSeconds: number,
  rawBody: Buffer | string
): string {
  const t = String(Math.floor(timestampSeconds))
  const list = typeof secrets === 'string' ? [secrets] : secrets
  return [`t=${t}`, ...list.map(s => `v1=${hmacHex(s, t, rawBody)}`), `alg=${WEBHOOK.signatureAlgorithm}`].join(',')
}

/** The overview pages' body-only signature: `sha256=<hex HMAC of the raw body>` (no timestamp). */
export function bodyOnlySignature(secret: string, rawBody: Buffer | string): string {
  return `sha256=${hmacHex(secret, undefined, rawBody)}`
}

export interface ParsedSignature {
  t: number
  /** Raw timestamp text, signed as sent. */
  tText: string
  v1: string[]
}

/** Parse the header; unknown keys are ignored, several `v1` values are kept. */
export function parseSignatureHeader(header: string): ParsedSignature | { error: string } {
  const ts = new Set<string>()
  const v1: string[] = []
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const key = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (key === 't') ts.add(value)
    else if (key === 'v1') v1.push(value)
    else if (key === 'alg' && value.toLowerCase() !== WEBHOOK.signatureAlgorithm)
      return { error: `unsupported alg ${printable(value)}` }
  }
  if (ts.size === 0) return { error: 'signature header has no t=' }
  // Two different timestamps cannot both be what was signed; refuse rather than guess which one.
  if (ts.size > 1) return { error: 'signature header has several different t= values' }
  const [tText] = ts
  if (!/^\d{1,12}$/.test(tText)) return { error: 'signature timestamp does not parse' }
  if (v1.length === 0) return { error: 'signature header has no v1=' }
  return { t: Number(tText), tText, v1 }
}

/** Why a signature check failed, as a small fixed set (metric labels); each check keeps a human `reason` too. */
export const SIGNATURE_FAILURES = ['missing', 'unparsable', 'not_enabled', 'stale', 'future', 'no_match'] as const
export type SignatureFailure = (typeof SIGNATURE_FAILURES)[number]

/** What a header value looks like: the documented `t=…,v1=…`, or the body-only `sha256=<hex>` or bare hex. */
export const SIGNATURE_FORMATS = ['t_v1', 'sha256', 'hex', 'unknown'] as const
export type SignatureFormat = (typeof SIGNATURE_FORMATS)[number]

export type SignatureHeaderName = (typeof WEBHOOK.signatureHeaders)[number]

const REASONS = {
  missing: 'missing signature header',
  stale: 'signature timestamp too old',
  future: 'signature timestamp in the future',
  no_match: 'signature does not match',
  not_enabled: 'body-only signature (no timestamp) not accepted',
  wrong_header: 'body-only signatures are read only from X-Webhook-Signature'
} as const

/** One header value and what checking it found. Never holds the secret or the body. */
export interface SignatureCheck {
  header: SignatureHeaderName
  format: SignatureFormat
  ok: boolean
  /** Set when not ok. */
  failure?: SignatureFailure
  /** Human wording: why it failed, or `verified`. */
  reason: string
  /** The signature's `t` (t=/v1= format only). */
  t?: number
  /** Receiver's clock minus `t`, in seconds (positive: the signature is that old). */
  skewSeconds?: number
  /** Which configured secret matched (0-based, in the order given). */
  secretIndex?: number
}

export type DeliveryVerdict =
  | { ok: true; check: SignatureCheck; checks: SignatureCheck[] }
  | { ok: false; failure: SignatureFailure; reason: string; checks: SignatureCheck[] }

export interface VerifyDeliveryOptions {
  /** Request headers as node:http gives them (lower-case names; a repeated header as an array). */
  headers: Record<string, string | string[] | undefined>
  rawBody: Buffer
  secrets: readonly string[]
  toleranceSeconds?: number
  nowSeconds?: number
  /** Also accept `X-Webhook-Signature: sha256=<hex>` or bare hex over the raw body (no replay protection). */
  acceptBodyOnly?: boolean
}

/** Most informative first: a check that got as far as comparing MACs says more than one that could not parse. */
const FAILURE_RANK: Record<SignatureFailure, number> = {
  no_match: 5,
  stale: 4,
  future: 4,
  not_enabled: 3,
  unparsable: 2,
  missing: 1
}

/**
 * Verify a delivery over its raw bytes, in constant time, against every configured secret, every `v1` and every
 * signature header value it carries (both names, each occurrence); it verifies when any of them does.
 */
export function verifyDelivery(opts: VerifyDeliveryOptions): DeliveryVerdict {
  const values = signatureHeaderValues(opts.headers)
  if (values.length === 0) return { ok: false, failure: 'missing', reason: REASONS.missing, checks: [] }
  const checks = values.map(({ header, value }) => checkOne(header, value, opts))
  const passed = checks.find(c => c.ok)
  if (passed) return { ok: true, check: passed, checks }
  const worst = checks.reduce((a, b) => (FAILURE_RANK[b.failure!] > FAILURE_RANK[a.failure!] ? b : a))
  // One header: its own wording (what the sender needs). Several: each one's, so none is hidden.
  const reason = checks.length === 1 ? checks[0].reason : checks.map(c => `${c.header}: ${c.reason}`).join('; ')
  return { ok: false, failure: worst.failure!, reason, checks }
}

/** One strict `t=…,v1=…` header value checked alone (as before both names were read): its `t`, or the reason. */
export function verifySignature(opts: {
  header: string | undefined
  rawBody: Buffer
  secrets: readonly string[]
  toleranceSeconds?: number
  nowSeconds?: number
}): { ok: true; t: number } | { ok: false; reason: string } {
  const { header, ...rest } = opts
  const verdict = verifyDelivery({ ...rest, headers: { 'x-pique-signature': header } })
  return verdict.ok ? { ok: true, t: verdict.check.t! } : { ok: false, reason: verdict.reason }
}

/** Every signature header value of a request, in the documented order of the names. */
export function signatureHeaderValues(
  headers: Record<string, string | string[] | undefined>
): { header: SignatureHeaderName; value: string }[] {
  const out: { header: SignatureHeaderName; value: string }[] = []
  for (const header of WEBHOOK.signatureHeaders) {
    const raw = headers[header.toLowerCase()]
    for (const value of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) out.push({ header, value })
  }
  return out
}

export function signatureFormat(value: string): SignatureFormat {
  const v = value.trim()
  if (/^sha256=[0-9a-f]*$/i.test(v)) return 'sha256'
  if (/^[0-9a-f]{64}$/i.test(v)) return 'hex'
  if (v.split(',').some(part => /^\s*(t|v1)\s*=/.test(part))) return 't_v1'
  return 'unknown'
}

function checkOne(header: SignatureHeaderName, value: string, opts: VerifyDeliveryOptions): SignatureCheck {
  const format = signatureFormat(value)
  const fail = (failure: SignatureFailure, reason: string, extra: Partial<SignatureCheck> = {}): SignatureCheck => ({
    header,
    format,
    ok: false,
    failure,
    reason,
    ...extra
  })
  if (value.trim() === '') return fail('unparsable', 'signature header is empty')
  if (format === 'unknown')
    return fail('unparsable', 'signature header is neither t=…,v1=… nor a body-only sha256=<hex> / hex HMAC')
  if (format === 'sha256' || format === 'hex') {
    if (header !== 'X-Webhook-Signature') return fail('unparsable', REASONS.wrong_header)
    if (!opts.acceptBodyOnly) return fail('not_enabled', REASONS.not_enabled)
    const hex = value.trim().replace(/^sha256=/i, '')
    const index = matchingSecret(opts.secrets, [hex], secret => hmacHex(secret, undefined, opts.rawBody))
    if (index === undefined) return fail('no_match', REASONS.no_match)
    return { header, format, ok: true, reason: 'verified', secretIndex: index }
  }
  const parsed = parseSignatureHeader(value)
  if ('error' in parsed) return fail('unparsable', parsed.error)
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000)
  const tolerance = opts.toleranceSeconds ?? WEBHOOK.toleranceSeconds
  const timing = { t: parsed.t, skewSeconds: now - parsed.t }
  if (Math.abs(now - parsed.t) > tolerance)
    return fail(parsed.t < now ? 'stale' : 'future', parsed.t < now ? REASONS.stale : REASONS.future, timing)
  const index = matchingSecret(opts.secrets, parsed.v1, secret => hmacHex(secret, parsed.tText, opts.rawBody))
  if (index === undefined) return fail('no_match', REASONS.no_match, timing)
  return { header, format, ok: true, reason: 'verified', ...timing, secretIndex: index }
}

/** The index of the first secret whose MAC equals one of `candidates`, compared in constant time. */
function matchingSecret(
  secrets: readonly string[],
  candidates: readonly string[],
  macOf: (secret: string) => string
): number | undefined {
  const got = candidates.map(c => Buffer.from(c.toLowerCase(), 'utf8'))
  for (const [index, secret] of secrets.entries()) {
    const expected = Buffer.from(macOf(secret), 'utf8')
    // Lengths first: timingSafeEqual throws on unequal lengths.
    if (got.some(g => g.length === expected.length && timingSafeEqual(g, expected))) return index
  }
  return undefined
}

/** A sender-supplied fragment made safe for a message: printable ASCII only, cut short. */
function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 16)
}

/**
 * The store's rules for one delivery, from its headers and raw bytes to the answer it gets: size (413), signature
 * (401), encoding and JSON (400), then what it is filed as. The ingest endpoint and `verify-delivery` both use this,
 * so a captured delivery is judged exactly as the store would judge it.
 */
import { type DeliveryState, readDeliveryState } from '../pique/results.js'
import { type DeliveryVerdict, verifyDelivery } from '../pique/signature.js'
import { decodeJsonBody } from './body.js'
import type { StoreOptions } from './options.js'

export type DeliveryRules = Pick<
  StoreOptions,
  'webhookSecrets' | 'toleranceSeconds' | 'bodyLimitBytes' | 'acceptBodyOnlySignatures'
> & { nowSeconds?: number }

type Filed = Extract<DeliveryState, { ok: true }>

export type DeliveryCheck =
  | { status: 413; reason: string }
  | { status: 401; reason: string; verdict: Extract<DeliveryVerdict, { ok: false }> }
  | { status: 400; reason: string; verdict: Extract<DeliveryVerdict, { ok: true }> }
  | { status: 200; verdict: Extract<DeliveryVerdict, { ok: true }>; text: string; state: Filed }

/** Content codings the store reads: the signature covers the bytes as sent, and the store does not decompress. */
const IDENTITY = /^\s*(identity\s*)?$/i

export function checkDelivery(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  rules: DeliveryRules
): DeliveryCheck {
  if (rawBody.length > rules.bodyLimitBytes)
    return { status: 413, reason: `body larger than ${rules.bodyLimitBytes} bytes` }
  const verdict = verifyDelivery({
    headers,
    rawBody,
    secrets: rules.webhookSecrets,
    toleranceSeconds: rules.toleranceSeconds,
    nowSeconds: rules.nowSeconds,
    acceptBodyOnly: rules.acceptBodyOnlySignatures
  })
  if (!verdict.ok) return { status: 401, reason: verdict.reason, verdict }
  const filed = fileBody(headers, rawBody)
  return filed.ok
    ? { status: 200, verdict, text: filed.text, state: filed.state }
    : { status: 400, reason: filed.reason, verdict }
}

/** What the store makes of a body once its signature verifies: the text and state it files, or why it cannot (400). */
export function fileBody(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer
): { ok: true; text: string; state: Filed } | { ok: false; reason: string } {
  const encoding = [headers['content-encoding'] ?? []].flat().join(',')
  if (!IDENTITY.test(encoding))
    return { ok: false, reason: 'compressed bodies are not accepted (Content-Encoding must be identity)' }
  const decoded = decodeJsonBody(rawBody)
  if (!decoded.ok) return decoded
  const state = readDeliveryState(decoded.json)
  if (!state.ok) return { ok: false, reason: `not a result body: ${state.reason}` }
  return { ok: true, text: decoded.text, state }
}

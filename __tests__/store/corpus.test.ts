/**
 * The malformed-delivery corpus: hostile and odd webhook deliveries (signatures, headers, encodings, bodies, depth)
 * sent to a real store, each with the exact answer the sender gets and, when accepted, what a reader then sees.
 * Across the corpus: every answer is one JSON object with a one-line reason, no secret appears in any answer or log
 * line, the store stays ready, and every accepted delivery can be read back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHmac } from 'node:crypto'
import { request } from 'node:http'
import { bodyOnlySignature, signatureHeader } from '../../src/pique/signature.js'
import { MAX_JSON_DEPTH } from '../../src/store/body.js'
import type { RunningStore } from '../../src/store/options.js'
import { startStore } from '../../src/store/server.js'
import { SECRET, jobId, nowSeconds, read, sqliteBackend } from './helpers.js'

const LIMIT = 64 * 1024
const JOB = '@JOB@'

type Headers = Record<string, string | string[]>
interface Case {
  name: string
  /** The body; `@JOB@` becomes a fresh job id. */
  body: string | Buffer
  /** Signature headers for the exact bytes sent (default: a fresh, valid X-Pique-Signature). */
  sign?: (raw: Buffer, t: number) => Headers
  /** Other request headers. */
  headers?: Headers
  /** Send to the store started with --accept-body-only-signatures. */
  bodyOnly?: boolean
  status: number
  /** The exact error, or a pattern, for a refused delivery. */
  error?: string | RegExp
  /** For an accepted one: the job's status as a reader then sees it. */
  filed?: string
}

const pique = (raw: Buffer, t: number, secret = SECRET): Headers => ({
  'X-Pique-Signature': signatureHeader(secret, t, raw)
})
const mac = (raw: Buffer, t: number, secret = SECRET) =>
  createHmac('sha256', secret).update(`${t}.`).update(raw).digest('hex')
const bodyHex = (raw: Buffer, secret = SECRET) => createHmac('sha256', secret).update(raw).digest('hex')
const result = (fields: Record<string, unknown>) => JSON.stringify({ job_id: JOB, ...fields })
const completed = result({ event: 'evaluation.completed', status: 'completed', overall_score: 0.8 })
const nested = (open: string, close: string, depth: number) =>
  `{"job_id":"${JOB}","status":"pending","x":${open.repeat(depth)}1${close.repeat(depth)}}`
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map(p => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))

const SIGNATURE_CASES: Case[] = [
  { name: 'no signature header', body: completed, sign: () => ({}), status: 401, error: 'missing signature header' },
  {
    name: 'an unrelated signature header only',
    body: completed,
    sign: (raw, t) => ({ 'X-Hub-Signature-256': `sha256=${bodyHex(raw)}`, 'X-Other': mac(raw, t) }),
    status: 401,
    error: 'missing signature header'
  },
  {
    name: 'empty X-Pique-Signature',
    body: completed,
    sign: () => ({ 'X-Pique-Signature': '' }),
    status: 401,
    error: 'signature header is empty'
  },
  {
    name: 'blank X-Pique-Signature',
    body: completed,
    sign: () => ({ 'X-Pique-Signature': '   ' }),
    status: 401,
    error: 'signature header is empty'
  },
  {
    name: 'a bearer token instead of a signature',
    body: completed,
    sign: () => ({ 'X-Pique-Signature': 'Bearer abc.def' }),
    status: 401,
    error: /^signature header is neither t=…,v1=… nor/
  },
  {
    name: 'only t=',
    body: completed,
    sign: (_r, t) => ({ 'X-Pique-Signature': `t=${t}` }),
    status: 401,
    error: 'signature header has no v1='
  },
  {
    name: 'only v1=',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `v1=${mac(r, t)}` }),
    status: 401,
    error: 'signature header has no t='
  },
  {
    name: 't= not a number',
    body: completed,
    sign: r => ({ 'X-Pique-Signature': `t=now,v1=${mac(r, 0)}` }),
    status: 401,
    error: 'signature timestamp does not parse'
  },
  {
    name: 't= negative',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=-${t},v1=${mac(r, t)}` }),
    status: 401,
    error: 'signature timestamp does not parse'
  },
  {
    name: 't= with a fraction',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t}.5,v1=${mac(r, t)}` }),
    status: 401,
    error: 'signature timestamp does not parse'
  },
  {
    name: 't= in milliseconds (13 digits)',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t}000,v1=${mac(r, t)}` }),
    status: 401,
    error: 'signature timestamp does not parse'
  },
  {
    name: 't= the epoch',
    body: completed,
    sign: r => ({ 'X-Pique-Signature': `t=0,v1=${mac(r, 0)}` }),
    status: 401,
    error: 'signature timestamp too old'
  },
  {
    name: 't= just past the tolerance',
    body: completed,
    sign: (r, t) => pique(r, t - 302),
    status: 401,
    error: 'signature timestamp too old'
  },
  {
    name: 't= just in the future past the tolerance',
    body: completed,
    sign: (r, t) => pique(r, t + 302),
    status: 401,
    error: 'signature timestamp in the future'
  },
  { name: 't= well inside the tolerance', body: completed, sign: (r, t) => pique(r, t - 200), status: 200 },
  {
    name: 'two different t= values',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},t=${t - 1},v1=${mac(r, t)}` }),
    status: 401,
    error: 'signature header has several different t= values'
  },
  {
    name: 'the same t= twice',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},t=${t},v1=${mac(r, t)}` }),
    status: 200
  },
  {
    name: 'alg=md5',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v1=${mac(r, t)},alg=md5` }),
    status: 401,
    error: 'unsupported alg md5'
  },
  {
    name: 'alg with bytes outside ASCII',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v1=${mac(r, t)},alg=sha\xff256` }),
    status: 401,
    error: 'unsupported alg sha?256'
  },
  {
    name: 'X-Pique-Signature sent twice, the second one good',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': ['t=1,v1=00', signatureHeader(SECRET, t, r)] }),
    status: 200
  },
  {
    name: 'X-Pique-Signature sent twice, both wrong',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': [`t=${t},v1=00`, signatureHeader(SECRET, t - 400, r)] }),
    status: 401,
    error: 'X-Pique-Signature: signature does not match; X-Pique-Signature: signature timestamp too old'
  },
  {
    name: 'alg=SHA256 in capitals',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v1=${mac(r, t)},alg=SHA256` }),
    status: 200
  },
  {
    name: 'v1 in upper-case hex',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v1=${mac(r, t).toUpperCase()}` }),
    status: 200
  },
  {
    name: 'spaces around keys and values',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': ` t = ${t} , v1 = ${mac(r, t)} ` }),
    status: 200
  },
  {
    name: 'unknown keys (v0, scheme)',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v0=abc,scheme=x,v1=${mac(r, t)}` }),
    status: 200
  },
  {
    name: 'the right v1 after five wrong ones',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},${'v1=00,'.repeat(5)}v1=${mac(r, t)}` }),
    status: 200
  },
  {
    name: 'v1 cut short',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v1=${mac(r, t).slice(0, 63)}` }),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 'v1 not hex',
    body: completed,
    sign: (_r, t) => ({ 'X-Pique-Signature': `t=${t},v1=${'z'.repeat(64)}` }),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 'v1 signed with another secret',
    body: completed,
    sign: (r, t) => pique(r, t, 'whsec_someone_else'),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 'v1 signed with the secret plus a newline',
    body: completed,
    sign: (r, t) => pique(r, t, `${SECRET}\n`),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 'v1 over the body without the "t." prefix',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v1=${bodyHex(r)}` }),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 'v1 over another t than the one sent',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v1=${mac(r, t - 1)}` }),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 'v1 over re-serialized JSON (whitespace differs)',
    body: completed.replace(/,/g, ', '),
    sign: (r, t) => pique(Buffer.from(JSON.stringify(JSON.parse(r.toString()))), t),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: '8 KiB of wrong v1 values',
    body: completed,
    sign: (_r, t) => ({ 'X-Pique-Signature': `t=${t},${`v1=${'0'.repeat(64)},`.repeat(120)}alg=sha256` }),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 't=…,v1=… under X-Webhook-Signature',
    body: completed,
    sign: (r, t) => ({ 'X-Webhook-Signature': signatureHeader(SECRET, t, r) }),
    status: 200
  },
  {
    name: 'both headers, only X-Pique-Signature good',
    body: completed,
    sign: (r, t) => ({ ...pique(r, t), 'X-Webhook-Signature': 'garbage' }),
    status: 200
  },
  {
    name: 'both headers, only X-Webhook-Signature good',
    body: completed,
    sign: (r, t) => ({ 'X-Pique-Signature': `t=${t},v1=00`, 'X-Webhook-Signature': signatureHeader(SECRET, t, r) }),
    status: 200
  },
  {
    name: 'both headers, both wrong',
    body: completed,
    sign: (r, t) => ({ ...pique(r, t, 'whsec_x'), 'X-Webhook-Signature': signatureHeader(SECRET, t - 999, r) }),
    status: 401,
    error: 'X-Pique-Signature: signature does not match; X-Webhook-Signature: signature timestamp too old'
  },
  {
    name: 'sha256=<hex> without the opt-in',
    body: completed,
    sign: r => ({ 'X-Webhook-Signature': bodyOnlySignature(SECRET, r) }),
    status: 401,
    error: 'body-only signature (no timestamp) not accepted'
  },
  {
    name: 'bare hex without the opt-in',
    body: completed,
    sign: r => ({ 'X-Webhook-Signature': bodyHex(r) }),
    status: 401,
    error: 'body-only signature (no timestamp) not accepted'
  },
  {
    name: 'sha256=<hex> under X-Pique-Signature, opted in',
    body: completed,
    bodyOnly: true,
    sign: r => ({ 'X-Pique-Signature': bodyOnlySignature(SECRET, r) }),
    status: 401,
    error: 'body-only signatures are read only from X-Webhook-Signature'
  },
  {
    name: 'sha256=<hex>, opted in',
    body: completed,
    bodyOnly: true,
    sign: r => ({ 'X-Webhook-Signature': bodyOnlySignature(SECRET, r) }),
    status: 200,
    filed: 'completed'
  },
  {
    name: 'SHA256=<HEX> in capitals, opted in',
    body: completed,
    bodyOnly: true,
    sign: r => ({ 'X-Webhook-Signature': bodyOnlySignature(SECRET, r).toUpperCase() }),
    status: 200
  },
  {
    name: 'bare hex, opted in',
    body: completed,
    bodyOnly: true,
    sign: r => ({ 'X-Webhook-Signature': bodyHex(r) }),
    status: 200
  },
  {
    name: 'sha256=<hex> with another secret, opted in',
    body: completed,
    bodyOnly: true,
    sign: r => ({ 'X-Webhook-Signature': bodyOnlySignature('whsec_x', r) }),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 'sha256= cut short, opted in',
    body: completed,
    bodyOnly: true,
    sign: r => ({ 'X-Webhook-Signature': bodyOnlySignature(SECRET, r).slice(0, 40) }),
    status: 401,
    error: 'signature does not match'
  },
  {
    name: 'sha256= over "t.<body>", opted in',
    body: completed,
    bodyOnly: true,
    sign: (r, t) => ({ 'X-Webhook-Signature': `sha256=${mac(r, t)}` }),
    status: 401,
    error: 'signature does not match'
  },
  { name: 'the strict form, opted in', body: completed, bodyOnly: true, status: 200 }
]

const BODY_CASES: Case[] = [
  { name: 'empty body', body: '', status: 400, error: 'body is empty (expected a JSON result body)' },
  { name: 'whitespace body', body: ' \n\t ', status: 400, error: 'body is empty (expected a JSON result body)' },
  { name: 'null', body: 'null', status: 400, error: 'not a result body: body: expected a mapping, got null' },
  { name: 'an array', body: '[]', status: 400, error: 'not a result body: body: expected a mapping, got a list' },
  { name: 'a string', body: '"job"', status: 400, error: 'not a result body: body: expected a mapping, got a string' },
  {
    name: 'a number',
    body: '42',
    status: 400,
    error: 'not a result body: body: expected a mapping, got a whole number'
  },
  { name: 'true', body: 'true', status: 400, error: 'not a result body: body: expected a mapping, got true or false' },
  { name: 'plain text', body: 'ok', status: 400, error: 'body is not JSON: unexpected "ok" at line 1, column 1' },
  {
    name: 'form encoding',
    body: 'job_id=job_1&status=completed',
    status: 400,
    error: /^body is not JSON: unexpected .* at line 1, column 1$/
  },
  {
    name: 'truncated JSON',
    body: completed.slice(0, -5),
    status: 400,
    error: /^body is not JSON: .* at line 1, column \d+$/
  },
  {
    name: 'a trailing comma',
    body: completed.replace(/}$/, ',}'),
    status: 400,
    error: /^body is not JSON: expected a property name/
  },
  {
    name: 'a comment',
    body: `// result\n${completed}`,
    status: 400,
    error: 'body is not JSON: comments are not allowed in JSON at line 1, column 1'
  },
  { name: 'single quotes', body: "{'job_id':'x'}", status: 400, error: /^body is not JSON: / },
  {
    name: 'NaN',
    body: `{"job_id":"${JOB}","status":"completed","overall_score":NaN}`,
    status: 400,
    error: /^body is not JSON: /
  },
  {
    name: 'two objects back to back',
    body: `${completed}${completed}`,
    status: 400,
    error: /^body is not JSON: unexpected content after the end of the document/
  },
  {
    name: 'Latin-1 text',
    body: bytes(`{"job_id":"${JOB}","status":"failed","error":"caf`, [0xe9], '"}'),
    status: 400,
    error: /^body is not valid UTF-8 \(first bad byte at offset \d+\)$/
  },
  {
    name: 'an encoded lone surrogate',
    body: bytes(`{"job_id":"${JOB}","status":"failed","error":"`, [0xed, 0xa0, 0x80], '"}'),
    status: 400,
    error: /^body is not valid UTF-8/
  },
  {
    name: 'an overlong encoding of "/"',
    body: bytes(`{"job_id":"${JOB}","status":"failed","error":"`, [0xc0, 0xaf], '"}'),
    status: 400,
    error: /^body is not valid UTF-8/
  },
  {
    name: 'a sequence cut off at the end',
    body: bytes(completed, [0xe2, 0x82]),
    status: 400,
    error: /^body is not valid UTF-8 \(first bad byte at offset \d+\)$/
  },
  {
    name: 'UTF-16LE without a BOM',
    body: Buffer.from(completed, 'utf16le'),
    status: 400,
    error: 'body is not JSON: it contains NUL bytes (UTF-16? the body must be UTF-8 JSON)'
  },
  {
    name: 'UTF-16LE with a BOM',
    body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(completed, 'utf16le')]),
    status: 400,
    error: 'body is not valid UTF-8 (first bad byte at offset 0)'
  },
  {
    name: 'a raw NUL byte inside a string',
    body: `{"job_id":"${JOB}","status":"failed","error":"a\u0000b"}`,
    status: 400,
    error: 'body is not JSON: it contains NUL bytes (UTF-16? the body must be UTF-8 JSON)'
  },
  {
    name: 'a raw line break inside a string',
    body: `{"job_id":"${JOB}","status":"failed","error":"a\nb"}`,
    status: 400,
    error: /^body is not JSON: unterminated string at line 1, column \d+$/
  },
  { name: 'a UTF-8 BOM', body: `\ufeff${completed}`, status: 200, filed: 'completed' },
  {
    name: 'an escaped NUL and ANSI escape',
    body: result({ status: 'failed', error: 'a\u0000b\u001b[2J' }),
    status: 200,
    filed: 'failed'
  },
  { name: 'emoji and CJK', body: result({ status: 'failed', error: '失败 😀 ✓' }), status: 200, filed: 'failed' },
  {
    name: `arrays nested ${MAX_JSON_DEPTH} deep in all`,
    body: nested('[', ']', MAX_JSON_DEPTH - 1),
    status: 200,
    filed: 'pending'
  },
  {
    name: `arrays nested ${MAX_JSON_DEPTH + 1} deep`,
    body: nested('[', ']', MAX_JSON_DEPTH),
    status: 400,
    error: `body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`
  },
  {
    name: `objects nested ${MAX_JSON_DEPTH + 1} deep`,
    body: nested('{"a":', '}', MAX_JSON_DEPTH),
    status: 400,
    error: `body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`
  },
  {
    name: 'arrays nested 20 000 deep',
    body: nested('[', ']', 20_000),
    status: 400,
    error: `body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`
  },
  {
    name: 'brackets inside strings',
    body: result({ status: 'pending', note: '[{'.repeat(2000), q: '\\"[' }),
    status: 200,
    filed: 'pending'
  },
  {
    name: 'no job_id',
    body: '{"status":"completed","overall_score":0.5}',
    status: 400,
    error: 'not a result body: job_id: is required'
  },
  {
    name: 'an empty job_id',
    body: '{"job_id":"","status":"pending"}',
    status: 400,
    error: /^not a result body: job_id: /
  },
  {
    name: 'a numeric job_id',
    body: '{"job_id":17,"status":"pending"}',
    status: 400,
    error: 'not a result body: job_id: expected a string, got a whole number'
  },
  {
    name: 'a null job_id',
    body: '{"job_id":null,"status":"pending"}',
    status: 400,
    error: /^not a result body: job_id: /
  },
  {
    name: 'a numeric status',
    body: result({ status: 3 }),
    status: 400,
    error: 'not a result body: status: expected a string, got a whole number'
  },
  {
    name: 'neither status nor event',
    body: result({ overall_score: 0.5 }),
    status: 400,
    error: 'not a result body: body: has neither status nor event'
  },
  {
    name: 'event without status',
    body: result({ event: 'evaluation.completed', overall_score: 0.5 }),
    status: 200,
    filed: 'completed'
  },
  { name: 'an undocumented status', body: result({ status: 'queued' }), status: 200, filed: 'unrecognised' },
  {
    name: 'a status in capitals',
    body: result({ status: 'COMPLETED', overall_score: 0.5 }),
    status: 200,
    filed: 'unrecognised'
  },
  { name: 'a status with escapes', body: result({ status: '\u001b[31mdone' }), status: 200, filed: 'unrecognised' },
  {
    name: 'an undocumented event',
    body: result({ event: 'evaluation.progress', status: 'processing' }),
    status: 200,
    filed: 'unrecognised'
  },
  {
    name: 'event and status disagree (status decides)',
    body: result({ event: 'evaluation.failed', status: 'completed', overall_score: 0.5 }),
    status: 200,
    filed: 'completed'
  },
  {
    name: 'a score outside 0–1',
    body: result({ status: 'completed', overall_score: 7 }),
    status: 200,
    filed: 'completed'
  },
  {
    name: 'a score of 1e999',
    body: `{"job_id":"${JOB}","status":"completed","overall_score":1e999}`,
    status: 200,
    filed: 'completed'
  },
  {
    name: 'duplicate keys (the last wins, as JSON.parse reads it)',
    body: `{"job_id":"${JOB}","status":"pending","status":"failed"}`,
    status: 200,
    filed: 'failed'
  },
  {
    name: 'a __proto__ key',
    body: result({ status: 'pending', __proto__: { admin: true } }),
    status: 200,
    filed: 'pending'
  },
  { name: 'a numeric timestamp', body: result({ status: 'pending', timestamp: 17 }), status: 200, filed: 'pending' },
  { name: 'a 4 KiB job id', body: `{"job_id":"${JOB}${'x'.repeat(4096)}","status":"pending"}`, status: 200 },
  {
    name: 'Content-Encoding: gzip',
    body: completed,
    headers: { 'Content-Encoding': 'gzip' },
    status: 400,
    error: 'compressed bodies are not accepted (Content-Encoding must be identity)'
  },
  { name: 'Content-Encoding: identity', body: completed, headers: { 'Content-Encoding': 'identity' }, status: 200 },
  { name: 'Content-Type: text/plain', body: completed, headers: { 'Content-Type': 'text/plain' }, status: 200 },
  {
    name: 'a body over the limit',
    body: result({ status: 'pending', pad: 'x'.repeat(LIMIT) }),
    status: 413,
    error: `body larger than ${LIMIT} bytes`
  }
]

/** Sends exact bytes with exact headers through node:http (fetch would normalize some of them). */
function send(url: string, body: Buffer, headers: Headers): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/v1/webhooks/pique', url), {
      method: 'POST',
      headers: { 'content-length': body.length, ...headers }
    })
    req.on('response', res => {
      const parts: Buffer[] = []
      res.on('data', (c: Buffer) => parts.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('malformed-delivery corpus', () => {
  const strict = sqliteBackend()
  const lenient = sqliteBackend()
  const logs: string[] = []
  let store: RunningStore
  let bodyOnlyStore: RunningStore
  const accepted: { store: RunningStore; id: string; filed?: string }[] = []

  beforeAll(async () => {
    await strict.setup()
    await lenient.setup()
    const common = { bodyLimitBytes: LIMIT, logLevel: 'debug' as const, logSink: (l: string) => void logs.push(l) }
    store = await startStore({ ...strict.options(), ...common })
    bodyOnlyStore = await startStore({ ...lenient.options(), ...common, acceptBodyOnlySignatures: true })
  })
  afterAll(async () => {
    await store?.close()
    await bodyOnlyStore?.close()
    await strict.teardown()
    await lenient.teardown()
  })

  const cases = [...SIGNATURE_CASES, ...BODY_CASES]

  it('has a case for every class of bad delivery', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100)
    expect(new Set(cases.map(c => c.name)).size).toBe(cases.length)
  })

  it.each(cases.map(c => [c.name, c] as const))('%s', async (_name, c) => {
    const id = jobId()
    const raw =
      typeof c.body === 'string'
        ? Buffer.from(c.body.replaceAll(JOB, id))
        : Buffer.from(c.body.toString('latin1').replaceAll(JOB, id), 'latin1')
    const target = c.bodyOnly ? bodyOnlyStore : store
    const signed = c.sign ? c.sign(raw, nowSeconds()) : pique(raw, nowSeconds())
    const answer = await send(target.url, raw, { ...signed, ...c.headers })
    expect(answer.text).not.toContain('\n')
    const json = JSON.parse(answer.text) as Record<string, unknown>
    expect(answer.status).toBe(c.status)
    if (c.status === 200) {
      expect(json).toMatchObject({ ok: true, outcome: 'applied' })
      accepted.push({ store: target, id: String(json.job_id), filed: c.filed })
    } else if (typeof c.error === 'string') expect(json).toEqual({ error: c.error })
    else expect(json).toEqual({ error: expect.stringMatching(c.error ?? /./) })
  })

  it('serves every accepted delivery back, filed as expected', async () => {
    expect(accepted.length).toBeGreaterThan(20)
    for (const a of accepted) {
      const job = await read(a.store.url, `/v1/jobs/${encodeURIComponent(a.id)}`)
      expect(job.status).toBe(200)
      if (a.filed) expect(job.json.status).toBe(a.filed)
      expect(job.json.result).toEqual(expect.objectContaining({ job_id: a.id }))
    }
    const query = await read(store.url, '/v1/jobs/query', {
      body: { job_ids: accepted.filter(a => a.store === store).map(a => a.id) }
    })
    expect(query.status).toBe(200)
  })

  it('stays ready, and never logs a secret or a body', async () => {
    expect((await fetch(`${store.url}/readyz`)).status).toBe(200)
    expect((await fetch(`${bodyOnlyStore.url}/readyz`)).status).toBe(200)
    expect(logs.length).toBeGreaterThan(cases.length)
    for (const line of logs) {
      expect(() => JSON.parse(line)).not.toThrow()
      expect(line).not.toContain(SECRET)
      expect(line).not.toContain('overall_score')
    }
  })
})

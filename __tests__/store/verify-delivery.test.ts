// `pique-gate verify-delivery`: one captured delivery judged as the store would, with the reasons an operator needs.
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals'
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli/program.js'
import { signatureHeader } from '../../src/pique/signature.js'
import { SECRET, OLD_SECRET, nowSeconds } from './helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'pique-verify-delivery-'))
const saved = { ...process.env }
afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = undefined
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const BODY =
  '{"event":"evaluation.completed","job_id":"job_aB3cD4eF5gH6iJ7k","status":"completed","overall_score":0.85}'
const bodyOnly = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex')

let n = 0
/** Writes the capture and runs the command with the secrets in the environment; returns exit code and output. */
async function check(
  headers: string,
  body: string | Buffer = BODY,
  args: string[] = [],
  secrets: string | null = `${OLD_SECRET},${SECRET}`
) {
  n++
  const h = join(dir, `headers-${n}.txt`)
  const b = join(dir, `body-${n}.json`)
  writeFileSync(h, headers)
  writeFileSync(b, body)
  if (secrets !== null) process.env.PIQUE_STORE_WEBHOOK_SECRETS = secrets
  else delete process.env.PIQUE_STORE_WEBHOOK_SECRETS
  const out: string[] = []
  const err: string[] = []
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')))
  const code = await main(['node', 'pique-gate', 'verify-delivery', '--headers', h, '--body', b, ...args])
  for (const line of [...out, ...err]) {
    expect(line).not.toContain(SECRET)
    expect(line).not.toContain(OLD_SECRET)
  }
  return { code, out, err }
}

describe('pique-gate verify-delivery', () => {
  it('verifies a delivery captured as raw header lines and names the header, format, secret and skew', async () => {
    const t = nowSeconds() - 12
    const headers =
      'POST /v1/webhooks/pique HTTP/1.1\r\nHost: store.example.com\r\nContent-Type: application/json\r\n' +
      `X-Pique-Signature: ${signatureHeader(SECRET, t, BODY)}\r\n\r\n`
    const { code, out } = await check(headers)
    expect(code).toBe(0)
    expect(out[0]).toBe('accepted: the store would answer 200 and file it as completed')
    expect(out[1]).toMatch(
      /^signature: X-Pique-Signature, t=…,v1=… \(timestamped\): verified with secret #2 of 2; signed 1[2-4] s before now \(tolerance 300 s\)$/
    )
    expect(out[2]).toBe(
      `body: ${BODY.length} bytes, UTF-8 JSON, job job_aB3cD4eF5gH6iJ7k, status completed (documented)`
    )
  })

  it('reads a JSON headers file with both names and says which one verified', async () => {
    const t = nowSeconds()
    const headers = JSON.stringify({
      'X-Pique-Signature': signatureHeader('whsec_elsewhere', t, BODY),
      'x-webhook-signature': signatureHeader(SECRET, t, BODY)
    })
    const { code, out } = await check(headers)
    expect(code).toBe(0)
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^signature: X-Pique-Signature, .*: signature does not match: no configured secret/),
        expect.stringMatching(/^signature: X-Webhook-Signature, .*: verified with secret #2 of 2/)
      ])
    )
  })

  it('tells a late check from a wrong secret, and judges as of --at', async () => {
    const t = nowSeconds() - 3600
    const headers = `X-Pique-Signature: ${signatureHeader(SECRET, t, BODY)}\n`
    const late = await check(headers)
    expect(late.code).toBe(1)
    expect(late.out[0]).toBe('rejected: the store would answer 401: signature timestamp too old')
    expect(late.out[1]).toContain('the HMAC matches secret #2 of 2, only the timestamp is out of tolerance')
    const asOf = await check(headers, BODY, ['--at', String(t + 5)])
    expect(asOf.code).toBe(0)
    expect(asOf.out[1]).toContain('signed 5 s before --at')
    const wrong = await check(`X-Pique-Signature: ${signatureHeader('whsec_x', t, BODY)}\n`)
    expect(wrong.out[1]).toContain('the HMAC matches no secret either')
  })

  it('accepts a body-only signature only with --accept-body-only-signatures, and says so', async () => {
    const headers = `X-Webhook-Signature: sha256=${bodyOnly(OLD_SECRET, BODY)}\n`
    const off = await check(headers)
    expect(off.code).toBe(1)
    expect(off.out[1]).toBe(
      'signature: X-Webhook-Signature, sha256=<hex> (body only): body-only signature (no timestamp) not accepted: allowed only with --accept-body-only-signatures (replayable)'
    )
    const on = await check(headers, BODY, ['--accept-body-only-signatures'])
    expect(on.code).toBe(0)
    expect(on.out[1]).toBe('signature: X-Webhook-Signature, sha256=<hex> (body only): verified with secret #1 of 2')
    const bare = await check(`X-Webhook-Signature: ${bodyOnly(SECRET, BODY)}\n`, BODY, [
      '--accept-body-only-signatures'
    ])
    expect(bare.out[1]).toBe('signature: X-Webhook-Signature, bare hex (body only): verified with secret #2 of 2')
  })

  it('says when a body is kept but unrecognised, and when it would be refused', async () => {
    const queued = '{"event":"evaluation.pending","job_id":"job_q","status":"queued"}'
    const kept = await check(`X-Pique-Signature: ${signatureHeader(SECRET, nowSeconds(), queued)}\n`, queued)
    expect(kept.code).toBe(0)
    expect(kept.out[0]).toBe('accepted: the store would answer 200 and keep it marked unrecognised (not final)')
    expect(kept.out.at(-1)).toBe(
      `body: ${queued.length} bytes, UTF-8 JSON, job job_q: status "queued" is not a documented job status; kept as received, marked unrecognised (not final)`
    )
    const latin1 = Buffer.from('{"job_id":"job_l","status":"failed","error":"caf\xe9"}', 'latin1')
    const refused = await check(`X-Pique-Signature: ${signatureHeader(SECRET, nowSeconds(), latin1)}\n`, latin1)
    expect(refused.code).toBe(1)
    expect(refused.out[0]).toBe(
      `rejected: the store would answer 400: body is not valid UTF-8 (first bad byte at offset ${latin1.indexOf(0xe9)})`
    )
  })

  it('shows text from the body escaped, never raw control characters', async () => {
    const hostile = JSON.stringify({ job_id: 'job_\u001b[2J\u009b', status: 'done\u001b]0;x\u0007\u202e' })
    const { code, out } = await check(`X-Pique-Signature: ${signatureHeader(SECRET, nowSeconds(), hostile)}\n`, hostile)
    expect(code).toBe(0)
    expect(out.at(-1)).toBe(
      `body: ${Buffer.byteLength(hostile)} bytes, UTF-8 JSON, job job_\\u001b[2J\\u009b: status "done\\u001b]0;x\\u0007\\u202e" is not a documented job status; kept as received, marked unrecognised (not final)`
    )
    // eslint-disable-next-line no-control-regex
    for (const line of out) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/)
  })

  it('points at a final newline the capture added', async () => {
    const headers = `X-Pique-Signature: ${signatureHeader(SECRET, nowSeconds(), BODY)}\n`
    const { code, out } = await check(headers, `${BODY}\n`)
    expect(code).toBe(1)
    expect(out).toContain(
      'hint: it verifies without the final newline of the body file: save the body exactly as received'
    )
  })

  it('takes the secrets from --secrets-file instead of the environment', async () => {
    const file = join(dir, 'secrets')
    writeFileSync(file, `whsec_other\n${SECRET}\n`)
    const headers = `X-Pique-Signature: ${signatureHeader(SECRET, nowSeconds(), BODY)}\n`
    const { code, out } = await check(headers, BODY, ['--secrets-file', file], null)
    expect(code).toBe(0)
    expect(out[1]).toContain('verified with secret #2 of 2')
  })

  it('names usage problems in one line, exit 2', async () => {
    const headers = `X-Pique-Signature: ${signatureHeader(SECRET, nowSeconds(), BODY)}\n`
    const none = await check(headers, BODY, [], null)
    expect(none.err).toEqual([
      'pique-gate verify-delivery: no webhook secret: set PIQUE_STORE_WEBHOOK_SECRETS (or PIQUE_STORE_WEBHOOK_SECRETS_FILE), or pass --secrets-file'
    ])
    const bad = await check('X-Pique-Signature t=1\n')
    expect(bad.code).toBe(2)
    expect(bad.err[0]).toMatch(
      /^pique-gate verify-delivery: .*headers-\d+\.txt:1: expected a header line "Name: value"$/
    )
    const notFile = await check(headers, BODY, ['--headers', dir])
    expect(notFile.err[0]).toMatch(/--headers: .* is not a regular file$/)
    const at = await check(headers, BODY, ['--at', 'yesterday'])
    expect(at).toMatchObject({
      code: 2,
      err: ['pique-gate verify-delivery: --at: expected unix seconds, got "yesterday"']
    })
  })
})

import { describe, expect, it } from '@jest/globals'
import { createHmac } from 'node:crypto'
import { parseSignatureHeader, signatureHeader, verifySignature } from '../../src/pique/signature.js'

// An independent HMAC, written here, so the module is checked against the documented scheme, not itself.
const independent = (secret: string, t: number, body: string) =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')

describe('webhook signatures', () => {
  const body = '{"job_id":"job_aB3cD4eF5gH6iJ7k","status":"completed","overall_score":0.85}'
  const now = 1_732_654_321

  it('signs t.<raw body> with HMAC-SHA256 in the documented header form', () => {
    expect(signatureHeader('whsec', now, body)).toBe(`t=${now},v1=${independent('whsec', now, body)},alg=sha256`)
  })

  it('verifies a good signature and rejects a tampered body, a wrong secret and a stale or future t', () => {
    const header = signatureHeader('whsec', now, body)
    const raw = Buffer.from(body)
    expect(verifySignature({ header, rawBody: raw, secrets: ['whsec'], nowSeconds: now })).toEqual({ ok: true, t: now })
    expect(
      verifySignature({
        header,
        rawBody: Buffer.from(body.replace('0.85', '0.95')),
        secrets: ['whsec'],
        nowSeconds: now
      })
    ).toMatchObject({ ok: false, reason: 'signature does not match' })
    expect(verifySignature({ header, rawBody: raw, secrets: ['other'], nowSeconds: now })).toMatchObject({ ok: false })
    expect(verifySignature({ header, rawBody: raw, secrets: ['whsec'], nowSeconds: now + 301 })).toMatchObject({
      ok: false,
      reason: 'signature timestamp too old'
    })
    expect(verifySignature({ header, rawBody: raw, secrets: ['whsec'], nowSeconds: now - 301 })).toMatchObject({
      ok: false,
      reason: 'signature timestamp in the future'
    })
  })

  it('accepts any of several v1 values and any configured secret (rotation)', () => {
    const header = `t=${now},v1=${'0'.repeat(64)},v1=${independent('new', now, body)},alg=sha256,extra=1`
    expect(verifySignature({ header, rawBody: Buffer.from(body), secrets: ['old', 'new'], nowSeconds: now }).ok).toBe(
      true
    )
  })

  it('rejects unparsable headers with a reason', () => {
    expect(parseSignatureHeader('v1=abc')).toEqual({ error: 'signature header has no t=' })
    expect(parseSignatureHeader('t=abc,v1=00')).toEqual({ error: 'signature timestamp does not parse' })
    expect(parseSignatureHeader(`t=${now}`)).toEqual({ error: 'signature header has no v1=' })
    expect(verifySignature({ header: undefined, rawBody: Buffer.from(''), secrets: ['s'] })).toEqual({
      ok: false,
      reason: 'missing signature header'
    })
  })
})

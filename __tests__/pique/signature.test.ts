import { describe, expect, it } from '@jest/globals'
import { createHmac } from 'node:crypto'
import {
  bodyOnlySignature,
  parseSignatureHeader,
  signatureFormat,
  signatureHeader,
  verifyDelivery,
  verifySignature
} from '../../src/pique/signature.js'

// An independent HMAC, written here, so the module is checked against the documented scheme, not itself.
const independent = (secret: string, t: number, body: string) =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')
const bodyOnly = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex')

describe('webhook signatures', () => {
  const body = '{"job_id":"job_aB3cD4eF5gH6iJ7k","status":"completed","overall_score":0.85}'
  const raw = Buffer.from(body)
  const now = 1_732_654_321
  const verify = (headers: Record<string, string | string[]>, more: { secrets?: string[]; at?: number } = {}) =>
    verifyDelivery({ headers, rawBody: raw, secrets: more.secrets ?? ['whsec'], nowSeconds: more.at ?? now })

  it('signs t.<raw body> with HMAC-SHA256 in the documented header form', () => {
    expect(signatureHeader('whsec', now, body)).toBe(`t=${now},v1=${independent('whsec', now, body)},alg=sha256`)
    expect(bodyOnlySignature('whsec', body)).toBe(`sha256=${bodyOnly('whsec', body)}`)
  })

  it('verifies a good signature and says which header, format, secret and skew', () => {
    const header = signatureHeader('whsec', now - 12, body)
    expect(verify({ 'x-pique-signature': header })).toEqual({
      ok: true,
      check: {
        header: 'X-Pique-Signature',
        format: 't_v1',
        ok: true,
        reason: 'verified',
        t: now - 12,
        skewSeconds: 12,
        secretIndex: 0
      },
      checks: [expect.objectContaining({ ok: true })]
    })
  })

  it('rejects a tampered body, a wrong secret and a stale or future t', () => {
    const header = { 'x-pique-signature': signatureHeader('whsec', now, body) }
    const tampered = verifyDelivery({
      headers: header,
      rawBody: Buffer.from(body.replace('0.85', '0.95')),
      secrets: ['whsec'],
      nowSeconds: now
    })
    expect(tampered).toMatchObject({ ok: false, failure: 'no_match', reason: 'signature does not match' })
    expect(verify(header, { secrets: ['other'] })).toMatchObject({ ok: false, failure: 'no_match' })
    expect(verify(header, { at: now + 301 })).toMatchObject({
      ok: false,
      failure: 'stale',
      reason: 'signature timestamp too old',
      checks: [expect.objectContaining({ skewSeconds: 301 })]
    })
    expect(verify(header, { at: now - 301 })).toMatchObject({
      ok: false,
      failure: 'future',
      reason: 'signature timestamp in the future'
    })
  })

  it('accepts any of several v1 values and any configured secret (rotation), naming the secret that matched', () => {
    const header = `t=${now},v1=${'0'.repeat(64)},v1=${independent('new', now, body)},alg=sha256,extra=1`
    expect(verify({ 'x-pique-signature': header }, { secrets: ['old', 'new'] })).toMatchObject({
      ok: true,
      check: { secretIndex: 1 }
    })
  })

  it('rejects unparsable headers with a reason', () => {
    expect(parseSignatureHeader('v1=abc')).toEqual({ error: 'signature header has no t=' })
    expect(parseSignatureHeader('t=abc,v1=00')).toEqual({ error: 'signature timestamp does not parse' })
    expect(parseSignatureHeader(`t=${now}`)).toEqual({ error: 'signature header has no v1=' })
    expect(parseSignatureHeader(`t=${now},t=${now + 1},v1=00`)).toEqual({
      error: 'signature header has several different t= values'
    })
    expect(parseSignatureHeader(`t=${now},v1=00,alg=md5`)).toEqual({ error: 'unsupported alg md5' })
    expect(verifyDelivery({ headers: {}, rawBody: raw, secrets: ['s'] })).toEqual({
      ok: false,
      failure: 'missing',
      reason: 'missing signature header',
      checks: []
    })
  })

  it('checks one header value alone with verifySignature', () => {
    const header = signatureHeader('whsec', now, body)
    expect(verifySignature({ header, rawBody: raw, secrets: ['whsec'], nowSeconds: now })).toEqual({ ok: true, t: now })
    expect(verifySignature({ header, rawBody: raw, secrets: ['x'], nowSeconds: now })).toEqual({
      ok: false,
      reason: 'signature does not match'
    })
    expect(verifySignature({ header: undefined, rawBody: raw, secrets: ['whsec'] })).toEqual({
      ok: false,
      reason: 'missing signature header'
    })
  })

  it('tells the formats apart', () => {
    expect(signatureFormat(`t=${now},v1=ab`)).toBe('t_v1')
    expect(signatureFormat(`sha256=${'a'.repeat(64)}`)).toBe('sha256')
    expect(signatureFormat('A'.repeat(64))).toBe('hex')
    expect(signatureFormat('Bearer xyz')).toBe('unknown')
  })
})

// Each tolerance below is built from the exact delivery it tolerates.
describe('signature tolerances', () => {
  const body = '{"event":"evaluation.completed","job_id":"job_x","status":"completed","overall_score":0.5}'
  const raw = Buffer.from(body)
  const now = 1_800_000_000

  it('accepts a delivery carrying both header names when either verifies, whichever one it is', () => {
    const good = signatureHeader('whsec', now, body)
    const bad = signatureHeader('whsec_other', now, body)
    for (const headers of [
      { 'x-pique-signature': good, 'x-webhook-signature': bad },
      { 'x-pique-signature': bad, 'x-webhook-signature': good },
      { 'x-pique-signature': 'garbage', 'x-webhook-signature': good }
    ]) {
      expect(verifyDelivery({ headers, rawBody: raw, secrets: ['whsec'], nowSeconds: now }).ok).toBe(true)
    }
    const neither = verifyDelivery({
      headers: { 'x-pique-signature': bad, 'x-webhook-signature': signatureHeader('whsec', now - 900, body) },
      rawBody: raw,
      secrets: ['whsec'],
      nowSeconds: now
    })
    expect(neither).toMatchObject({
      ok: false,
      failure: 'no_match',
      reason: 'X-Pique-Signature: signature does not match; X-Webhook-Signature: signature timestamp too old'
    })
  })

  it('checks each occurrence of a repeated header', () => {
    const headers = { 'x-webhook-signature': ['nonsense', signatureHeader('whsec', now, body)] }
    expect(verifyDelivery({ headers, rawBody: raw, secrets: ['whsec'], nowSeconds: now })).toMatchObject({
      ok: true,
      check: { header: 'X-Webhook-Signature' },
      checks: [{ ok: false, failure: 'unparsable' }, { ok: true }]
    })
  })

  it('accepts X-Webhook-Signature: sha256=<hex> and bare hex only when opted in', () => {
    for (const value of [
      `sha256=${bodyOnly('whsec', body)}`,
      bodyOnly('whsec', body),
      bodyOnly('whsec', body).toUpperCase()
    ]) {
      const headers = { 'x-webhook-signature': value }
      expect(verifyDelivery({ headers, rawBody: raw, secrets: ['whsec'] })).toMatchObject({
        ok: false,
        failure: 'not_enabled',
        reason: 'body-only signature (no timestamp) not accepted'
      })
      expect(verifyDelivery({ headers, rawBody: raw, secrets: ['old', 'whsec'], acceptBodyOnly: true })).toMatchObject({
        ok: true,
        check: { header: 'X-Webhook-Signature', format: expect.stringMatching(/^(sha256|hex)$/), secretIndex: 1 }
      })
      expect(
        verifyDelivery({ headers, rawBody: Buffer.from(body + ' '), secrets: ['whsec'], acceptBodyOnly: true })
      ).toMatchObject({ ok: false, failure: 'no_match' })
    }
  })

  it('reads body-only signatures only from X-Webhook-Signature, even when opted in', () => {
    const headers = { 'x-pique-signature': `sha256=${bodyOnly('whsec', body)}` }
    expect(verifyDelivery({ headers, rawBody: raw, secrets: ['whsec'], acceptBodyOnly: true })).toMatchObject({
      ok: false,
      failure: 'unparsable',
      reason: 'body-only signatures are read only from X-Webhook-Signature'
    })
  })

  it('never puts the secret or the body in a reason', () => {
    const verdict = verifyDelivery({
      headers: { 'x-pique-signature': 'whsec_topsecret', 'x-webhook-signature': `t=${now},v1=${body}` },
      rawBody: raw,
      secrets: ['whsec_topsecret'],
      nowSeconds: now
    })
    expect(JSON.stringify(verdict)).not.toContain('topsecret')
    expect(JSON.stringify(verdict)).not.toContain('overall_score')
  })
})

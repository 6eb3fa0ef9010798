import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileIdentity, identityKey, urlIdentity } from '../../src/reuse/identity.js'
import { judgeFingerprint } from '../../src/gate/judge-fingerprint.js'
import { TRACKING_PARAMETERS, isTrackingParameter, normalizeUrl } from '../../src/model/url-identity.js'

describe('normalizeUrl', () => {
  it.each([
    ['scheme and host case', 'HTTPS://WWW.TikTok.COM/@brand/video/7312', 'https://www.tiktok.com/@brand/video/7312'],
    ['default https port', 'https://www.youtube.com:443/watch?v=AbC', 'https://www.youtube.com/watch?v=AbC'],
    ['default http port', 'http://example.com:80/clip', 'http://example.com/clip'],
    ['a non-default port is kept', 'https://example.com:8443/clip', 'https://example.com:8443/clip'],
    ['trailing slash', 'https://www.instagram.com/reel/Cx1/', 'https://www.instagram.com/reel/Cx1'],
    ['root slash', 'https://example.com/', 'https://example.com'],
    ['fragment', 'https://example.com/clip#t=30', 'https://example.com/clip'],
    ['utm_* anywhere', 'https://example.com/c?utm_source=x&utm_MEDIUM=y&id=4', 'https://example.com/c?id=4'],
    ['si on YouTube', 'https://youtu.be/AbC?si=q1w2e3', 'https://youtu.be/AbC'],
    ['feature on YouTube', 'https://www.youtube.com/watch?feature=share&v=AbC', 'https://www.youtube.com/watch?v=AbC'],
    ['igsh on Instagram', 'https://www.instagram.com/reel/Cx1/?igsh=MWQ1', 'https://www.instagram.com/reel/Cx1'],
    [
      'TikTok share parameters',
      'https://www.tiktok.com/@b/video/1?is_from_webapp=1&sender_device=pc&_r=1&_t=8k',
      'https://www.tiktok.com/@b/video/1'
    ],
    ['t on X is tracking', 'https://x.com/brand/status/9?s=20&t=abc', 'https://x.com/brand/status/9'],
    [
      't on YouTube is a start time, kept',
      'https://www.youtube.com/watch?v=AbC&t=42',
      'https://www.youtube.com/watch?t=42&v=AbC'
    ],
    ['feature elsewhere is kept', 'https://example.com/c?feature=hd', 'https://example.com/c?feature=hd'],
    ['parameter order', 'https://example.com/c?b=2&a=1', 'https://example.com/c?a=1&b=2'],
    ['path case is kept', 'https://www.youtube.com/shorts/AbCdE', 'https://www.youtube.com/shorts/AbCdE'],
    ['not a URL', '  not a url  ', 'not a url']
  ])('%s', (_what, given, expected) => {
    expect(normalizeUrl(given)).toBe(expected)
  })

  it('gives one identity to URLs that differ only by tracking parameters, case and slashes', () => {
    const forms = [
      'https://www.youtube.com/watch?v=AbC',
      'https://WWW.YouTube.com/watch?v=AbC&si=xyz&feature=share',
      'https://www.youtube.com:443/watch/?utm_source=newsletter&v=AbC'
    ]
    expect(new Set(forms.map(u => identityKey(urlIdentity(u)))).size).toBe(1)
  })

  it('keeps URLs of different content apart', () => {
    expect(identityKey(urlIdentity('https://www.youtube.com/watch?v=AbC'))).not.toBe(
      identityKey(urlIdentity('https://www.youtube.com/watch?v=abc'))
    )
  })

  it('documents every table row with a reason', () => {
    for (const row of TRACKING_PARAMETERS) expect(row.why.length).toBeGreaterThan(3)
    expect(isTrackingParameter('UTM_Campaign', 'example.com')).toBe(true)
    expect(isTrackingParameter('igsh', 'www.instagram.com')).toBe(true)
    expect(isTrackingParameter('igsh', 'example.com')).toBe(false)
  })
})

describe('file identity', () => {
  it('keys files by content digest, lower-case', () => {
    const hex = 'AB'.repeat(32)
    expect(identityKey(fileIdentity(hex))).toBe(`sha256:${'ab'.repeat(32)}`)
    expect(() => fileIdentity('abc')).toThrow('not a SHA-256')
  })
})

describe('judgeFingerprint', () => {
  const judge = {
    id: 'judge_1',
    name: 'Brand',
    description: 'Brand checks',
    content_type: 'video',
    detectors: [
      { detector_name: 'video_specs', config: { min_width: 720, aspect_ratio: '9:16' } },
      { detector_name: 'brand_safety', config: {} }
    ]
  }

  it('is stable under detector order and config key order', () => {
    const reordered = {
      ...judge,
      detectors: [
        { detector_name: 'brand_safety' },
        { detector_name: 'video_specs', config: { aspect_ratio: '9:16', min_width: 720 } }
      ]
    }
    expect(judgeFingerprint(reordered)).toBe(judgeFingerprint(judge))
    expect(judgeFingerprint(judge)).toMatch(/^judge_1@sha256:[0-9a-f]{64}$/)
  })

  it('changes with the judge id or any part of its content', () => {
    const base = judgeFingerprint(judge)
    expect(judgeFingerprint({ ...judge, id: 'judge_2' })).not.toBe(base)
    expect(judgeFingerprint({ ...judge, description: 'other' })).not.toBe(base)
    expect(
      judgeFingerprint({ ...judge, detectors: [{ detector_name: 'video_specs', config: { min_width: 1080 } }] })
    ).not.toBe(base)
  })
})

describe('docs/reuse.md', () => {
  it('lists exactly the tracking parameters of the table in the code', () => {
    const doc = readFileSync('docs/reuse.md', 'utf8')
    const listed = [...doc.matchAll(/^\| `([^`]+)` \|/gm)].map(m => m[1])
    expect(listed).toEqual(TRACKING_PARAMETERS.map(p => p.name))
  })
})

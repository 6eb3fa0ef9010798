import { describe, expect, it } from '@jest/globals'
import { TransientErrors, parseTransientPattern } from '../../src/pique/transient-errors.js'

describe('the transient evaluation errors list', () => {
  const list = new TransientErrors()
  it.each([
    ['Failed to download video: bot detection', 'bot detection'],
    ['Failed to download video: Sign in to confirm you’re not a bot', 'bot detection'],
    ['Download timed out after 60s', 'a timeout'],
    ['yt-dlp: HTTP Error 429: Too Many Requests', 'rate limiting'],
    ['Processing error, please try again later', 'the service said to try again'],
    ['Upstream returned 503 Service Unavailable', 'an upstream outage'],
    ['Failed to download video: Connection reset by peer', 'the network']
  ])('counts %j as transient (%s)', (message, why) => {
    expect(list.classify(message)).toBe(why)
  })

  it.each([
    'Failed to download video: this video is private',
    'Video unavailable: removed by the uploader',
    'Unsupported platform',
    'Video exceeds the maximum duration of 10 minutes'
  ])('does not count %j as transient (it fails the same way every time)', message => {
    expect(list.classify(message)).toBeUndefined()
  })

  it('is extended by the user patterns, text literal and case-insensitive, /regex/ as given', () => {
    const extended = new TransientErrors([
      parseTransientPattern('Quota (daily)'),
      parseTransientPattern('/cdn-\\d+ busy/g')
    ])
    expect(extended.classify('quota (DAILY) reached')).toBe('contains "Quota (daily)"')
    expect(extended.classify('Quota daily reached')).toBeUndefined()
    // Not stateful: the g flag is dropped, so the same message matches every time.
    expect(extended.classify('CDN-7 busy')).toBe('matches /cdn-\\d+ busy/g')
    expect(extended.classify('CDN-7 busy')).toBe('matches /cdn-\\d+ busy/g')
    expect(extended.classify(undefined)).toBeUndefined()
  })
})

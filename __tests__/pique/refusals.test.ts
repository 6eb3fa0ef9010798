import { describe, expect, it } from '@jest/globals'
import { PiqueApiError, PiqueNetworkError } from '../../src/pique/errors.js'
import { batchRefusal, parseRefusal } from '../../src/pique/refusals.js'

const refused = (status: number, detail: string) =>
  new PiqueApiError(`submit: Pique answered ${status}`, status, 'POST', '/v1/evaluations/social-media', detail)

describe('reading a refused submit back into URL positions', () => {
  it('reads the plain and the FastAPI shapes alike (the client renders both as loc: msg)', () => {
    const plain = batchRefusal(refused(400, 'video_urls[2]: video platform is not supported'), 5)
    expect(plain).toEqual({ byIndex: new Map([[2, 'video platform is not supported']]), other: [] })
    const fastapi = batchRefusal(
      refused(
        422,
        'video_urls[0]: expected an http or https URL, got ftp; video_urls[3]: video platform is not supported'
      ),
      5
    )
    expect([...fastapi!.byIndex]).toEqual([
      [0, 'expected an http or https URL, got ftp'],
      [3, 'video platform is not supported']
    ])
  })

  it('keeps reasons that contain colons and semicolons of their own, and several problems at one URL', () => {
    const r = parseRefusal('video_urls[1]: blocked: region US; try later; video_urls[1]: too long', 2)
    expect([...r.byIndex]).toEqual([[1, 'blocked: region US; try later; too long']])
  })

  it('sets apart problems that are not one URL of the batch: the batch cannot be mended by dropping URLs', () => {
    const r = parseRefusal('video_urls[1]: bad; judge_id: is required; video_urls[7]: out of range', 3)
    expect([...r.byIndex]).toEqual([[1, 'bad']])
    expect(r.other).toEqual(['judge_id: is required', 'video_urls[7]: out of range'])
    expect(parseRefusal('Judge is not a video judge', 3)).toEqual({
      byIndex: new Map(),
      other: ['Judge is not a video judge']
    })
  })

  it('is no refusal for other errors, other statuses, or a detail naming no URL', () => {
    expect(batchRefusal(refused(500, 'video_urls[0]: bad'), 2)).toBeUndefined()
    expect(batchRefusal(refused(400, 'Invalid judge'), 2)).toBeUndefined()
    expect(batchRefusal(new PiqueNetworkError('x', 'POST', '/v1/evaluations/social-media'), 2)).toBeUndefined()
  })
})

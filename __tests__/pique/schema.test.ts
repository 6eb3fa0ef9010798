import { describe, expect, it } from '@jest/globals'
import { closestMatch, findDetector } from '../../src/pique/detectors.js'
import { LIMITS } from '../../src/pique/limits.js'
import {
  checkDetector,
  createJudgeRequestSchema,
  describeApiError,
  formatPath,
  judgeWarnings,
  schemaIssues,
  socialMediaRequestSchema
} from '../../src/pique/schema.js'

const judge = (over: Record<string, unknown> = {}) => ({
  name: 'Video Quality Judge',
  description: 'Evaluates video technical quality and content',
  content_type: 'video',
  detectors: [{ detector_name: 'video_specs', config: { min_width: 1920, min_fps: 24 } }],
  ...over
})

const issuesOf = (schema: typeof createJudgeRequestSchema | typeof socialMediaRequestSchema, body: unknown) => {
  const r = schema.safeParse(body)
  return r.success ? [] : schemaIssues(r.error).map(i => `${formatPath(i.path)}: ${i.message}`)
}

describe('create-judge body', () => {
  it('accepts the documented example', () => {
    expect(issuesOf(createJudgeRequestSchema, judge())).toEqual([])
  })

  it('enforces the documented limits with readable messages', () => {
    expect(issuesOf(createJudgeRequestSchema, judge({ name: '' }))).toEqual(['name: must not be empty'])
    expect(issuesOf(createJudgeRequestSchema, judge({ name: 'x'.repeat(LIMITS.judgeName.max + 1) }))).toEqual([
      'name: must be at most 200 characters'
    ])
    expect(issuesOf(createJudgeRequestSchema, judge({ description: 'x'.repeat(2001) }))).toEqual([
      'description: must be at most 2000 characters'
    ])
    expect(issuesOf(createJudgeRequestSchema, judge({ content_type: 'gif' }))).toEqual([
      'content_type: must be one of "video", "image", "audio", "text"'
    ])
    expect(issuesOf(createJudgeRequestSchema, judge({ detectors: [] }))).toEqual([
      'detectors: must have at least 1 item'
    ])
  })

  it('checks detector config types and cross-field rules at their path', () => {
    const body = judge({
      detectors: [
        { detector_name: 'audio_noise', config: {} },
        { detector_name: 'video_specs', config: { min_fps: 'fast', min_width: 2000, max_width: 1000 } },
        { detector_name: 'transcript_product', config: {} }
      ]
    })
    expect(issuesOf(createJudgeRequestSchema, body)).toEqual([
      'detectors[1].config.min_fps: expected a number, got a string',
      'detectors[1].config.min_width: min_width (2000) is greater than max_width (1000)',
      'detectors[2].config: transcript_product needs at least one of brand_name, product_name'
    ])
  })

  it('warns, not fails, on unknown detectors and keys, with a did-you-mean', () => {
    const body = createJudgeRequestSchema.parse(
      judge({
        detectors: [
          { detector_name: 'video_spec', config: {} },
          { detector_name: 'video_specs', config: { min_widht: 10 } }
        ]
      })
    )
    expect(judgeWarnings(body).map(w => `${formatPath(w.path)}: ${w.message}`)).toEqual([
      'detectors[0].detector_name: unknown detector "video_spec" (did you mean "video_specs"?); it is sent as is',
      'detectors[1].config.min_widht: unknown key for video_specs (did you mean "min_width"?)'
    ])
  })

  it('requires gs:// reference content for matching detectors', () => {
    expect(
      checkDetector({ detector_name: 'video_matching', config: { reference_videos: ['https://x/y.mp4'] } }, 'video')
        .errors
    ).toEqual([{ path: ['config', 'reference_videos', 0], message: 'expected a gs:// reference content URI' }])
    expect(findDetector('video_matching')?.needsPreprocessing).toBe(true)
    expect(findDetector('video_specs')?.needsPreprocessing).toBe(false)
  })

  it('suggests only close names', () => {
    expect(closestMatch('lightning', ['lighting', 'framing'])).toBe('lighting')
    expect(closestMatch('zzzzzz', ['lighting', 'framing'])).toBeUndefined()
  })
})

describe('social-media submit body', () => {
  const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://www.tiktok.com/@u/video/${i}`)
  it('takes 1 to 20 http(s) URLs', () => {
    expect(issuesOf(socialMediaRequestSchema, { judge_id: 'j', video_urls: urls(20) })).toEqual([])
    expect(issuesOf(socialMediaRequestSchema, { judge_id: 'j', video_urls: urls(21) })).toEqual([
      'video_urls: must have at most 20 items'
    ])
    expect(issuesOf(socialMediaRequestSchema, { judge_id: 'j', video_urls: [] })).toEqual([
      'video_urls: must have at least 1 item'
    ])
    expect(issuesOf(socialMediaRequestSchema, { judge_id: 'j', video_urls: ['ftp://x/y', 'nope'] })).toEqual([
      'video_urls[0]: expected an http or https URL, got ftp',
      'video_urls[1]: not a valid URL'
    ])
  })
})

describe('API error bodies', () => {
  it('renders a string detail and a FastAPI validation list as one line', () => {
    expect(describeApiError({ detail: 'Judge not found' })).toBe('Judge not found')
    expect(
      describeApiError({
        detail: [
          { loc: ['body', 'video_urls', 0], msg: 'invalid or missing URL scheme', type: 'url_parsing' },
          { loc: ['body', 'judge_id'], msg: 'Field required' }
        ]
      })
    ).toBe('video_urls[0]: invalid or missing URL scheme; judge_id: Field required')
    expect(describeApiError('<html>')).toBeUndefined()
  })
})

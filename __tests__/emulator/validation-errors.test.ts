/**
 * `validationErrors`: request-validation failures as the seed pages show them (400 + string detail) or in
 * FastAPI's own shape (422 + [{loc, msg, type}]), both from the same zod issues; and the real client reading
 * the FastAPI shape end to end as one line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { emulatorOptionsFrom } from '../../src/emulator/config.js'
import { DEFAULT_EMULATOR_API_KEY, type RunningEmulator, type ScenarioRule } from '../../src/emulator/options.js'
import { PiqueApiError } from '../../src/pique/errors.js'
import { PiqueClient } from '../../src/pique/client.js'
import { call, fastEmulator, videoJudge } from './helpers.js'

// The service's own URL rules, which no client can check before sending: stood in for by a scenario rule.
const SCENARIO: ScenarioRule[] = [{ match: 'https://unsupported.example/*', reject: 'video platform is not supported' }]

let fastapi: RunningEmulator
let plain: RunningEmulator
let fastapiJudge: string
let plainJudge: string
beforeAll(async () => {
  ;[fastapi, plain] = await Promise.all([
    fastEmulator({ validationErrors: 'fastapi', scenario: SCENARIO }),
    fastEmulator({ scenario: SCENARIO })
  ])
  fastapiJudge = (await call(fastapi.url, 'POST', '/v1/judges', videoJudge())).body.id
  plainJudge = (await call(plain.url, 'POST', '/v1/judges', videoJudge())).body.id
})
afterAll(async () => {
  await Promise.all([fastapi?.close(), plain?.close()])
})

const submit = (emu: RunningEmulator, body: unknown) => call(emu.url, 'POST', '/v1/evaluations/social-media', body)

describe('fastapi validation errors', () => {
  it('answer 422 with one {loc, msg, type} per problem, loc rooted at body or query', async () => {
    const cases: [unknown, unknown[]][] = [
      [
        { judge_id: fastapiJudge, video_urls: ['https://a.example/v', 'ftp://a.example/v.mp4'] },
        [{ loc: ['body', 'video_urls', 1], msg: 'expected an http or https URL, got ftp', type: 'value_error' }]
      ],
      [
        { judge_id: fastapiJudge, video_urls: [] },
        [{ loc: ['body', 'video_urls'], msg: 'must have at least 1 item', type: 'too_short' }]
      ],
      [
        { video_urls: 'https://a.example/v' },
        [
          { loc: ['body', 'judge_id'], msg: 'is required', type: 'missing' },
          { loc: ['body', 'video_urls'], msg: 'expected a list, got a string', type: 'array_type' }
        ]
      ],
      [[1], [{ loc: ['body'], msg: 'expected a mapping, got a list', type: 'object_type' }]]
    ]
    for (const [body, detail] of cases) {
      const r = await submit(fastapi, body)
      expect([body, r.status, r.body]).toEqual([body, 422, { detail }])
    }
    const list = await call(fastapi.url, 'GET', '/v1/judges?limit=0&content_type=podcast')
    expect(list.status).toBe(422)
    expect(list.body.detail).toEqual([
      { loc: ['query', 'limit'], msg: 'must be at least 1', type: 'greater_than_equal' },
      { loc: ['query', 'content_type'], msg: expect.stringMatching(/^must be one of "video", "image"/), type: 'enum' }
    ])
    const judge = await call(fastapi.url, 'POST', '/v1/judges', {
      ...videoJudge(),
      detectors: [{ detector_name: 'video_specs', config: { min_fps: 'fast' } }]
    })
    expect(judge).toMatchObject({
      status: 422,
      body: {
        detail: [
          { loc: ['body', 'detectors', 0, 'config', 'min_fps'], msg: expect.any(String), type: expect.any(String) }
        ]
      }
    })
    const notJson = await call(fastapi.url, 'POST', '/v1/judges', '{"name": ')
    expect(notJson).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ['body'], msg: 'Request body is not valid JSON', type: 'json_invalid' }] }
    })
  })

  it('name the same problems as the plain 400 string, which stays the default', async () => {
    const body = (judge: string) => ({ judge_id: judge, video_urls: ['not a url', 'https://unsupported.example/v1'] })
    const [a, b] = [await submit(fastapi, body(fastapiJudge)), await submit(plain, body(plainJudge))]
    expect(a.status).toBe(422)
    expect(b).toMatchObject({
      status: 400,
      body: { detail: 'video_urls[0]: not a valid URL; video_urls[1]: video platform is not supported' }
    })
    const line = (a.body.detail as { loc: (string | number)[]; msg: string }[])
      .map(d => `${d.loc[1]}[${d.loc[2]}]: ${d.msg}`)
      .join('; ')
    expect(line).toBe(b.body.detail)
  })

  it('leave errors that are not request validation alone: 401, 404 and a non-video judge keep a string detail', async () => {
    expect(await call(fastapi.url, 'GET', '/v1/judges', undefined, 'pk_wrong')).toMatchObject({
      status: 401,
      body: { detail: expect.any(String) }
    })
    const unknown = await submit(fastapi, {
      judge_id: '00000000-0000-4000-8000-000000000000',
      video_urls: ['https://a.example/v']
    })
    expect(unknown).toMatchObject({ status: 404, body: { detail: expect.any(String) } })
    const image = (
      await call(fastapi.url, 'POST', '/v1/judges', {
        ...videoJudge(),
        content_type: 'image',
        detectors: [{ detector_name: 'image_sharpness', config: {} }]
      })
    ).body.id
    expect(await submit(fastapi, { judge_id: image, video_urls: ['https://a.example/v'] })).toMatchObject({
      status: 400,
      body: { detail: expect.any(String) }
    })
  })

  it('reach the real client as one readable line naming the URL', async () => {
    const client = new PiqueClient({
      baseUrl: fastapi.url,
      apiKey: DEFAULT_EMULATOR_API_KEY,
      retry: { maxAttempts: 1 }
    })
    const error = await client
      .submitSocialMedia({
        judge_id: fastapiJudge,
        video_urls: ['https://a.example/v', 'https://unsupported.example/v2']
      })
      .then(
        () => undefined,
        (e: unknown) => e
      )
    expect(error).toBeInstanceOf(PiqueApiError)
    const e = error as PiqueApiError
    expect(e.status).toBe(422)
    expect(e.detail).toBe('video_urls[1]: video platform is not supported')
    // The label and hint are the client's own words; the point is the detail list rendered as one line.
    expect(e.message).toMatch(
      /^submit[^:]*: Pique answered 422 to POST \/v1\/evaluations\/social-media: video_urls\[1\]: video platform is not supported\. \S/
    )
    expect(e.message).not.toContain('\n')
  })
})

describe('the validation-errors option', () => {
  it('comes from --validation-errors or PIQUE_EMULATOR_VALIDATION_ERRORS and rejects other styles', async () => {
    expect((await emulatorOptionsFrom({}, {})).validationErrors).toBeUndefined()
    expect((await emulatorOptionsFrom({}, { PIQUE_EMULATOR_VALIDATION_ERRORS: 'fastapi' })).validationErrors).toBe(
      'fastapi'
    )
    expect(
      (await emulatorOptionsFrom({ validationErrors: 'plain' }, { PIQUE_EMULATOR_VALIDATION_ERRORS: 'fastapi' }))
        .validationErrors
    ).toBe('plain')
    await expect(emulatorOptionsFrom({ validationErrors: 'pydantic' }, {})).rejects.toThrow(
      '--validation-errors: expected one of plain, fastapi, got "pydantic"'
    )
  })
})

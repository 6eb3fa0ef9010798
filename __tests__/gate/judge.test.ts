import { describe, expect, it } from '@jest/globals'
import { ensureJudge } from '../../src/gate/ensure-judge.js'
import { judgeDifferences, sameJudge } from '../../src/gate/judge-match.js'
import { memoryLog } from '../../src/gate/log.js'
import type { JudgeFile } from '../../src/config/types.js'
import { type CreateJudgeRequest, type Judge, canonicalJson } from '../../src/pique/schema.js'
import { FakeApi } from './fake-api.js'

const body: CreateJudgeRequest = {
  name: 'Launch',
  description: 'Vertical clips',
  content_type: 'video',
  detectors: [
    { detector_name: 'video_specs', config: { min_width: 720, allowed_aspect_ratios: ['9:16'] } },
    { detector_name: 'audio_noise', config: {} }
  ]
}
const file: JudgeFile = { file: 'judge.yml', body, warnings: [] }

function judgeFrom(b: CreateJudgeRequest, extra: Partial<Judge> = {}): Judge {
  return {
    id: 'j',
    name: b.name,
    description: b.description,
    content_type: b.content_type,
    status: 'ready',
    is_active: true,
    created_at: '2026-01-01T00:00:00Z',
    detector_configs: b.detectors.map((d, i) => ({
      id: `c${i}`,
      detector_name: d.detector_name,
      config: d.config,
      weight: 3
    })),
    ...extra
  }
}

describe('judge equality', () => {
  it('ignores detector order, config key order, ids and weights', () => {
    const reordered = judgeFrom({
      ...body,
      detectors: [
        { detector_name: 'audio_noise', config: {} },
        { detector_name: 'video_specs', config: { allowed_aspect_ratios: ['9:16'], min_width: 720 } }
      ]
    })
    expect(sameJudge(reordered, body)).toBe(true)
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}')
  })

  it('compares configs canonically: numbers by value, empty values as absent, non-empty defaults as settings', () => {
    // What a service echoing a normalised config may send back: floats, keys reordered, empty defaults added.
    const echoed = judgeFrom({
      ...body,
      detectors: [
        {
          detector_name: 'video_specs',
          config: { allowed_aspect_ratios: ['9:16'], min_width: 720.0, max_width: null, min_fps: undefined }
        },
        { detector_name: 'audio_noise', config: { options: {}, tags: [] } }
      ]
    })
    expect(sameJudge(echoed, body)).toBe(true)
    const yamlFloat = { ...body, detectors: [{ detector_name: 'video_specs', config: { min_fps: 24 } }] }
    expect(
      sameJudge(
        judgeFrom({ ...yamlFloat, detectors: [{ detector_name: 'video_specs', config: { min_fps: 24.0 } }] }),
        yamlFloat
      )
    ).toBe(true)
    // A non-empty value the file does not set is a real setting (it could change scores): a different judge.
    const withDefault = judgeFrom({
      ...body,
      detectors: [body.detectors[0], { detector_name: 'audio_noise', config: { strict: false } }]
    })
    expect(judgeDifferences(withDefault, body)).toEqual(['detectors'])
    expect(
      sameJudge(
        judgeFrom({ ...yamlFloat, detectors: [{ detector_name: 'video_specs', config: { min_fps: '24' } }] }),
        yamlFloat
      )
    ).toBe(false)
  })

  it('sees every field that makes a different judge', () => {
    expect(judgeDifferences(judgeFrom({ ...body, name: 'Other' }), body)).toEqual(['name'])
    expect(judgeDifferences(judgeFrom({ ...body, description: 'x' }), body)).toEqual(['description'])
    expect(judgeDifferences(judgeFrom(body, { content_type: 'image' }), body)).toEqual(['content_type'])
    const changedConfig = {
      ...body,
      detectors: [body.detectors[0], { detector_name: 'audio_noise', config: { strict: true } }]
    }
    expect(judgeDifferences(judgeFrom(changedConfig), body)).toEqual(['detectors'])
    const nested = {
      ...body,
      detectors: [
        { detector_name: 'video_specs', config: { min_width: 720, allowed_aspect_ratios: ['9:16', '1:1'] } },
        body.detectors[1]
      ]
    }
    expect(sameJudge(judgeFrom(nested), body)).toBe(false)
    expect(sameJudge(judgeFrom({ ...body, detectors: [body.detectors[0]] }), body)).toBe(false)
    expect(sameJudge(judgeFrom({ ...body, detectors: [...body.detectors, body.detectors[1]] }), body)).toBe(false)
  })
})

describe('ensureJudge', () => {
  const options = () => ({ log: memoryLog(), deadline: Date.now() + 5000, pollMs: 5, settleMs: 20 })

  it('reuses the newest ready identical judge and skips failed, pending, inactive and different ones (a ready one wins)', async () => {
    const api = new FakeApi()
    const older = api.addJudge({ ...judgeFrom(body), id: 'older-ready' })
    const newest = api.addJudge({ ...judgeFrom(body), id: 'newest-ready' })
    api.addJudge({ ...judgeFrom(body), id: 'newer-pending', status: 'pending' })
    api.addJudge({ ...judgeFrom(body), id: 'newer-failed', status: 'failed' })
    api.addJudge({ ...judgeFrom(body), id: 'newer-inactive', is_active: false })
    api.addJudge({ ...judgeFrom({ ...body, name: 'Other' }), id: 'newer-other' })
    const o = options()
    const info = await ensureJudge(api, { kind: 'file', file }, o)
    expect(info).toMatchObject({ id: newest.id, origin: 'reused', status: 'ready' })
    expect(info.id).not.toBe(older.id)
    expect(o.log.lines.join('\n')).toContain(`Reusing judge "Launch" (newest-ready)`)
  })

  it('reuses an identical judge still pending (another run is preparing it) and waits until it is ready', async () => {
    const api = new FakeApi()
    api.addJudge({ ...judgeFrom(body), id: 'older-failed', status: 'failed' })
    api.addJudge({ ...judgeFrom(body), id: 'preparing', status: 'pending' })
    api.judgeStatusScript.set('preparing', ['pending', 'ready'])
    const o = options()
    const info = await ensureJudge(api, { kind: 'file', file }, o)
    expect(info).toMatchObject({ id: 'preparing', origin: 'reused', status: 'ready' })
    expect(api.judges).toHaveLength(2)
    expect(o.log.lines.join('\n')).toContain(
      'Reusing judge "Launch" (preparing): an identical judge exists, status pending'
    )
  })

  it('looks again after a random pause before creating, and reuses a judge another run created meanwhile', async () => {
    const api = new FakeApi()
    const listed = api.listAllJudges.bind(api)
    let lists = 0
    // The first look finds nothing; by the second, a run started at the same moment has created the judge.
    api.listAllJudges = async function* () {
      if (++lists === 2) api.addJudge({ ...judgeFrom(body), id: 'theirs', status: 'pending' })
      yield* listed()
    }
    api.judgeStatusScript.set('theirs', ['ready'])
    const started = Date.now()
    const info = await ensureJudge(api, { kind: 'file', file }, { ...options(), settleMs: 200, random: () => 0.5 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(95)
    expect(info).toMatchObject({ id: 'theirs', origin: 'reused' })
    expect(api.judges.map(j => j.id)).toEqual(['theirs'])
  })

  it('settles on the oldest identical judge when another run created one at the same moment', async () => {
    const api = new FakeApi()
    const create = api.createJudge.bind(api)
    // The other run's judge lands just before ours: both runs then pick the older one.
    api.createJudge = async b => {
      api.addJudge({ ...judgeFrom(body), id: 'theirs' })
      return create(b)
    }
    const o = { ...options(), settleMs: 0 }
    const info = await ensureJudge(api, { kind: 'file', file }, o)
    expect(info).toMatchObject({ id: 'theirs', origin: 'reused' })
    expect(o.log.lines.join('\n')).toMatch(
      /Another run created the same judge at the same moment: using the older one, theirs; judge-\d+, created by this run, stays unused/
    )
  })

  it('creates the judge when none matches, and waits while it is pending', async () => {
    const api = new FakeApi()
    const withMatching = {
      ...body,
      detectors: [
        ...body.detectors,
        { detector_name: 'video_matching', config: { reference_videos: ['gs://b/v.mp4'] } }
      ]
    }
    // The fake creates it pending as judge-1; status checks then say pending twice, then ready.
    api.judgeStatusScript.set('judge-1', ['pending', 'pending', 'ready'])
    const info = await ensureJudge(api, { kind: 'file', file: { ...file, body: withMatching } }, options())
    expect(info).toMatchObject({ id: 'judge-1', origin: 'created', status: 'ready' })
    expect(info.detectors).toEqual(['video_specs', 'audio_noise', 'video_matching'])
  })

  it('waits out a judge status the docs do not show, as for pending, saying so once', async () => {
    const api = new FakeApi()
    const j = api.addJudge({ ...judgeFrom(body), id: 'queued', status: 'provisioning' })
    api.judgeStatusScript.set(j.id, ['provisioning', 'provisioning', 'ready'])
    const opts = options()
    const info = await ensureJudge(api, { kind: 'pinned', id: 'queued' }, opts)
    expect(info).toMatchObject({ id: 'queued', status: 'ready' })
    const log = opts.log as ReturnType<typeof memoryLog>
    expect(log.lines.filter(l => l.includes('undocumented status'))).toEqual([
      'warning: Judge queued has the undocumented status "provisioning"; waiting until it is ready, as for pending'
    ])
    api.addJudge({ ...judgeFrom(body), id: 'stuck', status: 'provisioning' })
    await expect(
      ensureJudge(api, { kind: 'pinned', id: 'stuck' }, { ...options(), deadline: Date.now() + 30 })
    ).rejects.toThrow('Judge stuck was still provisioning at the deadline')
  })

  it('fails clearly when a judge ends failed, or stays pending past the deadline', async () => {
    const api = new FakeApi()
    const j = api.addJudge({ ...judgeFrom(body), id: 'bad', status: 'pending' })
    api.judgeStatusScript.set(j.id, ['pending', 'failed'])
    await expect(ensureJudge(api, { kind: 'pinned', id: 'bad' }, options())).rejects.toThrow(
      /Judge bad \("Launch"\) failed to prepare: check its reference content/
    )
    api.addJudge({ ...judgeFrom(body), id: 'slow', status: 'pending' })
    await expect(
      ensureJudge(api, { kind: 'pinned', id: 'slow' }, { ...options(), deadline: Date.now() + 30 })
    ).rejects.toThrow('Judge slow was still pending at the deadline')
  })

  it('refuses a judge file of another content type before creating anything', async () => {
    const api = new FakeApi()
    await expect(
      ensureJudge(api, { kind: 'file', file: { ...file, body: { ...body, content_type: 'image' } } }, options())
    ).rejects.toThrow('judge.yml: content_type is image; social-media URLs need a video judge')
    expect(api.judges).toHaveLength(0)
  })

  it('checks a pinned judge exists and is a video judge, and warns when the file differs', async () => {
    const api = new FakeApi()
    api.addJudge({ ...judgeFrom(body), id: 'img', content_type: 'image' })
    api.addJudge({ ...judgeFrom({ ...body, description: 'changed' }), id: 'pinned' })
    await expect(ensureJudge(api, { kind: 'pinned', id: 'nope' }, options())).rejects.toThrow(
      'Judge nope not found: check the id, and that the API key belongs to the organization that owns it'
    )
    await expect(ensureJudge(api, { kind: 'pinned', id: 'img' }, options())).rejects.toThrow(
      'Judge img ("Launch") evaluates image content; social-media URLs need a video judge'
    )
    // Inactive or failed: said before anything is submitted, without waiting.
    api.addJudge({ ...judgeFrom(body), id: 'off', is_active: false })
    await expect(ensureJudge(api, { kind: 'pinned', id: 'off' }, options())).rejects.toThrow(
      'Judge off ("Launch") is inactive (is_active: false): Pique does not evaluate with it; pin an active judge, or use a judge file to reuse or create one'
    )
    api.addJudge({ ...judgeFrom(body), id: 'broken', status: 'failed' })
    await expect(ensureJudge(api, { kind: 'pinned', id: 'broken' }, options())).rejects.toThrow(
      /^Judge broken \("Launch"\) failed to prepare/
    )
    expect(api.submits).toHaveLength(0)
    const o = options()
    expect(await ensureJudge(api, { kind: 'pinned', id: 'pinned', file }, o)).toMatchObject({ origin: 'pinned' })
    expect(o.log.lines).toContain(
      'warning: Judge pinned (pinned by id) differs from judge.yml in description; the pinned judge is used'
    )
    expect(api.judges).toHaveLength(4)
  })
})

describe('debug lines', () => {
  it('say why each newer judge was not reused', async () => {
    const api = new FakeApi()
    api.addJudge({ ...judgeFrom(body), id: 'ready-one' })
    api.addJudge({ ...judgeFrom(body), id: 'pending-one', status: 'pending' })
    api.addJudge({ ...judgeFrom(body), id: 'inactive-one', is_active: false })
    api.addJudge({ ...judgeFrom({ ...body, description: 'x' }), id: 'other-one' })
    const log = memoryLog()
    await ensureJudge(api, { kind: 'file', file }, { log, deadline: Date.now() + 5000 })
    expect(log.debugLines).toEqual([
      'Judge other-one ("Launch") not reused: differs in description',
      'Judge inactive-one ("Launch") not reused: inactive',
      'Judge pending-one ("Launch") not reused: still pending, and an identical ready judge is used instead'
    ])
    // Debug lines stay out of the normal log.
    expect(log.lines.join('\n')).not.toContain('not reused')
  })

  it('say when no judge matches and one is created', async () => {
    const log = memoryLog()
    await ensureJudge(
      new FakeApi(),
      { kind: 'file', file },
      { log, deadline: Date.now() + 5000, pollMs: 5, settleMs: 0 }
    )
    expect(log.debugLines).toEqual(
      expect.arrayContaining([
        'No ready or pending judge identical to judge.yml: looking again after a pause of 0 ms',
        'Still no judge identical to judge.yml: creating one'
      ])
    )
  })
})

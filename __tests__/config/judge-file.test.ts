/** Rules of the judge file loader, each shown on a small file written for the test. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { findDetector } from '../../src/pique/detectors.js'
import { ConfigError, formatProblem, loadJudgeFile } from '../../src/config/load.js'
import { judgeFingerprint } from '../../src/gate/judge-fingerprint.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pique-judge-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const VALID = `name: Launch clips
description: Vertical clips
content_type: video
detectors:
  - detector_name: video_specs
    config: { allowed_aspect_ratios: ["9:16"], min_fps: 24 }
`

async function load(name: string, text: string) {
  await writeFile(join(dir, name), text)
  return loadJudgeFile(name, { cwd: dir })
}

async function problems(name: string, text: string): Promise<string[]> {
  const error = await load(name, text).then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError for ${name}`)
  return error.problems.map(formatProblem)
}

describe('loadJudgeFile', () => {
  it('reads JSON and YAML saved with a byte-order mark and CRLF line ends, positions still right', async () => {
    const json =
      '\uFEFF{\r\n  "name": "n",\r\n  "description": "d",\r\n  "content_type": "video",\r\n  "detectors": [{ "detector_name": "video_specs", "config": {} }]\r\n}\r\n'
    expect((await load('bom.json', json)).body.name).toBe('n')
    const yaml =
      '\uFEFFname: 5\r\ndescription: d\r\ncontent_type: video\r\ndetectors:\r\n  - detector_name: video_specs\r\n    config: { min_fps: "x" }\r\n'
    expect(await problems('bom.yml', yaml)).toEqual([
      'bom.yml:1:7: name: expected a string, got a whole number',
      'bom.yml:6:24: detectors[0].config.min_fps: expected a number, got a string'
    ])
  })

  it('returns the create-judge body, the file as given and no warnings for a valid file', async () => {
    const judge = await load('ok.yml', VALID)
    expect(judge).toEqual({
      file: 'ok.yml',
      body: {
        name: 'Launch clips',
        description: 'Vertical clips',
        content_type: 'video',
        detectors: [{ detector_name: 'video_specs', config: { allowed_aspect_ratios: ['9:16'], min_fps: 24 } }]
      },
      warnings: []
    })
  })

  it('reads JSON with the same meaning as YAML', async () => {
    const yaml = await load('same.yml', VALID)
    const json = await load('same.json', JSON.stringify(yaml.body, null, 2))
    expect(json.body).toEqual(yaml.body)
  })

  it('keeps `id:` to pin an existing judge and ignores `$schema`', async () => {
    const judge = await load('pinned.yml', `$schema: ../schema/judge.schema.json\nid: judge_abc123\n${VALID}`)
    expect(judge.id).toBe('judge_abc123')
    expect(judge.body).not.toHaveProperty('$schema')
    expect(judge.body).not.toHaveProperty('id')
  })

  it('prints the path as the user gave it, relative, not resolved', async () => {
    const rel = relative(process.cwd(), join(dir, 'nowhere.yml'))
    await expect(loadJudgeFile(rel)).rejects.toThrow(`${rel}: file not found`)
  })

  it('reports every problem in one pass; the message is the first plus a count', async () => {
    await writeFile(join(dir, 'many.yml'), 'name: ""\ndescription: ""\ncontent_type: text\ndetectors: []\n')
    const error = await loadJudgeFile('many.yml', { cwd: dir }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems).toHaveLength(4)
    expect((error as ConfigError).message).toBe('many.yml:1:7: name: must not be empty (and 3 more)')
  })

  it('checks detector configs even when a top-level field is also wrong', async () => {
    expect(
      await problems('both.yml', VALID.replace('name: Launch clips\n', '').replace('min_fps: 24', 'min_fps: "24"'))
    ).toEqual([
      'both.yml:1:1: name: is required',
      'both.yml:5:57: detectors[0].config.min_fps: expected a number, got a string'
    ])
  })

  it('requires content type video and says why', async () => {
    expect(await problems('audio.yml', VALID.replace('content_type: video', 'content_type: audio'))).toEqual([
      'audio.yml:3:15: content_type: must be "video" (social-media URLs are evaluated only by video judges), got "audio"'
    ])
    expect(await problems('nocontent.yml', VALID.replace('content_type: video\n', ''))).toEqual([
      'nocontent.yml:1:1: content_type: is required'
    ])
  })

  it('reports a missing key at its parent mapping and an empty value at its key', async () => {
    const text = 'name: Launch clips\ndescription:\ncontent_type: video\ndetectors:\n  - config: {}\n'
    expect(await problems('missing.yml', text)).toEqual([
      'missing.yml:2:1: description: expected a string, got null',
      'missing.yml:5:5: detectors[0].detector_name: is required'
    ])
  })

  it('makes unknown top-level and detector keys errors with a hint, unknown detectors and config keys warnings', async () => {
    expect(await problems('typo.yml', VALID.replace('description:', 'descripton:'))).toEqual([
      'typo.yml:1:1: description: is required',
      'typo.yml:2:1: descripton: unknown key (did you mean "description"?)'
    ])
    const judge = await load('warn.yml', VALID.replace('min_fps', 'fps_min').replace('video_specs', 'video_specz'))
    expect(judge.warnings.map(formatProblem)).toEqual([
      'warn.yml:5:20: detectors[0].detector_name: unknown detector "video_specz" (did you mean "video_specs"?); it is sent as is'
    ])
    const keyed = await load('warn-key.yml', VALID.replace('min_fps', 'fps_min'))
    expect(keyed.warnings.map(formatProblem)).toEqual([
      'warn-key.yml:6:48: detectors[0].config.fps_min: unknown key for video_specs'
    ])
  })

  it('carries warnings on a ConfigError too, so they are not lost when the file has errors', async () => {
    await writeFile(
      join(dir, 'both-kinds.yml'),
      VALID.replace('name: Launch clips\n', '').replace('video_specs', 'video_spec')
    )
    const error = (await loadJudgeFile('both-kinds.yml', { cwd: dir }).catch((e: unknown) => e)) as ConfigError
    expect(error.warnings.map(formatProblem)).toEqual([
      'both-kinds.yml:4:20: detectors[0].detector_name: unknown detector "video_spec" (did you mean "video_specs"?); it is sent as is'
    ])
  })

  it('follows YAML anchors and reports problems inside them', async () => {
    const text = `name: Launch clips
description: Vertical clips
content_type: video
specs: &specs { min_fps: 24 }
detectors:
  - detector_name: video_specs
    config: *specs
`
    expect(await problems('anchor.yml', text)).toEqual([
      'anchor.yml:4:1: specs: unknown key; expected one of name, description, content_type, detectors, id, $schema, policy'
    ])
    const ok = await load(
      'anchor-ok.yml',
      text.replace('specs: &specs { min_fps: 24 }\n', '').replace('config: *specs', 'config: &c { min_fps: 24 }')
    )
    expect(ok.body.detectors[0].config).toEqual({ min_fps: 24 })
  })

  it('gives one clear line for a missing file, a directory, an empty file and a wrong extension', async () => {
    expect(await problems('blank.yml', '  \n\n')).toEqual([
      'blank.yml: file is empty: expected a mapping with name, description, content_type, detectors'
    ])
    await expect(loadJudgeFile('.', { cwd: dir })).rejects.toThrow(
      '.: expected a judge file ending in .yml, .yaml or .json'
    )
    await expect(loadJudgeFile('gone.json', { cwd: dir })).rejects.toThrow(/^gone\.json: file not found$/)
  })
})

describe('examples/judge.yml', () => {
  it('is a valid video judge with no warnings and no detector that needs reference content (ready at once)', async () => {
    const judge = await loadJudgeFile('examples/judge.yml')
    expect(judge.warnings).toEqual([])
    expect(judge.body.content_type).toBe('video')
    const names = judge.body.detectors.map(d => d.detector_name)
    expect(names).toEqual(expect.arrayContaining(['video_specs', 'audio_noise']))
    expect(judge.body.detectors.some(d => findDetector(d.detector_name)?.needsPreprocessing)).toBe(false)
    expect(judge.body.detectors[0].config).toMatchObject({
      allowed_aspect_ratios: ['9:16'],
      min_duration_sec: 15,
      max_duration_sec: 60
    })
  })
})

// The `policy` section: loaded beside the judge body (never inside it), every problem at file:line.
const POLICY_JUDGE = `name: Launch clips
description: Vertical clips
content_type: video
detectors:
  - detector_name: video_specs
    config: { min_fps: 24 }
  - detector_name: brand_safety
    config: {}
  - detector_name: watermark
    config: {}
`

describe('policy section', () => {
  it('is loaded beside the body, never inside it', async () => {
    const judge = await load(
      'ok.yml',
      `${POLICY_JUDGE}policy:
  require_pass_check: [video_specs]
  min_scores: { "*": 0.5, brand_safety: 0.7 }
  ignore: [watermark]
`
    )
    expect(judge.policy).toEqual({
      require_pass_check: ['video_specs'],
      min_scores: { '*': 0.5, brand_safety: 0.7 },
      ignore: ['watermark']
    })
    expect(judge.body).not.toHaveProperty('policy')
  })

  it('does not change the judge: same fingerprint with any policy or none', async () => {
    const a = await load('a.yml', POLICY_JUDGE)
    const b = await load('b.yml', `${POLICY_JUDGE}policy:\n  min_scores: { brand_safety: 0.9 }\n`)
    const fp = (f: typeof a) => judgeFingerprint({ id: 'judge_1', ...f.body })
    expect(fp(b)).toBe(fp(a))
  })

  it('reports every problem at its line: unknown keys, detectors not in the judge, bad scores, contradictions', async () => {
    expect(
      await problems(
        'bad.yml',
        `${POLICY_JUDGE}policy:
  require_pass: [video_specs]
  require_pass_check: [video_spec, "*"]
  min_scores: { brand_safty: 0.5, watermark: 1.5 }
  ignore: [watermark, "*"]
`
      )
    ).toEqual([
      'bad.yml:12:3: policy.require_pass: unknown key; expected one of require_pass_check, min_scores, ignore',
      'bad.yml:13:24: policy.require_pass_check[0]: "video_spec" is not a detector of this judge (did you mean "video_specs"?)',
      'bad.yml:14:17: policy.min_scores.brand_safty: "brand_safty" is not a detector of this judge (did you mean "brand_safety"?)',
      'bad.yml:14:46: policy.min_scores.watermark: must be at most 1',
      'bad.yml:15:12: policy.ignore[0]: "watermark" is both ignored and named in policy.min_scores; keep one',
      'bad.yml:15:23: policy.ignore[1]: "*" is not a detector of this judge; its detectors are video_specs, brand_safety, watermark'
    ])
  })

  it('reports a policy that is not a mapping', async () => {
    expect(await problems('list.yml', `${POLICY_JUDGE}policy: [video_specs]\n`)).toEqual([
      'list.yml:11:9: policy: expected a mapping, got a list'
    ])
  })
})

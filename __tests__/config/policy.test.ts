/** The judge file's `policy` section: loaded beside the judge body (never inside it), every problem at file:line. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, formatProblem, loadJudgeFile } from '../../src/config/load.js'
import { judgeFingerprint } from '../../src/gate/judge-fingerprint.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pique-policy-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const JUDGE = `name: Launch clips
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

describe('policy section', () => {
  it('is loaded beside the body, never inside it', async () => {
    const judge = await load(
      'ok.yml',
      `${JUDGE}policy:
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
    const a = await load('a.yml', JUDGE)
    const b = await load('b.yml', `${JUDGE}policy:\n  min_scores: { brand_safety: 0.9 }\n`)
    const fp = (f: typeof a) => judgeFingerprint({ id: 'judge_1', ...f.body })
    expect(fp(b)).toBe(fp(a))
  })

  it('reports every problem at its line: unknown keys, detectors not in the judge, bad scores, contradictions', async () => {
    expect(
      await problems(
        'bad.yml',
        `${JUDGE}policy:
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
    expect(await problems('list.yml', `${JUDGE}policy: [video_specs]\n`)).toEqual([
      'list.yml:11:9: policy: expected a mapping, got a list'
    ])
  })
})

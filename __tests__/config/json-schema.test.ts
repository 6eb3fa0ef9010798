/** The committed judge-file JSON Schema: in step with the schema module, and it validates what editors will see. */
import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { judgeFileJsonSchema, judgeFileJsonSchemaText } from '../../src/config/json-schema.js'

const SCHEMA_FILE = 'schema/judge.schema.json'

describe('schema/judge.schema.json', () => {
  it('equals a fresh generation (regenerate with `pique-gate schema > schema/judge.schema.json`)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(judgeFileJsonSchemaText())
  })
})

describe('the judge-file JSON Schema', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(judgeFileJsonSchema())
  const base = {
    name: 'Launch clips',
    description: 'Vertical clips',
    content_type: 'video',
    detectors: [{ detector_name: 'video_specs', config: { min_fps: 24 } }]
  }
  const withDetector = (detector_name: string, config: Record<string, unknown>) => ({
    ...base,
    detectors: [{ detector_name, config }]
  })

  it('accepts examples/judge.yml', async () => {
    const example = parse(await readFile('examples/judge.yml', 'utf8'))
    expect(validate(example)).toBe(true)
  })

  it('accepts $schema and id, an unknown detector name and unknown config keys (warnings, not errors)', () => {
    expect(validate({ $schema: '../schema/judge.schema.json', id: 'judge_abc123', ...base })).toBe(true)
    expect(validate(withDetector('brand_new_detector', { anything: 1 }))).toBe(true)
    expect(validate(withDetector('video_specs', { min_fsp: 24 }))).toBe(true)
  })

  it.each([
    ['a content type direct upload does not take', { ...base, content_type: 'text' }],
    ['an unknown top-level key', { ...base, detector: [] }],
    ['a missing description', { ...base, description: undefined }],
    ['an empty name', { ...base, name: '' }],
    ['no detectors', { ...base, detectors: [] }],
    ['a detector without config', { ...base, detectors: [{ detector_name: 'audio_noise' }] }],
    ['a string where video_specs takes a number', withDetector('video_specs', { min_fps: '24' })],
    ['a fractional min_width', withDetector('video_specs', { min_width: 720.5 })],
    ['a bad aspect ratio', withDetector('video_specs', { allowed_aspect_ratios: ['9x16'] })],
    ['transcript_product without brand or product', withDetector('transcript_product', {})],
    ['video_matching without reference videos', withDetector('video_matching', {})]
  ])('rejects %s', (_label, judge) => {
    expect(validate(JSON.parse(JSON.stringify(judge)))).toBe(false)
  })
})

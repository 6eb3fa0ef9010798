/** `pique-gate validate` and `pique-gate schema` through the CLI's own entry (main with argv). */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { main } from '../../src/cli/program.js'

const FIX = '__tests__/fixtures/config'
let out: string[]
let err: string[]

beforeEach(() => {
  out = []
  err = []
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')))
})
afterEach(() => {
  jest.restoreAllMocks()
  process.exitCode = undefined
})

const run = (...args: string[]) => main(['node', 'pique-gate', ...args])

describe('pique-gate validate', () => {
  it('prints what it found and exits 0 for the examples', async () => {
    expect(await run('validate', '--judge', 'examples/judge.yml', '--urls', 'examples/urls.txt')).toBe(0)
    expect(err).toEqual([])
    expect(out).toEqual([
      'judge examples/judge.yml: "Short-form launch video" (content type video, 3 detectors)',
      '  - video_specs: allowed_aspect_ratios, min_width, min_height, min_duration_sec, max_duration_sec, min_fps',
      '  - audio_noise',
      '  - transcript_product: brand_name, product_name',
      'urls: 6 URLs to evaluate',
      '  examples/urls.txt: 6',
      'config is valid'
    ])
  })

  it('shows warnings with positions, URL counts per file and duplicate notices, and still exits 0', async () => {
    const code = await run(
      'validate',
      '--judge',
      `${FIX}/judge/warnings.yml`,
      '--urls',
      `${FIX}/urls/more.txt`,
      `${FIX}/urls/duplicates.txt`,
      '--url-list',
      'https://www.youtube.com/shorts/inline00001'
    )
    expect(code).toBe(0)
    expect(out).toContain(
      `warning: ${FIX}/judge/warnings.yml:10:7: detectors[1].config.min_fsp: unknown key for video_specs (did you mean "min_fps"?)`
    )
    expect(out).toContain('urls: 4 URLs to evaluate, 5 duplicates removed')
    expect(out).toContain(`  ${FIX}/urls/more.txt: 2`)
    expect(out).toContain(`  ${FIX}/urls/duplicates.txt: 1`)
    expect(out).toContain('  url-list: 1')
    expect(out).toContain(`notice: ${FIX}/urls/duplicates.txt:1:1: duplicate of ${FIX}/urls/more.txt:2`)
    expect(out).toContain(
      `notice: ${FIX}/urls/duplicates.txt:8:1: duplicate of ${FIX}/urls/more.txt:2 (the same content URL: differs only by trailing slash and tracking parameters si, utm_source)`
    )
  })

  it('prints every problem of both files, one per line, and exits 2', async () => {
    const code = await run(
      'validate',
      '--judge',
      `${FIX}/judge/several-errors.yml`,
      '--urls',
      `${FIX}/urls/invalid-lines.txt`
    )
    expect(code).toBe(2)
    expect(process.exitCode).toBe(2)
    expect(err).toHaveLength(6 + 4 + 1)
    expect(err[0]).toBe(`${FIX}/judge/several-errors.yml:2:1: name: is required`)
    expect(err).toContain(`${FIX}/urls/invalid-lines.txt:7:1: not a valid URL (https://)`)
    expect(err[err.length - 1]).toBe('pique-gate validate: 10 problems found')
    expect(out).toContain(
      `warning: ${FIX}/judge/several-errors.yml:5:20: detectors[0].detector_name: detector "video_specs" evaluates video content, not image`
    )
  })

  it('exits 2 with one line when given nothing to validate', async () => {
    expect(await run('validate')).toBe(2)
    expect(err[0]).toBe(
      'nothing to validate: give --judge FILE and/or --urls FILE... / --url-list TEXT / --files FILE...'
    )
  })
})

describe('pique-gate schema', () => {
  it('prints the committed JSON Schema', async () => {
    const chunks: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk))
      return true
    })
    expect(await run('schema')).toBe(0)
    expect(chunks.join('')).toBe(await readFile('schema/judge.schema.json', 'utf8'))
  })
})

describe('the bundled CLI (dist/cli/index.js, built by `npm run package` before the tests)', () => {
  it('validates YAML and JSON files in a fresh process: exit 2 and every problem on stderr', async () => {
    const args = [
      'dist/cli/index.js',
      'validate',
      '--judge',
      `${FIX}/judge/json-bare-word.json`,
      '--urls',
      `${FIX}/urls/list.json`,
      `${FIX}/urls/bad-items.yml`
    ]
    const result = await promisify(execFile)(process.execPath, args).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e
    )
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n').slice(0, 3)).toEqual([
      `${FIX}/judge/json-bare-word.json:6:70: JSON syntax error: unexpected "tru"`,
      `${FIX}/urls/list.json:4:3: [2]: not a valid URL (youtube.com/shorts/abc)`,
      `${FIX}/urls/bad-items.yml:2:3: [1]: expected a URL or a mapping with a url key, got a whole number`
    ])
  })
})

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { readFile } from 'node:fs/promises'
import { loadFileList } from '../../src/config/file-list.js'
import { filesManifestJsonSchema, filesManifestJsonSchemaText } from '../../src/config/json-schema.js'
import { ConfigError, formatProblem } from '../../src/config/problems.js'
import { validateConfig } from '../../src/config/validate.js'

const FIXTURES = join(process.cwd(), 'fixtures')
let cwd: string
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'pique-files-'))
  mkdirSync(join(cwd, 'media/clips'), { recursive: true })
  copyFileSync(join(FIXTURES, 'video/vertical-1080x1920-30fps.mp4'), join(cwd, 'media/clips/launch.mp4'))
  copyFileSync(join(FIXTURES, 'video/landscape-1280x720-30fps.mp4'), join(cwd, 'media/clips/wide.mp4'))
  copyFileSync(join(FIXTURES, 'image/vertical-1080x1920.png'), join(cwd, 'media/cover.png'))
  writeFileSync(join(cwd, 'media/clips/notes.txt'), 'not media')
})
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

const write = (name: string, text: string) => writeFileSync(join(cwd, name), text)
const problems = (patterns: string[]) =>
  loadFileList(patterns, { cwd }).then(
    () => [],
    (e: unknown) => (e as ConfigError).problems.map(formatProblem)
  )

describe('the files input', () => {
  it('takes paths and globs (media files only), in order, once each', async () => {
    const list = await loadFileList(['media/cover.png', 'media/**/*', 'media/clips/launch.mp4'], { cwd })
    expect(list.files.map(f => f.path)).toEqual(['media/cover.png', 'media/clips/launch.mp4', 'media/clips/wide.mp4'])
    expect(list.files[0].source).toEqual({ file: 'media/cover.png', line: 0 })
    expect(list.notices.map(formatProblem)).toEqual([
      'media/cover.png: media/cover.png is already named at the files input; evaluated once',
      'media/clips/launch.mp4: media/clips/launch.mp4 is already named at the files input; evaluated once'
    ])
  })

  it('reads manifests: paths relative to the manifest, title and description per file, the line that named each', async () => {
    write(
      'media/files.yml',
      [
        '# yaml-language-server: $schema=../schema/files.schema.json',
        '- file: clips/launch.mp4',
        "  title: 'Launch day #launch'",
        '  description: The launch teaser',
        '- cover.png',
        '- file: clips/w*.mp4',
        ''
      ].join('\n')
    )
    const list = await loadFileList(['media/files.yml'], { cwd })
    expect(list.files).toEqual([
      {
        path: 'media/clips/launch.mp4',
        source: { file: 'media/files.yml', line: 2, column: 9 },
        title: 'Launch day #launch',
        description: 'The launch teaser'
      },
      { path: 'media/cover.png', source: { file: 'media/files.yml', line: 5, column: 3 } },
      { path: 'media/clips/wide.mp4', source: { file: 'media/files.yml', line: 6, column: 9 } }
    ])
    expect(list.manifests).toEqual(['media/files.yml'])
  })

  it('reports every manifest problem at file:line:column with the field', async () => {
    write(
      'bad.yml',
      [
        '- file: media/clips/launch.mp4',
        '  titel: Typo',
        '- file: media/nothing.mp4',
        '- 42',
        '- file: media/cover.png',
        '  description: ""',
        '- title: no file key',
        '- /etc/passwd',
        ''
      ].join('\n')
    )
    expect(await problems(['bad.yml'])).toEqual([
      'bad.yml:2:3: [0].titel: unknown key (did you mean "title"?)',
      'bad.yml:3:9: [1].file: file not found (media/nothing.mp4, relative to the manifest)',
      'bad.yml:4:3: [2]: expected a file path or a mapping with a file key, got a whole number',
      'bad.yml:6:16: [3].description: must not be empty',
      'bad.yml:7:3: [4].file: is required',
      'bad.yml:8:3: [5]: expected a path relative to bad.yml, got an absolute path'
    ])
    write('notalist.json', '{"file": "a.mp4"}')
    expect(await problems(['notalist.json'])).toEqual([
      'notalist.json:1:1: expected a list of files (each a file path or a mapping with a file key), got a mapping'
    ])
    write('syntax.json', '["a.mp4",]')
    expect(await problems(['syntax.json'])).toEqual([expect.stringMatching(/^syntax\.json:1:\d+: JSON syntax error/)])
  })

  it('says when a path or glob names nothing', async () => {
    expect(await problems(['media/missing.mp4', 'media/*.webm', 'missing.yml'])).toEqual([
      'media/missing.mp4: file not found',
      'media/*.webm: no media files match this pattern',
      'missing.yml: no files match this pattern'
    ])
  })
})

describe('validate --files', () => {
  it("checks each file against the judge's content type, with the manifest line", async () => {
    write(
      'judge.yml',
      'name: Clips\ndescription: d\ncontent_type: video\ndetectors:\n  - detector_name: audio_noise\n    config: {}\n'
    )
    write('list.yml', '- media/clips/launch.mp4\n- media/cover.png\n')
    const out = await validateConfig({ judge: 'judge.yml', files: ['list.yml'], cwd })
    expect(out.problems.map(formatProblem)).toEqual([
      'list.yml:2:3: media/cover.png: is image (image/png) but the judge evaluates video: use an image judge for it, or leave it out'
    ])
  })

  it('reports a file that fails its check at the line and column of the path that named it', async () => {
    write(
      'judge.yml',
      'name: Clips\ndescription: d\ncontent_type: video\ndetectors:\n  - detector_name: audio_noise\n    config: {}\n'
    )
    write('media/empty.mp4', '')
    mkdirSync(join(cwd, 'media/odd'), { recursive: true })
    write('media/odd/a.mp4', '')
    write('media/odd/b.mp4', '')
    write('media/pointer.mp4', 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 1234\n')
    write(
      'checked.yml',
      [
        '# launch media',
        '- media/clips/launch.mp4',
        '-   media/cover.png',
        '- file: media/empty.mp4',
        '  title: Empty',
        '- title: Pointer first',
        '  file:   media/pointer.mp4',
        '- file: media/*.png',
        '- file: media/odd/*.mp4',
        ''
      ].join('\n')
    )
    write(
      'checked.json',
      '[\n  "media/clips/launch.mp4",\n  {"title": "Cover", "file": "media/cover.png"},\n    "media/empty.mp4"\n]\n'
    )
    for (const manifest of ['checked.yml', 'checked.json']) {
      const out = await validateConfig({ judge: 'judge.yml', files: [manifest], cwd })
      const lines = out.problems.map(formatProblem)
      if (manifest === 'checked.yml')
        expect(lines).toEqual([
          'checked.yml:3:5: media/cover.png: is image (image/png) but the judge evaluates video: use an image judge for it, or leave it out',
          'checked.yml:4:9: media/empty.mp4: the file is empty',
          expect.stringMatching(/^checked\.yml:7:11: media\/pointer\.mp4: is a Git LFS pointer/),
          // A glob's matches share its position; the field says which file.
          'checked.yml:9:9: media/odd/a.mp4: the file is empty',
          'checked.yml:9:9: media/odd/b.mp4: the file is empty'
        ])
      else
        expect(lines).toEqual([
          'checked.json:3:30: media/cover.png: is image (image/png) but the judge evaluates video: use an image judge for it, or leave it out',
          'checked.json:4:5: media/empty.mp4: the file is empty'
        ])
    }
  })

  it('allows image and audio judges for files alone, never with URLs', async () => {
    write(
      'image-judge.yml',
      'name: Covers\ndescription: d\ncontent_type: image\ndetectors:\n  - detector_name: image_specs\n    config: {min_width: 1000}\n'
    )
    write('urls.txt', 'https://clips.example/a\n')
    const files = await validateConfig({ judge: 'image-judge.yml', files: ['media/cover.png'], cwd })
    expect(files.problems).toEqual([])
    expect(files.report).toContain('files: 1 file to upload and evaluate')
    const both = await validateConfig({ judge: 'image-judge.yml', files: ['media/cover.png'], urls: ['urls.txt'], cwd })
    expect(both.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^image-judge\.yml:3:15: content_type: must be "video" \(social-media URLs are evaluated only by video judges\), got "image"$/
      )
    ])
  })
})

describe('schema/files.schema.json', () => {
  it('equals a fresh generation (regenerate with `npm run schema`)', async () => {
    expect(await readFile('schema/files.schema.json', 'utf8')).toBe(filesManifestJsonSchemaText())
  })

  it('accepts what the loader accepts and rejects unknown keys', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(filesManifestJsonSchema())
    expect(validate(parse('- a.mp4\n- file: b.png\n  title: T\n  description: D\n'))).toBe(true)
    expect(validate([{ file: 'a.mp4', titel: 'x' }])).toBe(false)
    expect(validate([{ title: 'x' }])).toBe(false)
    expect(validate({ file: 'a.mp4' })).toBe(false)
  })
})

import { afterAll, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatBytes, parseByteSize } from '../../src/files/bytes.js'
import { inspectFile, sha256File } from '../../src/files/inspect.js'
import { sniffFormat } from '../../src/pique/media-types.js'

const FIXTURES = join(process.cwd(), 'fixtures')
const dir = mkdtempSync(join(tmpdir(), 'pique-inspect-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const BIG = { maxBytes: 1e9 }

async function problem(path: string, shown = path, options: Parameters<typeof inspectFile>[2] = BIG) {
  return inspectFile(path, shown, options).then(
    () => 'no problem',
    (e: Error) => e.message
  )
}

describe('inspectFile', () => {
  it.each([
    ['video/vertical-1080x1920-30fps.mp4', 'video', 'video/mp4'],
    ['video/square-720x720-24fps.mov', 'video', 'video/quicktime'],
    ['video/landscape-640x360-25fps.webm', 'video', 'video/webm'],
    ['image/vertical-1080x1920.png', 'image', 'image/png'],
    ['image/landscape-640x360.jpg', 'image', 'image/jpeg'],
    ['audio/tone-16000hz-1s.wav', 'audio', 'audio/wav'],
    ['audio/tone-44100hz-1s.mp3', 'audio', 'audio/mpeg']
  ])('knows %s as %s (%s) from its extension and first bytes', async (file, contentType, mime) => {
    const path = join(FIXTURES, file)
    expect(await inspectFile(path, file, BIG)).toMatchObject({ contentType, mime })
  })

  it('refuses a Git LFS pointer, saying to check out with LFS', async () => {
    const pointer = join(dir, 'clip.mp4')
    writeFileSync(
      pointer,
      'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n'
    )
    expect(await problem(pointer)).toMatch(/Git LFS pointer.*actions\/checkout with `lfs: true`/)
  })

  it('refuses content whose bytes contradict the extension, and unknown extensions', async () => {
    const fake = join(dir, 'cover.mp4')
    copyFileSync(join(FIXTURES, 'image/vertical-1080x1920.png'), fake)
    expect(await problem(fake)).toBe('the content is PNG but the extension says MP4: rename the file to .png')
    const text = join(dir, 'notes.mp4')
    writeFileSync(text, 'just some text, not a video')
    expect(await problem(text)).toMatch(/not MP4 \(its first bytes match no known media format\)/)
    const doc = join(dir, 'brief.pdf')
    writeFileSync(doc, '%PDF-1.7')
    expect(await problem(doc)).toMatch(/^"\.pdf" is not a media type direct upload takes \(video: mp4/)
  })

  it("refuses a file of another content type than the judge's, and files above the size limit", async () => {
    const png = join(FIXTURES, 'image/vertical-1080x1920.png')
    expect(await problem(png, png, { maxBytes: 1e9, judgeContentType: 'video' })).toMatch(
      /is image \(image\/png\) but the judge evaluates video/
    )
    expect(await problem(png, png, { maxBytes: 5000 })).toMatch(/is 10 KB, above the max-file-size of 5 KB/)
  })

  it('refuses missing and empty files', async () => {
    expect(await problem(join(dir, 'nothing.mp4'))).toBe('file not found')
    const empty = join(dir, 'empty.mp4')
    writeFileSync(empty, '')
    expect(await problem(empty)).toBe('the file is empty')
    expect(await problem(dir)).toBe('not a regular file')
  })

  it('hashes content with SHA-256', async () => {
    const f = join(dir, 'hello.bin')
    writeFileSync(f, 'hello')
    expect(await sha256File(f)).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824')
  })
})

describe('sniffFormat', () => {
  it('tells MP4 from M4A and QuickTime by brand, WebM from Matroska by doctype', () => {
    const ftyp = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from(`ftyp${brand}`)])
    expect(sniffFormat(ftyp('isom'))?.name).toBe('mp4')
    expect(sniffFormat(ftyp('M4A '))?.name).toBe('m4a')
    expect(sniffFormat(ftyp('qt  '))?.name).toBe('mov')
    const ebml = (doc: string) =>
      Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82]), Buffer.from(doc)])
    expect(sniffFormat(ebml('webm'))?.name).toBe('webm')
    expect(sniffFormat(ebml('matroska'))?.name).toBe('mkv')
    expect(sniffFormat(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))?.name).toBe('webp')
    expect(sniffFormat(Buffer.from('GIF89a'))?.name).toBe('gif')
    expect(sniffFormat(Buffer.from('plain'))).toBeUndefined()
  })
})

describe('byte sizes', () => {
  it('parses and formats sizes as people write them', () => {
    expect(parseByteSize('200MB')).toBe(200e6)
    expect(parseByteSize('1.5 GB')).toBe(1.5e9)
    expect(parseByteSize('512MiB')).toBe(512 * 1024 ** 2)
    expect(parseByteSize('1000')).toBe(1000)
    for (const bad of ['', 'lots', '-1MB', '0', '5 parsecs']) expect(parseByteSize(bad)).toBeUndefined()
    expect(formatBytes(209_715_200)).toBe('210 MB')
    expect(formatBytes(1500)).toBe('1.5 KB')
  })
})

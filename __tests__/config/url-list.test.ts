/** Rules of the URL list loader: formats, comments, globs, inline input, duplicates, empties, positions. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, formatProblem, loadUrlLists } from '../../src/config/load.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pique-urls-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function write(name: string, text: string): Promise<void> {
  await mkdir(join(dir, name, '..'), { recursive: true })
  await writeFile(join(dir, name), text)
}

async function errorsOf(patterns: string[], inline?: string): Promise<string[]> {
  const error = await loadUrlLists(patterns, { cwd: dir, inline }).catch((e: unknown) => e)
  if (!(error instanceof ConfigError)) throw new Error('expected a ConfigError')
  return error.problems.map(formatProblem)
}

const A = 'https://www.youtube.com/shorts/aaaaaaaaaaa'
const B = 'https://www.tiktok.com/@lumen/video/7301234567890123456'
const C = 'https://www.instagram.com/reel/C1a2B3c4D5e/'

describe('text lists', () => {
  it('reads one URL a line with its line number, skipping blank lines and # comments', async () => {
    await write('a.txt', `# heading\n\n${A}\n   ${B}   # trailing comment\n\t# indented comment\n${C}\n`)
    const list = await loadUrlLists(['a.txt'], { cwd: dir })
    expect(list.urls).toEqual([
      { kind: 'url', url: A, source: { file: 'a.txt', line: 3 } },
      { kind: 'url', url: B, source: { file: 'a.txt', line: 4 } },
      { kind: 'url', url: C, source: { file: 'a.txt', line: 6 } }
    ])
    expect(list.notices).toEqual([])
    expect(list.files).toEqual(['a.txt'])
  })

  it('keeps a # that is part of the URL (a fragment) and handles CRLF line ends and a byte-order mark', async () => {
    await write('crlf.txt', `\uFEFF${A}#t=30\r\n${B}\r\n`)
    const list = await loadUrlLists(['crlf.txt'], { cwd: dir })
    expect(list.urls.map(u => [u.url, u.source.line])).toEqual([
      [`${A}#t=30`, 1],
      [B, 2]
    ])
  })

  it('reads files with other extensions as text lists', async () => {
    await write('urls', `${A}\n`)
    expect((await loadUrlLists(['urls'], { cwd: dir })).urls).toHaveLength(1)
  })

  it('reports the column where the bad URL starts', async () => {
    await write('col.txt', `${A}\n    not-a-url\n`)
    expect(await errorsOf(['col.txt'])).toEqual(['col.txt:2:5: not a valid URL (not-a-url)'])
  })
})

describe('YAML and JSON lists', () => {
  it('accepts URL strings and {url, ...} mappings with other keys, keeping each position', async () => {
    await write('l.yml', `- ${A}\n- url: ${B}\n  title: Teaser\n  owner: team\n`)
    await write('l.json', JSON.stringify([{ url: C, note: 'x' }]))
    const list = await loadUrlLists(['l.yml', 'l.json'], { cwd: dir })
    expect(list.urls).toEqual([
      { kind: 'url', url: A, source: { file: 'l.yml', line: 1 } },
      { kind: 'url', url: B, source: { file: 'l.yml', line: 2 } },
      { kind: 'url', url: C, source: { file: 'l.json', line: 1 } }
    ])
  })

  it('treats an empty YAML file as no URLs, not as an error of its own', async () => {
    await write('empty.yaml', '')
    await write('one.txt', `${A}\n`)
    expect((await loadUrlLists(['empty.yaml', 'one.txt'], { cwd: dir })).files).toEqual(['empty.yaml', 'one.txt'])
  })
})

describe('several files, globs and the inline list', () => {
  it('expands globs in sorted order, files in the order given, and reads a file named twice once', async () => {
    await write('g/b.txt', `${B}\n`)
    await write('g/a.txt', `${A}\n`)
    await write('g/sub/c.yml', `- ${C}\n`)
    await write('g/notes.md', 'not a list\n')
    const list = await loadUrlLists(['g/**/*.{txt,yml}', 'g/a.txt'], { cwd: dir })
    expect(list.files).toEqual(['g/a.txt', 'g/b.txt', 'g/sub/c.yml'])
    expect(list.urls.map(u => u.url)).toEqual([A, B, C])
    expect(list.notices).toEqual([])
  })

  it('is an error when a glob matches nothing, naming the pattern', async () => {
    await write('h/a.txt', `${A}\n`)
    expect(await errorsOf(['h/*.txt', 'h/*.yaml'])).toEqual(['h/*.yaml: no files match this pattern'])
  })

  it('reads the inline url-list after the files, reported as url-list with its line numbers', async () => {
    await write('i.txt', `${A}\n`)
    const list = await loadUrlLists(['i.txt'], { cwd: dir, inline: `${B}\n\n# comment\n${A}\n` })
    expect(list.urls).toEqual([
      { kind: 'url', url: A, source: { file: 'i.txt', line: 1 } },
      { kind: 'url', url: B, source: { file: 'url-list', line: 1 } }
    ])
    expect(list.notices.map(formatProblem)).toEqual(['url-list:4:1: duplicate of i.txt:1'])
    expect((await loadUrlLists([], { inline: C })).urls).toEqual([
      { kind: 'url', url: C, source: { file: 'url-list', line: 1 } }
    ])
  })
})

describe('duplicates and empties', () => {
  it('removes duplicates by the reuse identity, keeping the first, and says how the second differs', async () => {
    await write('d1.txt', `${A}\n`)
    await write('d2.txt', `${B}\nHTTPS://WWW.YOUTUBE.COM:443/shorts/aaaaaaaaaaa\n${A}/\n`)
    const list = await loadUrlLists(['d1.txt', 'd2.txt'], { cwd: dir })
    expect(list.urls.map(u => u.url)).toEqual([A, B])
    expect(list.notices.map(formatProblem)).toEqual([
      'd2.txt:2:1: duplicate of d1.txt:1 (the same content URL: differs only by letter case of scheme or host and default port)',
      'd2.txt:3:1: duplicate of d1.txt:1 (the same content URL: differs only by trailing slash)'
    ])
  })

  const V = 'https://www.youtube.com/watch?v=AbCdEfGhIjK'
  it.each([
    ['a utm parameter', V, `${V}&utm_source=newsletter`, 'tracking parameter utm_source'],
    ['a share id', V, `${V}&si=q1w2&feature=share`, 'tracking parameters si, feature'],
    ['a trailing slash', C, C.replace(/\/$/, ''), 'trailing slash'],
    ['host case', B, B.replace('www.tiktok.com', 'www.TikTok.com'), 'letter case of scheme or host'],
    ['a fragment', A, `${A}#t=30`, 'fragment'],
    ['parameter order', 'https://clips.example/c?a=1&b=2', 'https://clips.example/c?b=2&a=1', 'parameter order'],
    [
      'several at once',
      V,
      `${V.replace('www.youtube', 'WWW.YouTube')}&utm_medium=email#top`,
      'letter case of scheme or host, tracking parameter utm_medium and fragment'
    ]
  ])('two lines that differ only by %s are one URL, submitted once', async (what, first, second, how) => {
    const name = `same-${what.replaceAll(' ', '-')}.txt`
    await write(name, `${first}\n# the same, shared again\n${second}\n`)
    const list = await loadUrlLists([name], { cwd: dir })
    expect(list.urls.map(u => u.url)).toEqual([first])
    expect(list.notices.map(formatProblem)).toEqual([
      `${name}:3:1: duplicate of ${name}:1 (the same content URL: differs only by ${how})`
    ])
  })

  it.each([
    ['another video id', V, V.replace('AbCdEfGhIjK', 'AbCdEfGhIjL')],
    ['the case of a video id', 'https://www.youtube.com/shorts/AbCdE', 'https://www.youtube.com/shorts/abcde'],
    ['a YouTube start time (t)', V, `${V}&t=42`],
    ['a parameter not in the tracking table', 'https://clips.example/c?id=1', 'https://clips.example/c?id=1&lang=de']
  ])('keeps two lines that differ by %s: different content', async (what, first, second) => {
    const name = `apart-${what.replace(/\W+/g, '-')}.txt`
    await write(name, `${first}\n${second}\n`)
    const list = await loadUrlLists([name], { cwd: dir })
    expect(list.urls.map(u => u.url)).toEqual([first, second])
    expect(list.notices).toEqual([])
  })

  it('is an error when all lists together hold no URL', async () => {
    await write('e1.txt', '# nothing\n')
    expect(await errorsOf(['e1.txt'], '\n# nothing either\n')).toEqual([
      'e1.txt, url-list: no URLs to evaluate: the list is empty'
    ])
    // only-changed reads base versions this way: no URLs there is an answer, not an error; bad URLs still are.
    await write('e2.yml', '[]\n')
    expect(await loadUrlLists(['e1.txt', 'e2.yml'], { cwd: dir, allowEmpty: true })).toEqual({
      urls: [],
      notices: [],
      files: ['e1.txt', 'e2.yml']
    })
    await write('e3.txt', 'not-a-url\n')
    await expect(loadUrlLists(['e3.txt'], { cwd: dir, allowEmpty: true })).rejects.toThrow(
      'e3.txt:1:1: not a valid URL (not-a-url)'
    )
  })

  it('reports every invalid URL of every file in one pass, in file order', async () => {
    await write('x1.txt', `${A}\nhttp//broken\n`)
    await write('x2.yml', `- ftp://x.example/clip.mp4\n- ${B}\n- https://\n`)
    const error = (await loadUrlLists(['x1.txt', 'x2.yml'], { cwd: dir, inline: 'gopher://old' }).catch(
      (e: unknown) => e
    )) as ConfigError
    expect(error.problems.map(formatProblem)).toEqual([
      'x1.txt:2:1: not a valid URL (http//broken)',
      'x2.yml:1:3: [0]: expected an http or https URL, got ftp (ftp://x.example/clip.mp4)',
      'x2.yml:3:3: [2]: not a valid URL (https://)',
      'url-list:1:1: expected an http or https URL, got gopher (gopher://old)'
    ])
    expect(error.message).toBe('x1.txt:2:1: not a valid URL (http//broken) (and 3 more)')
  })
})

describe('examples/urls.txt', () => {
  it('holds six distinct YouTube, TikTok and Instagram URLs', async () => {
    const list = await loadUrlLists(['examples/urls.txt'])
    expect(list.urls).toHaveLength(6)
    expect(list.notices).toEqual([])
    const hosts = new Set(list.urls.map(u => new URL(u.url).hostname))
    expect(hosts).toEqual(new Set(['www.youtube.com', 'www.tiktok.com', 'www.instagram.com']))
  })
})

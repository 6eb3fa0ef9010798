/**
 * The malformed-config corpus: every file under __tests__/fixtures/config/ with the exact lines a user sees.
 * Paths are given relative to the fixtures folder (as a user gives them relative to their cwd). Files that cannot
 * be committed (FIFOs, sockets, device links, 50 MB sparse files, nesting that overflows a parser's stack) are made
 * in a temporary folder; bad action inputs (credentials in URLs, control characters, long values) are checked
 * through readSettings.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { type Server, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ConfigError, formatProblem, loadJudgeFile, loadUrlLists, urlListByteLimit } from '../../src/config/load.js'
import { type InputName, SettingsError, mapInputs, readSettings } from '../../src/config/settings.js'
import { ACTION_SURFACE, CLI_SURFACE } from '../../src/config/surface.js'
import { describeFailure } from '../../src/gate/failure.js'

const cwd = '__tests__/fixtures/config'

async function problemsOf(load: () => Promise<unknown>): Promise<{ errors: string[]; warnings: string[] }> {
  try {
    const value = (await load()) as { warnings?: never[]; notices?: never[] }
    return { errors: [], warnings: [...(value.warnings ?? []), ...(value.notices ?? [])].map(formatProblem) }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return { errors: error.problems.map(formatProblem), warnings: error.warnings.map(formatProblem) }
  }
}

const NOT_VIDEO = 'content_type: must be "video" (social-media URLs are evaluated only by video judges)'

type JudgeCase = [string, string[], string[]?]
type UrlCase = [string[], string[], string[]?, string?]

const JUDGE_CASES: JudgeCase[] = [
  ['missing-name.yml', ['judge/missing-name.yml:2:1: name: is required']],
  ['name-empty.yml', ['judge/name-empty.yml:1:7: name: must not be empty']],
  ['name-too-long.json', ['judge/name-too-long.json:2:11: name: must be at most 200 characters']],
  ['description-number.yml', ['judge/description-number.yml:2:14: description: expected a string, got a whole number']],
  [
    'content-type-image.yml',
    [`judge/content-type-image.yml:3:15: ${NOT_VIDEO}, got "image"`],
    [
      'judge/content-type-image.yml:5:20: detectors[0].detector_name: detector "video_specs" evaluates video content, not image'
    ]
  ],
  ['content-type-typo.json', [`judge/content-type-typo.json:4:19: ${NOT_VIDEO}, got "vidoe"`]],
  [
    'top-level-typo.yml',
    [
      'judge/top-level-typo.yml:1:1: detectors: is required',
      'judge/top-level-typo.yml:4:1: detector: unknown key (did you mean "detectors"?)'
    ]
  ],
  [
    'unknown-top-level-key.yml',
    [
      'judge/unknown-top-level-key.yml:4:1: owner: unknown key; expected one of name, description, content_type, detectors, id, $schema, policy'
    ]
  ],
  ['detectors-empty.yml', ['judge/detectors-empty.yml:4:12: detectors: must have at least 1 item']],
  ['detectors-not-list.yml', ['judge/detectors-not-list.yml:5:3: detectors: expected a list, got a mapping']],
  ['detector-missing-config.yml', ['judge/detector-missing-config.yml:7:5: detectors[1].config: is required']],
  [
    'detector-config-empty-value.yml',
    ['judge/detector-config-empty-value.yml:6:5: detectors[0].config: expected a mapping, got null']
  ],
  [
    'min-fps-string.yml',
    ['judge/min-fps-string.yml:12:16: detectors[2].config.min_fps: expected a number, got a string']
  ],
  [
    'range-min-greater-than-max.yml',
    [
      'judge/range-min-greater-than-max.yml:7:25: detectors[0].config.min_duration_sec: min_duration_sec (60) is greater than max_duration_sec (15)'
    ]
  ],
  [
    'aspect-ratio-bad.yml',
    [
      'judge/aspect-ratio-bad.yml:7:39: detectors[0].config.allowed_aspect_ratios[1]: expected an aspect ratio like "9:16"'
    ]
  ],
  [
    'transcript-product-no-names.yml',
    [
      'judge/transcript-product-no-names.yml:7:7: detectors[0].config: transcript_product needs at least one of brand_name, product_name'
    ],
    [
      'judge/transcript-product-no-names.yml:7:7: detectors[0].config.brand_cue: unknown key for transcript_product (did you mean "brand_name"?)'
    ]
  ],
  [
    'matching-not-gs-uri.yml',
    [
      'judge/matching-not-gs-uri.yml:8:11: detectors[0].config.reference_videos[0]: expected a gs:// reference content URI'
    ]
  ],
  [
    'min-width-fraction.yml',
    [
      'judge/min-width-fraction.yml:7:18: detectors[0].config.min_width: expected a whole number, got a number',
      'judge/min-width-fraction.yml:8:19: detectors[0].config.min_height: must be greater than 0'
    ]
  ],
  [
    'subtitles-not-boolean.yml',
    [
      'judge/subtitles-not-boolean.yml:6:34: detectors[0].config.require_subtitles: expected true or false, got a string'
    ]
  ],
  [
    'detector-key-typo.yml',
    [
      'judge/detector-key-typo.yml:5:5: detectors[0].config: is required',
      'judge/detector-key-typo.yml:6:5: detectors[0].conifg: unknown key (did you mean "config"?)'
    ]
  ],
  [
    'several-errors.yml',
    [
      'judge/several-errors.yml:2:1: name: is required',
      'judge/several-errors.yml:2:14: description: must not be empty',
      `judge/several-errors.yml:3:15: ${NOT_VIDEO}, got "image"`,
      'judge/several-errors.yml:7:16: detectors[0].config.min_fps: expected a number, got a string',
      'judge/several-errors.yml:8:18: detectors[0].config.max_width: must be greater than 0',
      'judge/several-errors.yml:9:5: detectors[1].detector_name: is required'
    ],
    [
      'judge/several-errors.yml:5:20: detectors[0].detector_name: detector "video_specs" evaluates video content, not image'
    ]
  ],
  ['duplicate-key.yml', ['judge/duplicate-key.yml:3:1: YAML syntax error: map keys must be unique']],
  [
    'yaml-syntax.yml',
    [
      'judge/yaml-syntax.yml:8:7: YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]'
    ]
  ],
  [
    'yaml-bad-indent.yml',
    ['judge/yaml-bad-indent.yml:2:14: YAML syntax error: nested mappings are not allowed in compact mappings']
  ],
  ['empty.yml', ['judge/empty.yml: file is empty: expected a mapping with name, description, content_type, detectors']],
  [
    'comments-only.yml',
    ['judge/comments-only.yml: file is empty: expected a mapping with name, description, content_type, detectors']
  ],
  [
    'not-a-mapping.yml',
    ['judge/not-a-mapping.yml:1:1: expected a mapping with name, description, content_type, detectors, got a list']
  ],
  [
    'string-root.json',
    ['judge/string-root.json:1:1: expected a mapping with name, description, content_type, detectors, got a string']
  ],
  [
    'json-trailing-comma.json',
    [
      'judge/json-trailing-comma.json:6:1: JSON syntax error: expected a property name in double quotes (a trailing comma?)'
    ]
  ],
  ['json-comment.json', ['judge/json-comment.json:2:3: JSON syntax error: comments are not allowed in JSON']],
  ['json-bare-word.json', ['judge/json-bare-word.json:6:70: JSON syntax error: unexpected "tru"']],
  [
    'json-min-fps-string.json',
    [
      'judge/json-min-fps-string.json:9:30: detectors[1].config.min_fps: expected a number, got a string',
      'judge/json-min-fps-string.json:9:61: detectors[1].config.allowed_aspect_ratios: expected a list, got a string'
    ]
  ],
  ['json-missing-detectors.json', ['judge/json-missing-detectors.json:1:1: detectors: is required']],
  ['id-empty.yml', ['judge/id-empty.yml:1:5: id: must not be empty']],
  ['id-number.yml', ['judge/id-number.yml:1:5: id: expected a string, got a whole number']],
  ['judge.toml', ['judge/judge.toml: expected a judge file ending in .yml, .yaml or .json']],
  ['does-not-exist.yml', ['judge/does-not-exist.yml: file not found']],
  [
    'warnings.yml',
    [],
    [
      'judge/warnings.yml:6:20: detectors[0].detector_name: unknown detector "video_spec" (did you mean "video_specs"?); it is sent as is',
      'judge/warnings.yml:10:7: detectors[1].config.min_fsp: unknown key for video_specs (did you mean "min_fps"?)',
      'judge/warnings.yml:13:7: detectors[2].config.level: unknown key for audio_noise (it takes no keys)',
      'judge/warnings.yml:14:20: detectors[3].detector_name: detector "image_specs" evaluates image content, not video'
    ]
  ]
]

const URL_CASES: UrlCase[] = [
  [
    ['urls/invalid-lines.txt'],
    [
      'urls/invalid-lines.txt:3:1: not a valid URL (www.tiktok.com/@lumen/video/7301234567890123456)',
      'urls/invalid-lines.txt:4:1: expected an http or https URL, got ftp (ftp://media.example.com/clip.mp4)',
      'urls/invalid-lines.txt:6:3: expected an http or https URL, got javascript (javascript:alert(1))',
      'urls/invalid-lines.txt:7:1: not a valid URL (https://)'
    ]
  ],
  [
    ['urls/duplicates.txt'],
    [],
    [
      'urls/duplicates.txt:4:1: duplicate of urls/duplicates.txt:1 (the same content URL: differs only by letter case of scheme or host)',
      'urls/duplicates.txt:5:1: duplicate of urls/duplicates.txt:2 (the same content URL: differs only by default port)',
      'urls/duplicates.txt:6:1: duplicate of urls/duplicates.txt:1',
      'urls/duplicates.txt:8:1: duplicate of urls/duplicates.txt:1 (the same content URL: differs only by trailing slash and tracking parameters si, utm_source)'
    ]
  ],
  [
    ['urls/more.txt', 'urls/duplicates.txt'],
    [],
    [
      'urls/duplicates.txt:1:1: duplicate of urls/more.txt:2',
      'urls/duplicates.txt:4:1: duplicate of urls/more.txt:2 (the same content URL: differs only by letter case of scheme or host)',
      'urls/duplicates.txt:5:1: duplicate of urls/duplicates.txt:2 (the same content URL: differs only by default port)',
      'urls/duplicates.txt:6:1: duplicate of urls/more.txt:2',
      'urls/duplicates.txt:8:1: duplicate of urls/more.txt:2 (the same content URL: differs only by trailing slash and tracking parameters si, utm_source)'
    ]
  ],
  [['urls/only-comments.txt'], ['urls/only-comments.txt: no URLs to evaluate: the list is empty']],
  [['urls/empty.txt'], ['urls/empty.txt: no URLs to evaluate: the list is empty']],
  [
    ['urls/empty-list.yml', 'urls/empty.txt'],
    ['urls/empty-list.yml, urls/empty.txt: no URLs to evaluate: the list is empty']
  ],
  [
    ['urls/mapping-root.yml'],
    ['urls/mapping-root.yml:1:1: expected a list of URLs (each a URL or a mapping with a url key), got a mapping']
  ],
  [
    ['urls/bad-items.yml'],
    [
      'urls/bad-items.yml:2:3: [1]: expected a URL or a mapping with a url key, got a whole number',
      'urls/bad-items.yml:3:3: [2]: expected a URL or a mapping with a url key, got a list',
      'urls/bad-items.yml:4:3: [3].url: is required',
      'urls/bad-items.yml:5:8: [4].url: expected a string, got a whole number',
      'urls/bad-items.yml:6:8: [5].url: not a valid URL (not a url)'
    ]
  ],
  [
    ['urls/objects.yaml'],
    ['urls/objects.yaml:4:8: [1].url: expected an http or https URL, got mailto (mailto:press@example.com)']
  ],
  [['urls/list.json'], ['urls/list.json:4:3: [2]: not a valid URL (youtube.com/shorts/abc)']],
  [['urls/syntax.json'], ['urls/syntax.json:3:3: JSON syntax error: expected ","']],
  [
    ['urls/syntax.yaml'],
    ['urls/syntax.yaml:2:8: YAML syntax error: nested mappings are not allowed in compact mappings']
  ],
  [
    ['urls/batch/*', 'urls/nomatch/*.txt', 'urls/missing.txt', 'urls/batch'],
    [
      'urls/nomatch/*.txt: no files match this pattern',
      'urls/missing.txt: file not found',
      'urls/batch: is a directory, expected a file'
    ]
  ],
  [
    ['urls/more.txt'],
    ['url-list:3:3: expected an http or https URL, got file (file:///tmp/clip.mp4)'],
    ['url-list:1:1: duplicate of urls/more.txt:1'],
    'https://www.instagram.com/reel/C1a2B3c4D5e/\n\n  file:///tmp/clip.mp4  # local file\n'
  ],
  [[], ['no URL lists given']]
]

const HOSTILE_JUDGE_CASES: JudgeCase[] = [
  [
    'hostile/alias-before-anchor.yml',
    ['judge/hostile/alias-before-anchor.yml:1:7: name: alias *n has no anchor &n before it']
  ],
  [
    'hostile/alias-bomb.yml',
    ['judge/hostile/alias-bomb.yml:2:8: aliases expand to too much data (more than the limit of 100 aliased nodes)']
  ],
  ['hostile/alias-key-list.yml', ['judge/hostile/alias-key-list.yml:9:1: a key must be a plain value, got a list']],
  ['hostile/alias-ok.yml', []],
  [
    'hostile/alias-unknown.yml',
    ['judge/hostile/alias-unknown.yml:1:7: name: alias *missing has no anchor &missing before it']
  ],
  ['hostile/ansi-bare-word.json', ['judge/hostile/ansi-bare-word.json:1:10: JSON syntax error: unexpected "\\u001b"']],
  [
    'hostile/ansi-content-type.yml',
    [
      'judge/hostile/ansi-content-type.yml:3:15: content_type: must be "video" (social-media URLs are evaluated only by video judges), got "\\u001b]8;;https://evil.example\\u001b\\\\video"'
    ]
  ],
  [
    'hostile/ansi-detector-name.yml',
    [],
    [
      'judge/hostile/ansi-detector-name.yml:5:20: detectors[0].detector_name: unknown detector "video_specs\\x1b[8m" (did you mean "video_specs"?); it is sent as is'
    ]
  ],
  [
    'hostile/ansi-key.yml',
    [
      'judge/hostile/ansi-key.yml:8:1: \\x1b[2J\\x1b[31mowner: unknown key; expected one of name, description, content_type, detectors, id, $schema, policy'
    ]
  ],
  [
    'hostile/bidi-detector.yml',
    [],
    [
      'judge/hostile/bidi-detector.yml:5:20: detectors[0].detector_name: unknown detector "video\\u202especs" (did you mean "video_specs"?); it is sent as is'
    ]
  ],
  [
    'hostile/c1-name.json',
    [
      'judge/hostile/c1-name.json:1:54: content_type: must be "video" (social-media URLs are evaluated only by video judges), got "vid\\u001beo"',
      'judge/hostile/c1-name.json:1:82: detectors: must have at least 1 item'
    ]
  ],
  [
    'hostile/deep-block.yml',
    ['judge/hostile/deep-block.yml:65:129: nested deeper than 64 levels of lists and mappings']
  ],
  ['hostile/deep-flow.yml', ['judge/hostile/deep-flow.yml:1:70: nested deeper than 64 levels of lists and mappings']],
  [
    'hostile/deep-json-objects.json',
    ['judge/hostile/deep-json-objects.json:1:388: nested deeper than 64 levels of lists and mappings']
  ],
  ['hostile/deep-json.json', ['judge/hostile/deep-json.json:1:73: nested deeper than 64 levels of lists and mappings']],
  [
    'hostile/del-in-key.yml',
    [
      'judge/hostile/del-in-key.yml:8:1: ow\\x7fner: unknown key; expected one of name, description, content_type, detectors, id, $schema, policy'
    ]
  ],
  [
    'hostile/huge-number.json',
    ['judge/hostile/huge-number.json:5:72: detectors[0].config.min_fps: not a finite number: 1e999']
  ],
  [
    'hostile/huge-number.yml',
    ['judge/hostile/huge-number.yml:7:18: detectors[0].config.min_width: not a finite number: 1e999']
  ],
  ['hostile/inf.yml', ['judge/hostile/inf.yml:7:16: detectors[0].config.max_fps: not a finite number: .inf']],
  ['hostile/json-string-brackets.json', []],
  [
    'hostile/key-flow-mapping.yml',
    ['judge/hostile/key-flow-mapping.yml:7:9: detectors[0].config: a key must be a plain value, got a mapping']
  ],
  ['hostile/key-flow.yml', ['judge/hostile/key-flow.yml:1:2: a key must be a plain value, got a list']],
  ['hostile/key-list.yml', ['judge/hostile/key-list.yml:1:3: a key must be a plain value, got a list']],
  ['hostile/latin1.yml', ['judge/hostile/latin1.yml:1:10: not UTF-8: invalid byte 0xE9; save it as UTF-8']],
  [
    'hostile/long-content-type.yml',
    [
      'judge/hostile/long-content-type.yml:3:15: content_type: must be "video" (social-media URLs are evaluated only by video judges), got "' +
        'v'.repeat(422) +
        '…'
    ]
  ],
  [
    'hostile/long-key.json',
    [
      'judge/hostile/long-key.json:13:3: ' +
        'k'.repeat(199) +
        '…: unknown key; expected one of name, description, content_type, detectors, id, $schema, policy'
    ]
  ],
  [
    'hostile/long-key.yml',
    [
      'judge/hostile/long-key.yml:8:1: YAML syntax error: the : indicator must be at most 1024 chars after the start of an implicit block mapping key'
    ]
  ],
  [
    'hostile/merge-key.yml',
    ['judge/hostile/merge-key.yml:1:1: base: unknown key (did you mean "name"?)'],
    ['judge/hostile/merge-key.yml:8:7: detectors[0].config.<<: unknown key for video_specs']
  ],
  [
    'hostile/minus-huge.json',
    ['judge/hostile/minus-huge.json:5:72: detectors[0].config.max_fps: not a finite number: -1e400']
  ],
  [
    'hostile/minus-inf.yml',
    ['judge/hostile/minus-inf.yml:7:25: detectors[0].config.min_duration_sec: not a finite number: -.Inf']
  ],
  ['hostile/nan-caps.yml', ['judge/hostile/nan-caps.yml:7:16: detectors[0].config.min_fps: not a finite number: .NaN']],
  ['hostile/nan-name.yml', ['judge/hostile/nan-name.yml:1:7: name: not a finite number: .nan']],
  [
    'hostile/nan-unknown-key.yml',
    ['judge/hostile/nan-unknown-key.yml:8:15: detectors[0].config.weight: not a finite number: .inf'],
    ['judge/hostile/nan-unknown-key.yml:8:7: detectors[0].config.weight: unknown key for video_specs']
  ],
  ['hostile/nan.yml', ['judge/hostile/nan.yml:7:16: detectors[0].config.min_fps: not a finite number: .nan']],
  [
    'hostile/nul-escape-key.yml',
    [
      'judge/hostile/nul-escape-key.yml:8:1: own\\x00er: unknown key; expected one of name, description, content_type, detectors, id, $schema, policy'
    ]
  ],
  ['hostile/nul-in-text.yml', ['judge/hostile/nul-in-text.yml:1:11: a binary file, not text: it holds a NUL byte']],
  ['hostile/png.yml', ['judge/hostile/png.yml:1:1: not UTF-8: invalid byte 0x89; save it as UTF-8']],
  ['hostile/surrogate.yml', ['judge/hostile/surrogate.yml:8:5: not UTF-8: invalid byte 0xED; save it as UTF-8']],
  [
    'hostile/tag-binary.yml',
    ['judge/hostile/tag-binary.yml:7:25: detectors[0].config.min_fps: unsupported tag !!binary: tags are not read']
  ],
  [
    'hostile/tag-directive.yml',
    ['judge/hostile/tag-directive.yml:3:15: name: unsupported tag tag:example.com,2000:name: tags are not read']
  ],
  [
    'hostile/tag-include-detectors.yml',
    ['judge/hostile/tag-include-detectors.yml:4:21: detectors: unsupported tag !include: tags are not read']
  ],
  [
    'hostile/tag-include.yml',
    ['judge/hostile/tag-include.yml:1:16: name: unsupported tag !include: tags are not read']
  ],
  [
    'hostile/tag-local.yml',
    ['judge/hostile/tag-local.yml:7:24: detectors[0].config.min_fps: unsupported tag !secret: tags are not read']
  ],
  [
    'hostile/tag-python.yml',
    ['judge/hostile/tag-python.yml:1:33: name: unsupported tag !!python/object:os.system: tags are not read']
  ],
  [
    'hostile/tag-set.yml',
    [
      'judge/hostile/tag-set.yml:7:36: detectors[0].config.allowed_aspect_ratios: unsupported tag !!set: tags are not read'
    ]
  ],
  ['hostile/tag-str-ok.yml', []],
  [
    'hostile/tag-timestamp.yml',
    ['judge/hostile/tag-timestamp.yml:8:17: id: unsupported tag !!timestamp: tags are not read']
  ],
  [
    'hostile/truncated-multibyte.yml',
    ['judge/hostile/truncated-multibyte.yml:8:6: not UTF-8: invalid byte 0xC3; save it as UTF-8']
  ],
  [
    'hostile/two-documents.yml',
    [
      'judge/hostile/two-documents.yml:8:1: YAML syntax error: source contains multiple documents; please use YAML.parseAllDocuments()'
    ]
  ],
  [
    'hostile/utf16be-bom.yml',
    [
      'judge/hostile/utf16be-bom.yml: not UTF-8: the file is UTF-16 (big-endian, with a byte-order mark); save it as UTF-8'
    ]
  ],
  [
    'hostile/utf16be.json',
    [
      'judge/hostile/utf16be.json: not UTF-8: the file is UTF-16 (big-endian, without a byte-order mark); save it as UTF-8'
    ]
  ],
  [
    'hostile/utf16le-bom.yml',
    [
      'judge/hostile/utf16le-bom.yml: not UTF-8: the file is UTF-16 (little-endian, with a byte-order mark); save it as UTF-8'
    ]
  ],
  [
    'hostile/utf16le.yml',
    [
      'judge/hostile/utf16le.yml: not UTF-8: the file is UTF-16 (little-endian, without a byte-order mark); save it as UTF-8'
    ]
  ],
  [
    'hostile/utf32le-bom.yml',
    [
      'judge/hostile/utf32le-bom.yml: not UTF-8: the file is UTF-32 (little-endian, with a byte-order mark); save it as UTF-8'
    ]
  ],
  ['hostile/utf8-bom.yml', []]
]

const HOSTILE_URL_CASES: UrlCase[] = [
  [
    ['urls/hostile/alias-bomb.yml'],
    ['urls/hostile/alias-bomb.yml:2:7: aliases expand to too much data (more than the limit of 100 aliased nodes)']
  ],
  [
    ['urls/hostile/alias-unknown.yml'],
    ['urls/hostile/alias-unknown.yml:2:3: [1]: alias *other has no anchor &other before it']
  ],
  [
    ['urls/hostile/ansi-invalid.txt'],
    ['urls/hostile/ansi-invalid.txt:1:1: not a valid URL (\\x1b[31mnot a url\\x1b[0m)']
  ],
  [
    ['urls/hostile/ansi-json.json'],
    ['urls/hostile/ansi-json.json:1:2: [0]: holds a control character (https://example.com/\\x1b[2J)']
  ],
  [
    ['urls/hostile/ansi.txt'],
    ['urls/hostile/ansi.txt:2:21: holds a control character (https://example.com/\\x1b[31mred\\x1b[0m)']
  ],
  [['urls/hostile/at-in-path-ok.txt'], []],
  [
    ['urls/hostile/bell-yaml.yml'],
    ['urls/hostile/bell-yaml.yml:1:3: [0]: holds a control character (https://example.com/\\x07)']
  ],
  [['urls/hostile/block-trailing-newline.yml'], []],
  [['urls/hostile/c1.txt'], ['urls/hostile/c1.txt:1:21: holds a control character (https://example.com/\\x9b2J)']],
  [
    ['urls/hostile/credentials-at-in-password.txt'],
    [
      'urls/hostile/credentials-at-in-password.txt:1:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials-backslashes.txt'],
    [
      'urls/hostile/credentials-backslashes.txt:1:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials-encoded.txt'],
    [
      'urls/hostile/credentials-encoded.txt:1:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials-ftp.txt'],
    [
      'urls/hostile/credentials-ftp.txt:1:1: must not hold a user name or password (ftp://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials-no-host.txt'],
    ['urls/hostile/credentials-no-host.txt:1:1: must not hold a user name or password (https://***@)']
  ],
  [
    ['urls/hostile/credentials-no-slashes.txt'],
    [
      'urls/hostile/credentials-no-slashes.txt:1:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials-one-slash.txt'],
    [
      'urls/hostile/credentials-one-slash.txt:1:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials-password-only.txt'],
    [
      'urls/hostile/credentials-password-only.txt:1:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials-uppercase.txt'],
    [
      'urls/hostile/credentials-uppercase.txt:1:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials-user.txt'],
    [
      'urls/hostile/credentials-user.txt:1:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials.json'],
    [
      'urls/hostile/credentials.json:2:11: [0].url: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [
    ['urls/hostile/credentials.txt'],
    ['urls/hostile/credentials.txt:2:1: must not hold a user name or password (https://***@media.example.com/clip.mp4)']
  ],
  [
    ['urls/hostile/credentials.yml'],
    [
      'urls/hostile/credentials.yml:2:3: [1]: must not hold a user name or password (https://***@media.example.com/clip.mp4)'
    ]
  ],
  [['urls/hostile/deep.json'], ['urls/hostile/deep.json:1:65: nested deeper than 64 levels of lists and mappings']],
  [['urls/hostile/deep.yml'], ['urls/hostile/deep.yml:1:129: nested deeper than 64 levels of lists and mappings']],
  [['urls/hostile/del.txt'], ['urls/hostile/del.txt:1:22: holds a control character (https://example.com/a\\x7fb)']],
  [
    ['urls/hostile/escaped-newline.yml'],
    [
      'urls/hostile/escaped-newline.yml:1:3: [0]: holds a line break: one URL per item (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/folded.yml'],
    [
      'urls/hostile/folded.yml:1:3: [0]: holds whitespace: one URL per item, a space in a URL written as %20 (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/formfeed.txt'],
    [
      'urls/hostile/formfeed.txt:1:57: a second item on the line: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [['urls/hostile/gzip.json'], ['urls/hostile/gzip.json:1:2: not UTF-8: invalid byte 0x8B; save it as UTF-8']],
  [['urls/hostile/inf-extra.json'], ['urls/hostile/inf-extra.json:2:80: [0].weight: not a finite number: 1e999']],
  [
    ['urls/hostile/invalid-continuation.txt'],
    ['urls/hostile/invalid-continuation.txt:2:21: not UTF-8: invalid byte 0xE2; save it as UTF-8']
  ],
  [['urls/hostile/key-list.yml'], ['urls/hostile/key-list.yml:2:5: [0]: a key must be a plain value, got a list']],
  [
    ['urls/hostile/line-separator.yml'],
    [
      'urls/hostile/line-separator.yml:1:3: [0]: holds a line break: one URL per item (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/literal-block.yml'],
    [
      'urls/hostile/literal-block.yml:1:3: [0]: holds a line break: one URL per item (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/lone-cr.txt'],
    [
      'urls/hostile/lone-cr.txt:1:56: holds a line break: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/long-invalid.txt'],
    ['urls/hostile/long-invalid.txt:1:1: not a valid URL (notaurl' + 'x'.repeat(192) + '…)']
  ],
  [
    ['urls/hostile/mapping-newline.yml'],
    [
      'urls/hostile/mapping-newline.yml:1:8: [0].url: holds a line break: one URL per item (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [['urls/hostile/nan.yml'], ['urls/hostile/nan.yml:2:3: [1]: not a finite number: .nan']],
  [
    ['urls/hostile/nel.txt'],
    [
      'urls/hostile/nel.txt:1:56: holds a line break: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456\\x85https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/newline.json'],
    [
      'urls/hostile/newline.json:1:61: [1]: holds a line break: one URL per item (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [['urls/hostile/nul.txt'], ['urls/hostile/nul.txt:2:1: a binary file, not text: it holds a NUL byte']],
  [['urls/hostile/overlong.txt'], ['urls/hostile/overlong.txt:1:21: not UTF-8: invalid byte 0xC0; save it as UTF-8']],
  [
    ['urls/hostile/space.json'],
    [
      'urls/hostile/space.json:1:10: [0].url: holds whitespace: one URL per item, a space in a URL written as %20 (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/stray-word.txt'],
    [
      'urls/hostile/stray-word.txt:1:57: a second item on the line: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456 teaser)'
    ]
  ],
  [
    ['urls/hostile/tab-separated.txt'],
    [
      'urls/hostile/tab-separated.txt:1:57: a second item on the line: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/tag-include.yml'],
    ['urls/hostile/tag-include.yml:2:12: [1]: unsupported tag !include: tags are not read']
  ],
  [['urls/hostile/tag-url.yml'], ['urls/hostile/tag-url.yml:1:13: [0].url: unsupported tag !url: tags are not read']],
  [
    ['urls/hostile/three-on-a-line.txt'],
    [
      'urls/hostile/three-on-a-line.txt:1:58: a second item on the line: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ https://example.com/c)'
    ]
  ],
  [
    ['urls/hostile/two-on-a-line.txt'],
    [
      'urls/hostile/two-on-a-line.txt:1:57: a second item on the line: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ]
  ],
  [
    ['urls/hostile/utf16-list.json'],
    [
      'urls/hostile/utf16-list.json: not UTF-8: the file is UTF-16 (little-endian, without a byte-order mark); save it as UTF-8'
    ]
  ],
  [
    ['urls/hostile/utf16.txt'],
    ['urls/hostile/utf16.txt: not UTF-8: the file is UTF-16 (little-endian, with a byte-order mark); save it as UTF-8']
  ]
]

const PASSWORD = 'Pa55w0rd-S3cret'
const INLINE_CASES: UrlCase[] = [
  [
    [],
    [
      'url-list:1:57: a second item on the line: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ)'
    ],
    [],
    'https://www.tiktok.com/@lumen/video/7301234567890123456 https://www.youtube.com/shorts/dQw4w9WgXcQ'
  ],
  [
    [],
    ['url-list:2:3: must not hold a user name or password (https://***@media.example.com/clip.mp4)'],
    [],
    `https://www.youtube.com/shorts/dQw4w9WgXcQ\n  https://lumen:${PASSWORD}@media.example.com/clip.mp4`
  ],
  [
    [],
    ['url-list:1:21: holds a control character (https://example.com/\\x1b[2J)'],
    [],
    'https://example.com/\u001b[2J'
  ],
  [[], ['url-list:1:21: holds a control character (https://example.com/\\x00)'], [], 'https://example.com/\u0000'],
  [
    [],
    [
      'url-list:1:56: holds a line break: one URL a line (https://www.tiktok.com/@lumen/video/7301234567890123456 https://example.com/b)'
    ],
    [],
    'https://www.tiktok.com/@lumen/video/7301234567890123456\u2028https://example.com/b'
  ]
]

describe('malformed judge files', () => {
  it.each([...JUDGE_CASES, ...HOSTILE_JUDGE_CASES])('%s', async (file, errors, warnings = []) => {
    expect(await problemsOf(() => loadJudgeFile(`judge/${file}`, { cwd }))).toEqual({ errors, warnings })
  })
})

describe('malformed URL lists', () => {
  it.each([...URL_CASES, ...HOSTILE_URL_CASES, ...INLINE_CASES])(
    '%j',
    async (patterns, errors, notices = [], inline) => {
      expect(await problemsOf(() => loadUrlLists(patterns, { cwd, inline }))).toEqual({ errors, warnings: notices })
    }
  )
})

/** No password of the corpus reaches any message, even escaped or cut. */
it('no problem of the corpus echoes a password', async () => {
  const lists = HOSTILE_URL_CASES.map(([patterns]) => patterns).filter(([p]) => p.includes('credentials'))
  for (const patterns of lists) {
    const { errors } = await problemsOf(() => loadUrlLists(patterns, { cwd }))
    expect(errors.length).toBeGreaterThan(0)
    for (const line of errors) expect(line.toLowerCase()).not.toContain('s3cret')
  }
})

/** Files made at run time: what a repository cannot hold, or what would be megabytes in it. */
describe('special and huge files', () => {
  let dir: string
  let socket: Server
  const V = 'https://www.tiktok.com/@lumen/video/7301234567890123456'

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pique-corpus-'))
    const at = (name: string) => join(dir, name)
    execFileSync('mkfifo', [at('pipe.yml')])
    execFileSync('mkfifo', [at('pipe.txt')])
    symlinkSync('/dev/zero', at('zero.yml'))
    symlinkSync('/dev/null', at('null.json'))
    symlinkSync('/dev/urandom', at('urandom.txt'))
    symlinkSync('loop-b.yml', at('loop-a.yml'))
    symlinkSync('loop-a.yml', at('loop-b.yml'))
    symlinkSync('gone.yml', at('dangling.yml'))
    mkdirSync(at('folder.yml'))
    mkdirSync(at('folder.txt'))
    writeFileSync(at('plain.yml'), 'name: x\n')
    // Sparse: 50 MB on paper, no disk or memory used; refused from its size before a byte is read.
    writeFileSync(at('huge.yml'), '')
    truncateSync(at('huge.yml'), 50 * 1024 * 1024)
    writeFileSync(at('huge.txt'), '')
    truncateSync(at('huge.txt'), 50 * 1024 * 1024)
    writeFileSync(at('small-limit.txt'), `${V}\n${V}?2\n`)
    // Deep enough to overflow the parsers' stacks: the limit must be found before they recurse.
    writeFileSync(at('deep-100k.yml'), `name: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)
    writeFileSync(at('deep-100k.json'), `{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`)
    writeFileSync(at('deep-block.yml'), `${'- '.repeat(20_000)}x\n`)
    writeFileSync(at('deep-100k-list.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)
    mkdirSync(at('globbed'))
    execFileSync('mkfifo', [at('globbed/a-pipe.txt')])
    writeFileSync(at('globbed/b.txt'), `${V}\n`)
    socket = createServer()
    await new Promise<void>(done => socket.listen(at('socket.yml'), done))
  })

  afterAll(async () => {
    await new Promise(done => socket.close(done))
    rmSync(dir, { recursive: true, force: true })
  })

  // Where a parser's stack gave out depends on the stack's size: only the message and line are certain.
  const overflowed = (file: string) =>
    expect.stringMatching(new RegExp(`^${file}:1:\\d+: nested deeper than 64 levels of lists and mappings$`))
  const SPECIAL_JUDGES: [string, unknown[]][] = [
    ['pipe.yml', ['pipe.yml: is a named pipe (FIFO), expected a regular file']],
    ['zero.yml', ['zero.yml: is a device, expected a regular file']],
    ['null.json', ['null.json: is a device, expected a regular file']],
    ['socket.yml', ['socket.yml: is a socket, expected a regular file']],
    ['folder.yml', ['folder.yml: is a directory, expected a file']],
    ['loop-a.yml', ['loop-a.yml: too many levels of symbolic links']],
    ['dangling.yml', ['dangling.yml: file not found']],
    ['plain.yml/inner.yml', ['plain.yml/inner.yml: not found: a part of the path is not a directory']],
    ['huge.yml', ['huge.yml: file too large: 52428800 bytes, the limit is 1048576 bytes (1 MiB)']],
    ['\u001b[31mred.yml', ['\\x1b[31mred.yml: file not found']],
    ['deep-100k.yml', [overflowed('deep-100k.yml')]],
    // JSON is measured before parsing: the exact place where the 65th level opens.
    ['deep-100k.json', ['deep-100k.json:1:73: nested deeper than 64 levels of lists and mappings']],
    ['deep-block.yml', [overflowed('deep-block.yml')]]
  ]

  it.each(SPECIAL_JUDGES)('judge %j', async (file, errors) => {
    expect(await problemsOf(() => loadJudgeFile(file, { cwd: dir }))).toEqual({ errors, warnings: [] })
  })

  const SPECIAL_LISTS: [string[], string[], number?][] = [
    [['pipe.txt'], ['pipe.txt: is a named pipe (FIFO), expected a regular file']],
    [['urandom.txt'], ['urandom.txt: is a device, expected a regular file']],
    [['folder.txt'], ['folder.txt: is a directory, expected a file']],
    [
      ['huge.txt'],
      [
        'huge.txt: file too large: 52428800 bytes, the limit is 10485760 bytes (10 MiB); set PIQUE_MAX_URL_LIST_BYTES to read larger lists'
      ]
    ],
    [
      ['small-limit.txt'],
      [
        'small-limit.txt: file too large: 114 bytes, the limit is 64 bytes (64 bytes); set PIQUE_MAX_URL_LIST_BYTES to read larger lists'
      ],
      64
    ],
    [['deep-100k-list.json'], ['deep-100k-list.json:1:65: nested deeper than 64 levels of lists and mappings']]
  ]

  // A default value: jest would take a third declared parameter that a row lacks for its done callback.
  it.each(SPECIAL_LISTS)('URL list %j', async (patterns, errors, maxBytes = undefined) => {
    expect(await problemsOf(() => loadUrlLists(patterns, { cwd: dir, maxBytes }))).toEqual({ errors, warnings: [] })
  })

  it('a glob reads the regular files it matches and passes a FIFO by', async () => {
    const list = await loadUrlLists(['globbed/*'], { cwd: dir })
    expect(list.urls.map(u => [u.url, u.source.file])).toEqual([[V, 'globbed/b.txt']])
  })

  it('PIQUE_MAX_URL_LIST_BYTES raises the URL list limit; a value that is not a size is a problem naming it', () => {
    expect(urlListByteLimit({})).toBe(10 * 1024 * 1024)
    expect(urlListByteLimit({ PIQUE_MAX_URL_LIST_BYTES: '104857600' })).toBe(100 * 1024 * 1024)
    for (const bad of ['lots', '-1', '0', '1.5', '1e400']) {
      let error: unknown
      try {
        urlListByteLimit({ PIQUE_MAX_URL_LIST_BYTES: bad })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).problems.map(formatProblem)).toEqual([
        `PIQUE_MAX_URL_LIST_BYTES: expected a whole number of bytes above 0, got "${bad}"`
      ])
    }
  })
})

/** Bad action inputs and flags: one settings error naming the input, never an internal error, no password. */
const SETTINGS_CASES: [string, Partial<Record<InputName, string>>, InputName, string][] = [
  [
    'action',
    { 'api-url': `https://lumen:${PASSWORD}@api.example.com` },
    'api-url',
    'api-url: must not hold a user name or password (https://***@api.example.com/)'
  ],
  [
    'action',
    { 'api-url': 'https://lumen@api.example.com' },
    'api-url',
    'api-url: must not hold a user name or password (https://***@api.example.com/)'
  ],
  [
    'action',
    { 'api-url': `https://:${PASSWORD}@api.example.com` },
    'api-url',
    'api-url: must not hold a user name or password (https://***@api.example.com/)'
  ],
  [
    'cli',
    { 'api-url': `https://lumen:${PASSWORD}@api.example.com` },
    'api-url',
    '--api-url: must not hold a user name or password (https://***@api.example.com/)'
  ],
  [
    'action',
    { 'api-url': `https:lumen:${PASSWORD}@api.example.com` },
    'api-url',
    'api-url: must not hold a user name or password (https://***@api.example.com/)'
  ],
  [
    'action',
    { 'api-url': `https:\\\\lumen:${PASSWORD}@api.example.com` },
    'api-url',
    'api-url: must not hold a user name or password (https://***@api.example.com/)'
  ],
  [
    'action',
    { 'api-url': `https://lumen:${PASSWORD}@` },
    'api-url',
    'api-url: must not hold a user name or password (https://***@)'
  ],
  [
    'action',
    { 'store-url': `https://lumen:${PASSWORD}@store.example.com/`, 'store-token': 'st_read' },
    'store-url',
    'store-url: must not hold a user name or password (https://***@store.example.com/)'
  ],
  [
    'cli',
    { 'store-url': `HTTPS://LUMEN:${PASSWORD.toUpperCase()}@STORE.EXAMPLE.COM/`, 'store-token': 'st_read' },
    'store-url',
    '--store-url: must not hold a user name or password (https://***@store.example.com/)'
  ],
  [
    'action',
    { 'webhook-url': `https://lumen:${PASSWORD}@hooks.example.com/pique` },
    'webhook-url',
    'webhook-url: must not hold a user name or password (https://***@hooks.example.com/pique)'
  ],
  [
    'cli',
    { 'webhook-url': `https://lu%40men:${PASSWORD}%3A@hooks.example.com/pique` },
    'webhook-url',
    '--webhook-url: must not hold a user name or password (https://***@hooks.example.com/pique)'
  ],
  ['action', { 'api-url': 'https://api.example.com/\u001b[2J' }, 'api-url', ''],
  ['action', { 'api-url': '\u001b[31mnot a url' }, 'api-url', 'api-url: not a valid URL: "\\x1b[31mnot a url"'],
  ['action', { threshold: '\u009b2J' }, 'threshold', 'threshold: expected a number from 0 to 1, got "\\x9b2J"'],
  [
    'action',
    { threshold: '9'.repeat(5000) },
    'threshold',
    `threshold: expected a number from 0 to 1, got "${'9'.repeat(452)}…`
  ]
]

describe('bad action inputs and flags', () => {
  it.each(SETTINGS_CASES)('%s input, case %#', (surface, values, input, message) => {
    const where = surface === 'cli' ? CLI_SURFACE : ACTION_SURFACE
    const all = { judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7', ...values }
    let error: unknown
    try {
      readSettings(mapInputs(all), where)
    } catch (e) {
      error = e
    }
    if (!message) {
      // A control character in a URL's path is percent-encoded by the URL parser: a valid URL, nothing echoed raw.
      expect(error).toBeUndefined()
      return
    }
    expect(error).toBeInstanceOf(SettingsError)
    expect({ input: (error as SettingsError).input, message: (error as Error).message }).toEqual({ input, message })
    const failure = describeFailure(error, where)
    expect({ kind: failure.kind, usage: failure.usage }).toEqual({ kind: 'settings', usage: true })
    expect(failure.hint).not.toMatch(/report it/)
    expect(failure.message.toLowerCase()).not.toContain(PASSWORD.toLowerCase())
  })
})

it('the corpus has at least 150 malformed inputs', () => {
  const malformed = [
    ...JUDGE_CASES,
    ...HOSTILE_JUDGE_CASES,
    ...URL_CASES,
    ...HOSTILE_URL_CASES,
    ...INLINE_CASES
  ].filter(([, errors]) => errors.length).length
  const generated = 13 + 6 + 5 // special judges, special lists, PIQUE_MAX_URL_LIST_BYTES values
  expect(malformed + generated + SETTINGS_CASES.filter(([, , , m]) => m).length).toBeGreaterThanOrEqual(150)
})

/**
 * The malformed-config corpus: every file under __tests__/fixtures/config/ with the exact lines a user sees.
 * Paths are given relative to the fixtures folder (as a user gives them relative to their cwd).
 */
import { describe, expect, it } from '@jest/globals'
import { ConfigError, formatProblem, loadJudgeFile, loadUrlLists } from '../../src/config/load.js'

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

const JUDGE_CASES: [string, string[], string[]?][] = [
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
      'judge/unknown-top-level-key.yml:4:1: owner: unknown key; expected one of name, description, content_type, detectors, id, $schema'
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

const URL_CASES: [string[], string[], string[]?, string?][] = [
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
      'urls/duplicates.txt:4:1: duplicate of urls/duplicates.txt:1',
      'urls/duplicates.txt:5:1: duplicate of urls/duplicates.txt:2',
      'urls/duplicates.txt:6:1: duplicate of urls/duplicates.txt:1'
    ]
  ],
  [
    ['urls/more.txt', 'urls/duplicates.txt'],
    [],
    [
      'urls/duplicates.txt:1:1: duplicate of urls/more.txt:2',
      'urls/duplicates.txt:4:1: duplicate of urls/more.txt:2',
      'urls/duplicates.txt:5:1: duplicate of urls/duplicates.txt:2',
      'urls/duplicates.txt:6:1: duplicate of urls/more.txt:2'
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

describe('malformed judge files', () => {
  it.each(JUDGE_CASES)('%s', async (file, errors, warnings = []) => {
    expect(await problemsOf(() => loadJudgeFile(`judge/${file}`, { cwd }))).toEqual({ errors, warnings })
  })
})

describe('malformed URL lists', () => {
  it.each(URL_CASES)('%j', async (patterns, errors, notices = [], inline) => {
    expect(await problemsOf(() => loadUrlLists(patterns, { cwd, inline }))).toEqual({ errors, warnings: notices })
  })
})

it('the corpus has at least 30 malformed files', () => {
  const malformed =
    JUDGE_CASES.filter(([, errors]) => errors.length).length + URL_CASES.filter(([, errors]) => errors.length).length
  expect(malformed).toBeGreaterThanOrEqual(30)
})

/** Judge files, URL lists and the emulator scenario shared by the end-to-end tests. */
import { randomUUID } from 'node:crypto'
import type { ScenarioRule } from '../../src/emulator/options.js'

export const SCENARIO: ScenarioRule[] = [
  { match: 'https://clips.example/pass/*', score: 0.9 },
  { match: 'https://clips.example/good/*', score: 0.8 },
  { match: 'https://clips.example/low/*', score: 0.4, failDetectors: ['video_specs'] },
  { match: 'https://clips.example/fail/*', fail: 'Video download blocked by bot detection' },
  { match: 'https://clips.example/never/*', never: true },
  { match: 'https://clips.example/slow/*', score: 0.85, delayMs: 300 }
]

/** A judge file; a fresh name by default, so the first run creates it. */
export function judgeYaml(name = `E2E ${randomUUID()}`, extraDetectors = ''): string {
  return [
    `name: ${name}`,
    'description: End-to-end test judge',
    'content_type: video',
    'detectors:',
    '  - detector_name: video_specs',
    '    config:',
    '      min_width: 720',
    '      allowed_aspect_ratios: ["9:16"]',
    extraDetectors,
    ''
  ].join('\n')
}

export const MATCHING_REFERENCE = 'gs://pique-reference/launch.mp4'

export const MATCHING_DETECTOR = [
  '  - detector_name: video_matching',
  '    config:',
  `      reference_videos: ["${MATCHING_REFERENCE}"]`
].join('\n')

export const urlList = (...paths: string[]): string =>
  `# clips\n${paths.map(p => `https://clips.example/${p}`).join('\n')}\n`

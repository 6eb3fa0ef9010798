/** How reports show media files: path, size, type, hash, measured specs, and a job Pique never received the upload of. */
import { describe, expect, it } from '@jest/globals'
import type { FileItem, ItemOutcome } from '../../src/model/index.js'
import { buildJsonReport, compactJson } from '../../src/report/json.js'
import { explainOutcome } from '../../src/report/outcomes.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { reportOf, summaryOf } from './fixtures.js'

const file = (path: string, overrides: Partial<FileItem> = {}): FileItem => ({
  kind: 'file',
  path,
  source: { file: 'content/media.yml', line: 3 },
  size: 12_345_678,
  sha256: 'ab'.repeat(32),
  contentType: 'video',
  mime: 'video/mp4',
  ...overrides
})

function awaitingUpload(): ItemOutcome {
  return {
    ...file('content/clips/stuck.mp4'),
    state: 'pending',
    jobId: 'job_StuckStuckStuck1',
    result: {
      event: 'evaluation.pending',
      jobId: 'job_StuckStuckStuck1',
      status: 'awaiting_upload',
      outcome: 'running',
      detectorResults: []
    },
    submittedAt: '2026-03-02T10:00:05.000Z'
  }
}

function wideClip(): ItemOutcome {
  return {
    ...file('content/clips/wide.mp4', { title: 'Launch teaser' }),
    state: 'below_threshold',
    jobId: 'job_WideWideWideWide',
    score: 0.33,
    result: {
      event: 'evaluation.completed',
      jobId: 'job_WideWideWideWide',
      status: 'completed',
      outcome: 'completed',
      overallScore: 0.33,
      detectorResults: [
        {
          detectorName: 'video_specs',
          passCheck: false,
          score: 0.33,
          rationale: 'Video specs do not meet requirements: height below minimum (720 vs 1920)',
          metrics: { video_specs: { width: 1280, height: 720, aspect_ratio: '16:9', fps: 30, duration_sec: 12.5 } }
        }
      ]
    },
    submittedAt: '2026-03-02T10:00:05.000Z',
    finishedAt: '2026-03-02T10:01:00.000Z'
  }
}

describe('media files in reports', () => {
  it('are written the same by the compact JSON writer of large reports, between URL items', () => {
    const url = (n: number): ItemOutcome => ({
      kind: 'url',
      url: `https://www.tiktok.com/@b/video/${n}?x="q"\u2028`,
      source: { file: 'urls.txt', line: n },
      state: 'passed',
      jobId: `job_${n}`,
      score: 0.9
    })
    const json = buildJsonReport(reportOf([url(1), wideClip(), url(2), awaitingUpload(), url(3)]))
    expect(compactJson(json)).toBe(JSON.stringify(json))
    expect(JSON.parse(compactJson(json))).toEqual(json)
  })

  it('say a job still awaiting_upload at the deadline never had its upload received', () => {
    const report = reportOf([awaitingUpload()])
    expect(report.items[0].state).toBe('pending')
    expect(explainOutcome(report.items[0], report)).toBe(
      'not finished by the deadline: Pique never received the upload (job job_StuckStuckStuck1 still awaiting_upload)'
    )
    expect(report.reason).toBe('1 unfinished at the deadline (timeout-minutes)')
  })

  it('name the file with its size, type, hash and the measured specs, in the summary, terminal and JSON', () => {
    const report = reportOf([wideClip()])
    expect(report.reason).toBe('1 of 1 file scored below 0.70')
    const summary = summaryOf(report)
    expect(summary).toContain('| Result | Why | File · source |')
    expect(summary).toContain(
      'content/<wbr>clips/<wbr>wide.mp4<br>12 MB · video/mp4 · measured 1280x720 (16:9), 30 fps, 12.5 s'
    )
    expect(summary).toContain(`sha256 <code>${'ab'.repeat(32)}</code>`)
    expect(summary).toContain('title “Launch teaser”')
    expect(renderTerminal(report)).toMatch(/FILE\s+SOURCE/)
    const json = buildJsonReport(report)
    expect(json.urls).toEqual([])
    expect(json.items[0]).toMatchObject({
      kind: 'file',
      path: 'content/clips/wide.mp4',
      size_bytes: 12_345_678,
      sha256: 'ab'.repeat(32),
      measured: { width: 1280, height: 720, aspect_ratio: '16:9', fps: 30, duration_sec: 12.5 },
      source: { file: 'content/media.yml', line: 3 },
      state: 'below_threshold'
    })
  })
})

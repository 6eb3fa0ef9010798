/** How reports show media files: path, size, type, hash, measured specs, and a job Pique never received the upload of. */
import { describe, expect, it } from '@jest/globals'
import type { FileItem, ItemOutcome } from '../../src/model/index.js'
import { buildJsonReport, compactJson } from '../../src/report/json.js'
import { annotationTarget, explainOutcome } from '../../src/report/outcomes.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { describeFailure, failureReport } from '../../src/gate/failure.js'
import { PiqueApiError } from '../../src/pique/errors.js'
import { renderComment } from '../../src/report/comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { planAnnotations } from '../../src/report/annotations.js'
import { renderJunit } from '../../src/report/junit.js'
import { commentOf, completed, good, reportOf, summaryOf } from './fixtures.js'

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

  it('count failing, hidden and skipped media files as files, and a mix as items, never as URLs', () => {
    // 12 failing files: 10 annotated (GitHub's cap), 2 listed only in the summary.
    const clips = Array.from({ length: 12 }, (_, i) => ({
      ...wideClip(),
      path: `content/clips/wide-${i}.mp4`,
      source: { file: 'content/media.yml', line: i + 1 }
    }))
    const report = reportOf(clips, { skippedUnchanged: 2, skippedUnchangedKinds: ['file'] })
    const summary = summaryOf(report)
    expect(summary).toContain(
      '- **Annotations:** 10 failing files annotated; 2 more failing files are listed only here'
    )
    expect(summary).toContain(
      '2 unchanged files skipped (only-changed: only files added or changed in this pull request were evaluated).'
    )
    expect(summary).not.toMatch(/\bURLs?\b/)
    const comment = commentOf(report)
    expect(comment).toContain('2 unchanged files skipped (only-changed).')
    expect(renderTerminal(report)).toContain('2 unchanged files skipped (only-changed)')

    // A summary and a comment too small for every row say how many more files.
    const tight = renderSummary(report, { maxBytes: 6_000, annotations: planAnnotations(report) })
    expect(tight).toMatch(
      /\d+ more files are not shown (in this table|with details) \(.*\)[^]*Every file is in the JSON report/
    )
    const short = renderComment(report, { judgeKey: 'j', maxChars: 3_000 })
    expect(short).toMatch(/…and \d+ more files needing attention/)

    // URLs and files together are items.
    const mixed = reportOf(
      [
        ...clips.slice(0, 1),
        completed('https://www.tiktok.com/@acme/video/7301', 'content/urls.txt', 1, 0.41, 0.7, good())
      ],
      { skippedUnchanged: 3, skippedUnchangedKinds: ['url', 'file'] }
    )
    const mixedSummary = summaryOf(mixed)
    expect(mixedSummary).toContain('- **Annotations:** 2 failing items annotated')
    expect(mixedSummary).toContain('3 unchanged items skipped (only-changed: only items added or changed')
  })

  it('name a media file given directly in the files input by its path: JUnit class, linked source, annotation', () => {
    // Named in the files input itself, a file is its own source, with no line (0).
    const direct: ItemOutcome = { ...wideClip(), source: { file: 'content/clips/wide.mp4', line: 0 } }
    const report = reportOf([direct])
    expect(renderJunit(report)).toContain('<testcase classname="content/clips/wide.mp4" name="content/clips/wide.mp4"')
    expect(renderJunit(report)).toContain('source: content/clips/wide.mp4\n')
    const summary = renderSummary(report, {
      sourceLinks: { serverUrl: 'https://github.com', repository: 'acme/site', sha: 'abc123' }
    })
    expect(summary).toContain('href="https://github.com/acme/site/blob/abc123/content/clips/wide.mp4"')
    expect(summary).not.toContain('wide.mp4#L')
    expect(summary).not.toContain('url-list')
    expect(planAnnotations(report).errors.map(o => o.source)).toEqual([direct.source])
    expect(annotationTarget(direct)).toStrictEqual({ file: 'content/clips/wide.mp4', startLine: undefined })
  })

  it('count a media file that was never evaluated as a file in the reason', () => {
    const never: ItemOutcome = {
      ...file('content/clips/huge.mp4'),
      state: 'not_evaluated',
      notEvaluated: { reason: 'refused', detail: 'Pique refused the upload: file too large' }
    }
    expect(reportOf([never]).reason).toMatch(/^1 file not evaluated \(/)
  })

  it('a run stopped by an error says which media files it had, as files', () => {
    const error = new PiqueApiError('GET /v1/judges: 401 Unauthorized', 401, 'GET', '/v1/judges', 'invalid API key')
    const plannedItems = [file('content/clips/a.mp4'), file('content/clips/b.mp4')]
    const report = failureReport(describeFailure(error), {
      startedAt: '2026-03-02T10:00:00.000Z',
      threshold: 0.7,
      failOnError: true,
      waitMode: 'api',
      plannedItems,
      inputs: { judge: '.pique/judge.yml', files: 'content/clips/*.mp4' }
    })
    const summary = renderSummary(report, {})
    expect(summary).toContain('- Media files: content/clips/&#42;.mp4')
    expect(summary).toContain('- 2 valid files')
    expect(summary).not.toMatch(/\bURLs?\b/)
  })
})

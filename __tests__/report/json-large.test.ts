/** The JSON report at scale: indented for people up to 1,000 items, compact beyond; secrets redacted either way. */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decide } from '../../src/gate/verdict.js'
import type { ItemOutcome } from '../../src/model/index.js'
import type { EvaluationResult } from '../../src/pique/results.js'
import { INDENTED_REPORT_MAX_ITEMS, writeJsonReport } from '../../src/report/json.js'

function report(n: number, rationale: string) {
  const outcomes: ItemOutcome[] = Array.from({ length: n }, (_, i) => ({
    kind: 'url',
    url: `https://www.tiktok.com/@b/video/${i}`,
    source: { file: 'urls.txt', line: i + 1 },
    state: 'submitted',
    jobId: `job_${i}`
  }))
  const results = new Map<string, EvaluationResult>(
    outcomes.map(o => [
      o.jobId as string,
      {
        event: 'evaluation.completed',
        jobId: o.jobId as string,
        status: 'completed',
        outcome: 'completed',
        overallScore: 0.9,
        detectorResults: [{ detectorName: 'video_specs', passCheck: true, score: 0.9, rationale }]
      }
    ])
  )
  return decide({
    threshold: 0.5,
    failOnError: true,
    waitMode: 'store',
    batchIds: [],
    outcomes,
    results,
    timedOut: false,
    skippedUnchanged: 0,
    startedAt: new Date().toISOString(),
    inputs: {},
    warnings: []
  })
}

describe('writeJsonReport', () => {
  it('indents up to the limit, writes compact beyond it, and redacts secrets as written and as JSON escapes them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pique-json-'))
    try {
      const secret = 'tok"en\\1234'
      for (const n of [INDENTED_REPORT_MAX_ITEMS, INDENTED_REPORT_MAX_ITEMS + 1]) {
        const path = join(dir, `${n}.json`)
        await writeJsonReport(report(n, `leaked ${secret} here`), path, [secret])
        const text = readFileSync(path, 'utf8')
        expect(text.startsWith('{\n  "schema_version"')).toBe(n <= INDENTED_REPORT_MAX_ITEMS)
        const json = JSON.parse(text) as { urls: { detectors: { rationale: string }[] }[]; items: unknown[] }
        expect(json.urls).toHaveLength(n)
        expect(json.items).toHaveLength(n)
        expect(json.urls[0].detectors[0].rationale).toBe('leaked *** here')
        expect(text).not.toContain('1234')
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** What a reader sees in the job summary, the PR comment, the terminal and JUnit, for every kind of run. */
import { describe, expect, it } from '@jest/globals'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { commentMarker, renderComment } from '../../src/report/comment.js'
import { renderJunit } from '../../src/report/junit.js'
import { SUMMARY_LIMIT_BYTES, renderSummary } from '../../src/report/summary.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { sourceMarkdown, sourceUrl } from '../../src/report/markdown.js'
import {
  commentOf,
  completed,
  good,
  failedEvaluationRun,
  failingRun,
  largeRun,
  mixedRun,
  passingRun,
  reportOf,
  skippedRun,
  summaryOf,
  timedOutRun
} from './fixtures.js'

/** The table rows of a rendered markdown table that follows `header`. */
const tableRows = (md: string, header: string) => {
  const lines = md.split('\n')
  const start = lines.indexOf(header)
  const rows: string[] = []
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i])
  return rows
}
const URL_HEADER = '| Result | Why | URL · source |'

describe('job summary', () => {
  it('passing run: verdict, counts, threshold, judge, every URL passed', () => {
    const md = summaryOf(passingRun())
    expect(md.split('\n')[0]).toBe('## ✅ Pique gate passed')
    expect(md).toContain('**All 2 evaluated URLs scored at least 0.70 (lowest 0.81)**')
    // The judge's id is among the facts after the table.
    expect(md).toContain(
      '- **Judge:** Spring launch: brand safety (<code>3f6c2a9e-8b1d-4c57-9e0a-5d2b7f41c8aa</code>, reused)'
    )
    expect(md.indexOf('**Judge:**')).toBeGreaterThan(md.indexOf(URL_HEADER))
    const rows = tableRows(md, URL_HEADER)
    expect(rows).toHaveLength(2)
    expect(rows.every(r => r.startsWith('| ✅ '))).toBe(true)
    // Worst first even among passes: the lower score leads.
    expect(rows[0]).toMatch(/^\| ✅ 0\.81 \|/)
    expect(md).not.toContain('Annotations')
  })

  it('failing run: the failing detector and its rationale are in the table', () => {
    const md = summaryOf(failingRun())
    expect(md.split('\n')[0]).toBe('## ❌ Pique gate failed')
    const [row] = tableRows(md, URL_HEADER)
    expect(row).toMatch(
      /^\| ❌ 0\.41 \| \*\*video&#95;specs\*\* \(0\.20\): Aspect ratio 16:9 is not allowed \(expected 9:16\) \|/
    )
    expect(row).not.toContain('transcript&#95;product')
    expect(md).toContain('- **Annotations:** 1 failing URL annotated in its file')
  })

  it('mixed run: worst first, every state, details per URL, only-changed count', () => {
    const md = summaryOf(mixedRun())
    expect(md).toContain('3 unchanged URLs skipped (only-changed')
    const order = tableRows(md, URL_HEADER).map(r => r.split(' | ')[0].replace('| ', ''))
    expect(order).toEqual([
      '❌ 0.34', // lowest score first
      '❌ 0.58',
      '💥 evaluation failed',
      '⏳ unfinished',
      '✅ 0.88',
      '✅ 0.92'
    ])
    const rows = tableRows(md, URL_HEADER)
    // The why says what the result does not: the error itself, how far the job got.
    expect(rows[2]).toContain('| 💥 evaluation failed | Failed to download video: bot detection |')
    expect(rows[3]).toContain('| ⏳ unfinished | still processing at the deadline |')
    expect(rows[3]).toContain('content/<wbr>more.yaml:2')
    expect(rows[4]).toContain('url-list input')
    expect((md.match(/<details>/g) ?? []).length).toBe(6)
    // Details list every detector with key metrics, failing or not.
    expect(md).toContain('| video&#95;specs | ❌ fail | 0.20 |')
    expect(md).toContain('| transcript&#95;product | ✅ pass | 0.90 | Brand and product named. | mentions=3 |')
    expect(md).toContain('width=640<br>height=360<br>aspect&#95;ratio=16:9')
    expect(md).toContain('flagged at 12.5s, 31s')
    expect(md).not.toContain('[!NOTE]')
  })

  it('escapes user text: no HTML, no broken table, no @mention', () => {
    const md = summaryOf(mixedRun())
    const row = tableRows(md, URL_HEADER)[1]
    expect(row).toContain(
      'Product &#34;Glow Serum&#34; is never named &#124; only the brand &#60;Acme&#62; appears; &#64;marketing please check'
    )
    expect(row.split(' | ')).toHaveLength(3) // the rationale's | did not add a column
    expect(md).not.toContain('<Acme>')
    expect(md).not.toContain('@marketing')
    expect(md).toContain('&#42;complaints&#42;')
    expect(md).toContain(
      '<a href="https://www.tiktok.com/@acme/video/7302">tiktok.com/<wbr>&#64;acme/<wbr>video/<wbr>7302</a>'
    )
  })

  it('failed evaluation: fails the gate, or is a warning with fail-on-error false', () => {
    const strict = summaryOf(failedEvaluationRun(true))
    expect(tableRows(strict, URL_HEADER)[0]).toContain(
      '| 💥 evaluation failed | Failed to download video: bot detection |'
    )
    expect(strict).toContain('- **Annotations:** 1 failing URL annotated')
    const lenient = summaryOf(failedEvaluationRun(false))
    expect(lenient.split('\n')[0]).toBe('## ✅ Pique gate passed')
    expect(tableRows(lenient, URL_HEADER)[0]).toContain('⚠️ evaluation failed (warning)')
    expect(lenient).toContain('fail-on-error: false')
  })

  it('timed-out run: the unfinished URL is named with its job status', () => {
    const md = summaryOf(timedOutRun())
    expect(md).toContain('**1 unfinished at the deadline (timeout-minutes)**')
    expect(tableRows(md, URL_HEADER)[0]).toMatch(
      /^\| ⏳ unfinished \| still processing at the deadline \| .*zZ9yY8.*<br>content\/<wbr>urls.txt:2 \|$/
    )
    expect(md).toContain('Job status at the deadline: processing')
  })

  it('skipped run: says why once, and what was validated', () => {
    const md = renderSummary(skippedRun(), { reportPath: 'r.json' })
    expect(md.split('\n')[0]).toBe('## ⏭️ Pique gate skipped')
    expect(md).toContain('Evaluation skipped: api-key is empty: repository secrets are not available to this event')
    expect(md.match(/secrets/g)).toHaveLength(1)
    expect(md).toContain('- Judge file: .pique/judge.yml')
    expect(md).toContain('- URL lists: content/urls.txt')
    expect(md).not.toContain(URL_HEADER)
  })

  it('5,000 URLs stay under 1 MiB, failing URLs first, with a note pointing at the JSON report', () => {
    const report = largeRun(5000)
    const md = summaryOf(report)
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_LIMIT_BYTES)
    const rows = tableRows(md, URL_HEADER)
    expect(rows.length).toBeGreaterThan(500)
    expect(rows.length).toBeLessThan(5000)
    // All 500 below-threshold URLs made it into the table, ahead of the passes.
    expect(rows.slice(0, 500).every(r => r.startsWith('| ❌ '))).toBe(true)
    expect(rows[500]).toMatch(/^\| ✅ /)
    expect(md).toMatch(
      /\d+ more URLs are not shown in this table \(none of them failing\) to stay under GitHub's 1 MiB summary limit\. Every URL is in the JSON report: out\/pique-gate-report.json/
    )
    expect(md).toMatch(/\d+ more URLs are not shown with details/)
    // The numbers add up.
    const hidden = Number(/(\d+) more URLs are not shown in this table/.exec(md)?.[1])
    expect(rows.length + hidden).toBe(5000)
  })

  it('the annotation count says how many failing URLs are only in the summary', () => {
    const md = summaryOf(largeRun(200))
    expect(md).toContain(
      '- **Annotations:** 10 failing URLs annotated in their files; 10 more failing URLs are listed only here'
    )
  })
})

describe('pull request comment', () => {
  it('starts with the hidden marker for its judge, then the verdict and failing URLs only', () => {
    const md = commentOf(mixedRun())
    const lines = md.split('\n')
    expect(lines[0]).toBe('<!-- pique-gate:.pique/judge.yml -->')
    expect(lines[1]).toBe('## ❌ Pique gate failed')
    expect(md).toContain(
      '**2 of 6 URLs scored below 0.70; 1 evaluation failed; 1 unfinished at the deadline (timeout-minutes)**'
    )
    const rows = tableRows(md, URL_HEADER)
    expect(rows).toHaveLength(4)
    expect(rows[0]).toContain('| **video&#95;specs** (0.20): Aspect ratio 16:9 is not allowed')
    expect(md).not.toContain('✅')
    expect(md).toContain('3 unchanged URLs skipped (only-changed).')
    // The judge by name only: its id belongs in the job summary's details.
    expect(md).not.toContain('3f6c2a9e-8b1d-4c57-9e0a-5d2b7f41c8aa')
    expect(md).toContain(
      '<sub>0 reused, 6 evaluated (billed) · judge Spring launch: brand safety (reused) · evaluated abcdef1 · [workflow run](https://github.com/acme/site/actions/runs/9)'
    )
  })

  it('passing run: no table, the reason says it once', () => {
    const md = commentOf(passingRun())
    expect(md).toContain('## ✅ Pique gate passed')
    expect(md).toContain('**All 2 evaluated URLs scored at least 0.70 (lowest 0.81)**')
    expect(md.match(/at least/g)).toHaveLength(1)
    expect(md).not.toContain(URL_HEADER)
  })

  it('failed evaluation and timed out runs list those URLs', () => {
    expect(tableRows(commentOf(failedEvaluationRun()), URL_HEADER)[0]).toContain(
      '| 💥 evaluation failed | Failed to download video: bot detection |'
    )
    expect(tableRows(commentOf(timedOutRun()), URL_HEADER)[0]).toContain('⏳ unfinished')
  })

  it('skipped run explains why evaluation did not happen', () => {
    const md = renderComment(skippedRun(), { judgeKey: 'j.yml' })
    expect(md).toContain('## ⏭️ Pique gate skipped')
    expect(md).toContain('repository secrets are not available to this event')
  })

  it('stays under GitHub’s comment limit and says how many are left out', () => {
    const md = commentOf(largeRun(5000))
    expect(md.length).toBeLessThan(65_536)
    const shown = tableRows(md, URL_HEADER).length
    const more = Number(/…and (\d+) more URLs needing attention/.exec(md)?.[1])
    expect(shown + more).toBe(500)
  })

  it('markers differ per judge and cannot close the HTML comment early', () => {
    expect(commentMarker('a.yml')).not.toBe(commentMarker('b.yml'))
    for (const key of ['x --> <b>', 'evil-->', 'a--!>b']) {
      const marker = commentMarker(key)
      expect(marker.startsWith('<!-- pique-gate:') && marker.endsWith(' -->')).toBe(true)
      expect(marker.slice('<!--'.length, -'-->'.length)).not.toMatch(/--|>/)
    }
  })
})

describe('terminal table', () => {
  it('lists URL, status, score and worst detector, worst first, then the verdict', () => {
    const out = renderTerminal(mixedRun())
    const lines = out.split('\n')
    expect(lines[0]).toMatch(/^STATUS\s+SCORE\s+URL\s+SOURCE\s+WORST DETECTOR \/ REASON$/)
    expect(lines[1]).toMatch(
      /^below threshold\s+0\.34\s+https:\/\/www\.instagram\.com\/reel\/Cx9_yZ\/\s+content\/urls\.txt:3\s+video_specs 0\.20: Aspect ratio/
    )
    const rows = lines.filter(l => !l.startsWith('    '))
    expect(rows[3]).toMatch(/^evaluation failed\s+—\s+https:\/\/www\.tiktok\.com\/@acme\/video\/7302/)
    expect(out).toContain('PIQUE GATE FAILED: 2 of 6 URLs scored below 0.70;')
    expect(out).toContain(
      '6 URLs: 2 passed, 2 below threshold, 1 failed evaluation, 1 unfinished; 0 reused, 6 evaluated (billed); threshold 0.70'
    )
  })

  it("uses the terminal width for the reason, and prints a failing row's cut reason in full on the next line", () => {
    const full = 'video_specs 0.20: Aspect ratio 16:9 is not allowed (expected 9:16); 640x360 is below min_width 720'
    const wide = renderTerminal(mixedRun(), { columns: 240 }).split('\n')
    expect(wide[1].endsWith(full)).toBe(true)
    expect(wide[2].startsWith('    ')).toBe(false)
    const narrow = renderTerminal(mixedRun(), { columns: 100 }).split('\n')
    expect(narrow[1]).toMatch(/…$/)
    expect(narrow[2]).toBe(`    ${full}`)
    // Only the four failing rows get a second line; a passing row's detector note may be cut.
    const passing = narrow.filter(l => l.startsWith('passed'))
    expect(passing.length).toBeGreaterThan(0)
    expect(narrow.filter(l => l.startsWith('    '))).toHaveLength(4)
  })

  it('shows control characters in user text escaped', () => {
    const report = failingRun()
    report.items[0].result!.detectorResults[0].rationale = 'bad\u001b[31m red'
    expect(renderTerminal(report)).not.toContain('\u001b')
  })
})

describe('JUnit XML', () => {
  const parse = (xml: string) =>
    new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      htmlEntities: true,
      isArray: name => name === 'testcase'
    }).parse(xml)

  it('is well-formed with one testcase per URL and the right counts', () => {
    const xml = renderJunit(mixedRun())
    expect(XMLValidator.validate(xml)).toBe(true)
    const suite = parse(xml).testsuites.testsuite
    expect(suite.testcase).toHaveLength(6)
    expect({ tests: suite.tests, failures: suite.failures, errors: suite.errors, skipped: suite.skipped }).toEqual({
      tests: '6',
      failures: '3',
      errors: '1',
      skipped: '0'
    })
    const byName = Object.fromEntries(suite.testcase.map((t: { name: string }) => [t.name, t]))
    expect(byName['https://www.youtube.com/shorts/aB3dE5'].failure.message).toContain(
      'Product "Glow Serum" is never named | only the brand <Acme> appears'
    )
    expect(byName['https://www.tiktok.com/@acme/video/7302'].error.type).toBe('failed')
    expect(byName['https://www.youtube.com/shorts/zZ9yY8'].failure.type).toBe('pending')
    expect(byName['https://www.youtube.com/shorts/qQ1wW2'].classname).toBe('url-list')
  })

  it('a tolerated failed evaluation is skipped; a skipped run skips nothing it did not have', () => {
    const suite = parse(renderJunit(failedEvaluationRun(false))).testsuites.testsuite
    expect({ errors: suite.errors, skipped: suite.skipped }).toEqual({ errors: '0', skipped: '1' })
    const skipped = renderJunit(skippedRun())
    expect(XMLValidator.validate(skipped)).toBe(true)
    expect(parse(skipped).testsuites.tests).toBe('0')
  })

  it('writes characters XML cannot carry as visible escapes', () => {
    const report = failingRun()
    report.items[0].result!.detectorResults[0].rationale = 'nul\u0000 and bell\u0007 & <tags>'
    report.items[0].error = 'escape\u001b[31m and form feed\u000c'
    const xml = renderJunit(report)
    expect(XMLValidator.validate(xml)).toBe(true)
    // The validator does not check characters: XML 1.0 forbids these even as entities, so none may remain.
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]|&#(0*([0-8]|1[1-2]|1[4-9]|2\d|3[01]));/)
    expect(xml).toContain('nul\\x00 and bell\\x07 &#38; &#60;tags&#62;')
  })
})

describe('source links', () => {
  const links = { serverUrl: 'https://github.com', repository: 'acme/site', sha: 'c0ffee1234', workspace: '/w/site' }
  it('link each source to its line at the commit, in the summary and the comment', () => {
    const blob = 'https://github.com/acme/site/blob/c0ffee1234/content/urls.txt#L3'
    const summary = renderSummary(mixedRun(), { sourceLinks: links })
    const comment = renderComment(mixedRun(), { judgeKey: 'j.yml', sourceLinks: links })
    for (const md of [summary, comment]) expect(md).toContain(`<a href="${blob}">content/<wbr>urls.txt:3</a>`)
    // Inline URLs have no file: plain text.
    expect(summary).toContain('<br>url-list input |')
  })

  it('make absolute paths under the workspace relative, encode odd characters, and leave the rest as text', () => {
    const at = (file: string) => sourceUrl({ file, line: 7 }, links)
    expect(at('/w/site/lists/a b#1.txt')).toBe('https://github.com/acme/site/blob/c0ffee1234/lists/a%20b%231.txt#L7')
    expect(at('./lists/a.txt')).toBe('https://github.com/acme/site/blob/c0ffee1234/lists/a.txt#L7')
    expect(at('/elsewhere/a.txt')).toBeUndefined()
    expect(at('../outside/a.txt')).toBeUndefined()
    expect(sourceUrl({ file: 'lists/a.txt', line: 7 }, undefined)).toBeUndefined()
    expect(sourceMarkdown({ file: 'lists/a.txt', line: 7 }, undefined)).toBe('lists/<wbr>a.txt:7')
  })
})

describe('a table that fits the page', () => {
  it('puts the why before the URL, and lets long URLs wrap (no run of more than 16 characters without a break)', () => {
    const long = `https://www.youtube.com/watch?v=${'x'.repeat(60)}&list=PL${'y'.repeat(40)}&index=7`
    const report = reportOf([completed(long, 'content/urls.txt', 1, 0.2, 0.7, good())])
    const [row] = tableRows(summaryOf(report), URL_HEADER)
    const [, result, why, item] = row
      .split(' | ')
      .map((c, i) => (i === 0 ? ['', c.slice(2)] : [c]))
      .flat()
    expect(result).toBe('❌ 0.20')
    expect(why).toContain('**sentiment** (0.85): Upbeat') // no detector failed: the lowest-scoring one
    const text = />([^<]*(?:<wbr>[^<]*)*)<\/a>/.exec(item)?.[1] ?? ''
    expect(text.startsWith('youtube.com/')).toBe(true)
    expect(text).toContain('…')
    for (const run of text.split('<wbr>')) expect(run.replace(/&#\d+;/g, '_').length).toBeLessThanOrEqual(16)
  })
})

/**
 * publishReports as the action runs it: GitHub-like environment, annotations captured from stdout, the job
 * summary file, the JSON and JUnit files, and the sticky PR comment against a local stand-in for the REST API.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ReportContext, publishReports } from '../../src/report/publish.js'
import { ACTION_SURFACE, CLI_SURFACE } from '../../src/config/surface.js'
import { FakeGitHub } from './fake-github.js'
import { describeFailure, failureReport } from '../../src/gate/failure.js'
import { completed, configErrorRun, failingRun, largeRun, mixedRun, passingRun, reportOf } from './fixtures.js'

const PR = 42
let dir: string
let github: FakeGitHub
let stdout: string[]
const saved = { ...process.env }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pique-report-'))
  github = new FakeGitHub()
  await github.start()
  const event = join(dir, 'event.json')
  await writeFile(
    event,
    JSON.stringify({
      pull_request: { number: PR, base: { sha: 'b'.repeat(40), ref: 'main' }, head: { sha: 'c0ffee'.padEnd(40, '0') } }
    })
  )
  // @actions/core caches the summary path on first use: one file for the whole suite, emptied before each test.
  Object.assign(process.env, {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/site',
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '777',
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md')
  })
})

afterAll(async () => {
  await github.stop()
  await rm(dir, { recursive: true, force: true })
  process.env = saved
})

beforeEach(async () => {
  await writeFile(join(dir, 'summary.md'), '')
  github.comments.clear()
  github.requests.length = 0
  github.readOnly = false
  process.env.GITHUB_EVENT_NAME = 'pull_request'
  stdout = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk))
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
})

const ctx = (over: Partial<ReportContext> = {}): ReportContext => ({
  reportPath: join(dir, 'out', 'report.json'),
  comment: true,
  githubToken: 'ghs_faketoken',
  surface: ACTION_SURFACE,
  ...over
})
const lines = (prefix: string) =>
  stdout
    .join('')
    .split('\n')
    .filter(l => l.startsWith(prefix))

describe('annotations', () => {
  it('annotates at most 10 failing URLs at their file and line, worst first, and counts the rest in the summary', async () => {
    const report = largeRun(200) // 20 below threshold
    await publishReports(report, ctx({ comment: false }))
    const errors = lines('::error ')
    expect(errors).toHaveLength(10)
    expect(errors[0]).toMatch(
      /^::error title=Pique gate,file=content\/(a|b)\.txt,line=\d+::https:\/\/www\.tiktok\.com\/@creator\d+\/video\/\d+: score 0\.30 < 0\.70 — video_specs: Frame-level review/
    )
    const summary = await readFile(join(dir, 'summary.md'), 'utf8')
    expect(summary).toContain('10 failing URLs annotated in their files; 10 more failing URLs are listed only here')
  })

  it('leaves URLs from the url-list input unannotated (no file to point at)', async () => {
    const report = mixedRun()
    await publishReports(report, ctx({ comment: false }))
    expect(lines('::error ').map(l => /file=([^,]+),line=(\d+)/.exec(l)?.slice(1).join(':'))).toEqual([
      'content/urls.txt:3',
      'content/urls.txt:2',
      'content/urls.txt:4',
      'content/more.yaml:2'
    ])
    const inline = reportOf([completed('https://www.youtube.com/shorts/x1', 'url-list', 1, 0.1, 0.7, [])])
    stdout.length = 0
    await publishReports(inline, ctx({ comment: false }))
    expect(lines('::error ')).toHaveLength(0)
  })
})

describe('files', () => {
  it('writes the job summary, the JSON report without secrets and the JUnit XML', async () => {
    const report = mixedRun()
    report.warnings.push('store said: token pk_live_abcdef123 rejected')
    const failed = report.items.find(u => u.state === 'failed')
    if (failed) failed.error = 'download refused for key pk_live_abcdef123'
    await publishReports(
      report,
      ctx({ comment: false, junitPath: join(dir, 'out', 'junit.xml'), secrets: ['pk_live_abcdef123'] })
    )
    const summary = await readFile(join(dir, 'summary.md'), 'utf8')
    expect(summary.startsWith('## ❌ Pique gate failed')).toBe(true)
    // Each source links to its line at the pull request's head commit (the payload's head.sha).
    expect(summary).toContain(
      `<a href="https://github.com/acme/site/blob/${'c0ffee'.padEnd(40, '0')}/content/urls.txt#L3">content/<wbr>urls.txt:3</a>`
    )
    const json = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8'))
    expect(json.schema_version).toBe(1)
    expect(json.verdict).toBe('failed')
    expect(Object.keys(json.inputs).sort()).toEqual(['judge', 'on-missing-key', 'threshold', 'urls'])
    expect(json.urls).toHaveLength(6)
    // `items` (added in schema 1) repeats every URL item with its kind; `urls` keeps its fields for older readers.
    expect(json.items).toEqual(json.urls.map((u: object) => ({ kind: 'url', ...u })))
    expect(Object.keys(json.urls[0])).not.toContain('kind')
    const low = json.urls.find((u: { url: string }) => u.url === 'https://www.instagram.com/reel/Cx9_yZ/')
    expect(low).toMatchObject({
      state: 'below_threshold',
      job_id: 'job_0000000000000103',
      score: 0.34,
      duration_ms: 125000,
      source: { file: 'content/urls.txt', line: 3 }
    })
    expect(low.detectors.map((d: { name: string; pass_check: boolean }) => [d.name, d.pass_check])).toEqual([
      ['video_specs', false],
      ['transcript_product', true],
      ['sentiment', false]
    ])
    expect(json.counts).toEqual({
      total: 6,
      passed: 2,
      below_threshold: 2,
      broke_rule: 0,
      failed: 1,
      pending: 1,
      not_evaluated: 0,
      submitted: 0,
      skipped_unchanged: 3,
      billed_jobs: 6,
      maybe_billed: 0,
      reused: 0
    })
    const text = JSON.stringify(json)
    expect(text).not.toContain('pk_live_abcdef123')
    expect(text).toContain('token *** rejected')
    const junit = await readFile(join(dir, 'out', 'junit.xml'), 'utf8')
    expect(junit).toContain('<testsuites name="pique-gate" tests="6" failures="3" errors="1" skipped="0"')
    expect(junit).toContain('download refused for key ***')
    // Logs and annotations too: the failed URL's annotation names the error, without the key.
    expect(lines('::error ').some(l => l.includes('download refused for key ***'))).toBe(true)
    expect(stdout.join('')).not.toContain('pk_live_abcdef123')
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).not.toContain('pk_live_abcdef123')
  })

  it('terminal target prints the table and verdict, writes the JSON, and touches nothing on GitHub', async () => {
    let out = ''
    await publishReports(failingRun(), ctx({ surface: CLI_SURFACE, write: t => (out += t) }))
    expect(out).toMatch(/^STATUS\s+SCORE\s+URL/)
    expect(out).toContain('PIQUE GATE FAILED')
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toBe('')
    expect(github.requests).toEqual([])
    expect(lines('::')).toEqual([])
    expect(JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')).verdict).toBe('failed')
  })

  it('a report path that cannot be written is a warning, not a failure', async () => {
    await writeFile(join(dir, 'blocker'), 'a file, not a directory')
    await expect(
      publishReports(passingRun(), ctx({ comment: false, reportPath: join(dir, 'blocker', 'r.json') }))
    ).resolves.toBeUndefined()
    expect(lines('::warning::Could not write the JSON report')).toHaveLength(1)
    // On a terminal the same warning is a plain line on stderr, not a workflow command.
    const stderr: string[] = []
    jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0)
    stdout.length = 0
    await publishReports(
      passingRun(),
      ctx({ surface: CLI_SURFACE, write: () => undefined, reportPath: join(dir, 'blocker', 'r.json') })
    )
    expect(stderr.join('')).toMatch(/^warning: Could not write the JSON report to .*blocker/)
    expect(lines('::')).toEqual([])
  })
})

describe('sticky pull request comment', () => {
  const marker = '<!-- pique-gate:.pique/judge.yml -->'

  it('creates one comment, then updates it in place on the next run, found past the first page', async () => {
    for (let i = 0; i < 150; i++) github.addComment(PR, `unrelated comment ${i}`)
    await publishReports(failingRun(), ctx())
    const mine = () => github.commentsOn(PR).filter(c => c.body.startsWith(marker))
    expect(mine()).toHaveLength(1)
    const id = mine()[0].id
    expect(mine()[0].body).toContain('## ❌ Pique gate failed')
    expect(mine()[0].body).toContain('[workflow run](https://github.com/acme/site/actions/runs/777)')

    await publishReports(passingRun(), ctx())
    expect(mine()).toHaveLength(1)
    expect(mine()[0].id).toBe(id)
    expect(mine()[0].body).toContain('## ✅ Pique gate passed')
    expect(github.commentsOn(PR)).toHaveLength(151)
    expect(github.requests.filter(r => r.startsWith('GET') && r.includes('page=2')).length).toBeGreaterThan(0)
    expect(github.requests.filter(r => r.startsWith('PATCH'))).toHaveLength(1)
  })

  it('a second judge keeps its own comment', async () => {
    await publishReports(failingRun(), ctx())
    const other = passingRun()
    other.inputs = { ...other.inputs, judge: '.pique/tone.yml' }
    await publishReports(other, ctx())
    await publishReports(failingRun(), ctx())
    const bodies = github.commentsOn(PR).map(c => c.body.split('\n')[0])
    expect(bodies).toEqual([marker, '<!-- pique-gate:.pique/tone.yml -->'])
  })

  it('passes over a copy of the marker it may not edit (another bot quoting the comment) and keeps its own', async () => {
    github.addComment(PR, `${marker}\nmirrored by another bot`, 'mirror-bot[bot]')
    await publishReports(failingRun(), ctx())
    const bodies = () => github.commentsOn(PR).map(c => [c.user, c.body.split('\n')[1]])
    expect(bodies()).toEqual([
      ['mirror-bot[bot]', 'mirrored by another bot'],
      ['github-actions[bot]', '## ❌ Pique gate failed']
    ])
    await publishReports(passingRun(), ctx())
    expect(bodies()).toEqual([
      ['mirror-bot[bot]', 'mirrored by another bot'],
      ['github-actions[bot]', '## ✅ Pique gate passed']
    ])
    expect(lines('::warning::')).toEqual([])
  })

  it('a read-only token (403) warns once and the run goes on', async () => {
    github.readOnly = true
    await expect(publishReports(failingRun(), ctx())).resolves.toBeUndefined()
    const warnings = lines('::warning::')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('cannot write pull request comments here (HTTP 403')
    expect(github.commentsOn(PR)).toHaveLength(0)
    // With its old comment already there, the refused update is still one warning and the comment stays as it was.
    const old = github.addComment(PR, `${marker}\nold verdict`)
    stdout.length = 0
    await publishReports(passingRun(), ctx())
    expect(lines('::warning::')).toHaveLength(1)
    expect(github.commentsOn(PR)).toEqual([old])
    // The other reports were still written.
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('Pique gate failed')
  })

  it('posts nothing outside pull request events', async () => {
    process.env.GITHUB_EVENT_NAME = 'push'
    await publishReports(failingRun(), ctx())
    expect(github.requests).toEqual([])
  })
})

describe('a run that could not run', () => {
  const marker = '<!-- pique-gate:.pique/judge.yml -->'

  it('replaces the stale "passed" comment in place and writes summary, JSON, JUnit and the config annotations', async () => {
    await publishReports(passingRun(), ctx())
    const [before] = github.commentsOn(PR)
    expect(before.body).toContain('## ✅ Pique gate passed')

    stdout.length = 0
    await publishReports(await configErrorRun(), ctx({ junitPath: join(dir, 'out', 'junit.xml') }))
    expect(github.commentsOn(PR)).toHaveLength(1)
    const [after] = github.commentsOn(PR)
    expect(after.id).toBe(before.id)
    expect(after.body.startsWith(`${marker}\n## ❌ Pique gate could not run`)).toBe(true)
    expect(after.body).not.toContain('passed')

    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('## ❌ Pique gate could not run')
    expect(JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')).error.kind).toBe('config')
    expect(await readFile(join(dir, 'out', 'junit.xml'), 'utf8')).toContain('<error message=')
    expect(lines('::error ')).toEqual([
      expect.stringMatching(
        /^::error title=detectors\[0\]\.config\.min_fps,file=\.pique\/judge\.yml,line=7,col=16::expected a number/
      ),
      expect.stringMatching(/^::error file=content\/urls\.txt,line=3,col=1::expected an http or https URL/),
      expect.stringMatching(/^::error file=content\/urls\.txt,line=9,col=1::/)
    ])
  })

  it('without settings: no JSON file, no comment, the summary still says why', async () => {
    const report = failureReport(describeFailure(new Error('threshold: expected a number from 0 to 1, got "7"')), {
      startedAt: '2026-03-02T10:00:00.000Z',
      inputs: {}
    })
    await publishReports(report, { comment: false, surface: ACTION_SURFACE })
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain(
      '**threshold: expected a number from 0 to 1, got &#34;7&#34;**'
    )
    expect(github.requests).toEqual([])
  })
})

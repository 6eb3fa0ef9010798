/**
 * The job summary and the PR comment as a reader sees them: rendered like GitHub (GFM + GitHub's markdown styles, see
 * github-page.ts) in headless Chromium (Debian's `chromium`, driven by playwright-core) at 880 and 1280 px. Fails
 * when the table is wider than the page (a reader would have to scroll sideways to find why), when the Why column is
 * squeezed out of sight, or when the rows that fail the gate are not on the first screen (the first 900 px of the
 * summary's or the comment's box).
 *
 * `npm run docs:screenshots` also writes what the first screen looks like to docs/examples/*.png.
 * Without /usr/bin/chromium the test is skipped with a message, except in CI (CI=true), where it must run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'
import { planAnnotations } from '../../src/report/annotations.js'
import { renderComment } from '../../src/report/comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { failsGate } from '../../src/gate/policy.js'
import { type Surface, githubPage } from './github-page.js'
import { realisticRun } from './fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const WIDTHS = [880, 1280] as const
/** The first screen: what a laptop shows of the box without scrolling. */
const FIRST_SCREEN_PX = 900
/** Narrower than this and the Why column is a sliver a reader cannot read. */
const MIN_WHY_PX = 150
const UPDATE = process.env.PIQUE_UPDATE_SCREENSHOTS === '1'

const available = existsSync(CHROMIUM)
if (!available && process.env.CI !== 'true')
  console.warn(`Skipping the browser test: ${CHROMIUM} is missing (apt-get install chromium). CI installs it.`)
const describeInBrowser = available || process.env.CI === 'true' ? describe : describe.skip

const SOURCE_LINKS = {
  serverUrl: 'https://github.com',
  repository: 'acme/site',
  sha: '9fceb02d0ae598e95dc970b74767f19372d61af8'
}

const report = realisticRun()
const documents: Record<Surface, string> = {
  summary: renderSummary(report, {
    reportPath: 'pique-gate-report.json',
    annotations: planAnnotations(report),
    sourceLinks: SOURCE_LINKS
  }),
  comment: renderComment(report, {
    judgeKey: '.pique/judge.yml',
    runUrl: 'https://github.com/acme/site/actions/runs/123456789',
    sha: SOURCE_LINKS.sha,
    sourceLinks: SOURCE_LINKS
  })
}
const SCREENSHOTS: Record<Surface, string> = { summary: 'summary', comment: 'pr-comment' }
/** How many rows fail the gate: each must be on the first screen. */
const failingCount = report.items.filter(o => failsGate(o, report)).length

interface Layout {
  tableScrollWidth: number
  tableClientWidth: number
  bodyScrollWidth: number
  bodyClientWidth: number
  boxTop: number
  why: { left: number; right: number; width: number } | undefined
  tableRight: number
  /** Rows whose result cell starts with an icon of a row that fails the gate, in order. */
  failingRows: { top: number; bottom: number }[]
}

/**
 * Measures the page in the browser (a string: the DOM is not among this project's TypeScript libs). Row positions
 * are from the top of the summary's or the comment's box.
 */
const MEASURE = `(() => {
  const body = document.querySelector('.markdown-body')
  const box = document.querySelector('.box')
  const table = body.querySelector(':scope > table')
  const rect = e => e.getBoundingClientRect()
  const whyHeader = [...table.querySelectorAll('thead th')].find(th => th.textContent.trim() === 'Why')
  const boxTop = rect(box).top + window.scrollY
  const failing = [...table.querySelectorAll('tbody tr')].filter(tr =>
    /^(❌|💥|⏳)/u.test((tr.querySelector('td')?.textContent ?? '').trim())
  )
  return {
    tableScrollWidth: table.scrollWidth,
    tableClientWidth: table.clientWidth,
    bodyScrollWidth: body.scrollWidth,
    bodyClientWidth: body.clientWidth,
    boxTop,
    why: whyHeader && { left: rect(whyHeader).left, right: rect(whyHeader).right, width: rect(whyHeader).width },
    tableRight: rect(table).right,
    failingRows: failing.map(tr => ({ top: rect(tr).top - boxTop, bottom: rect(tr).bottom - boxTop }))
  }
})()`

let context: BrowserContext | undefined
let profile: string

beforeAll(async () => {
  if (!available && process.env.CI !== 'true') return
  profile = mkdtempSync(join(tmpdir(), 'pique-chromium-'))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update'
    ]
  })
}, 60_000)

afterAll(async () => {
  await context?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
})

async function layoutAt(surface: Surface, width: number): Promise<Layout> {
  if (!context) throw new Error(`Chromium did not start (${CHROMIUM})`)
  const page = await context.newPage()
  try {
    await page.setViewportSize({ width, height: FIRST_SCREEN_PX })
    // Everything is inline: no request leaves the page (links are not followed).
    await page.setContent(githubPage(documents[surface], surface), { waitUntil: 'load' })
    if (UPDATE) await page.screenshot({ path: `docs/examples/${SCREENSHOTS[surface]}-${width}.png`, fullPage: false })
    return (await page.evaluate(MEASURE)) as Layout
  } finally {
    await page.close()
  }
}

describeInBrowser('the summary and the comment in a browser, as GitHub renders them', () => {
  for (const surface of ['summary', 'comment'] as const) {
    for (const width of WIDTHS) {
      it(`${surface} at ${width} px: no sideways scrolling, Why readable, every failing row on the first screen`, async () => {
        const layout = await layoutAt(surface, width)
        // The table fits: GitHub's CSS makes an over-wide table scroll inside itself, hiding the columns on the right.
        expect(layout.tableScrollWidth).toBeLessThanOrEqual(layout.tableClientWidth)
        expect(layout.bodyScrollWidth).toBeLessThanOrEqual(layout.bodyClientWidth)
        expect(layout.why).toBeDefined()
        expect(layout.why!.right).toBeLessThanOrEqual(Math.min(layout.tableRight, width) + 0.5)
        expect(layout.why!.width).toBeGreaterThanOrEqual(MIN_WHY_PX)
        // Five URLs need attention: all of them are in the table, and all on the first screen.
        expect(layout.failingRows).toHaveLength(failingCount)
        for (const row of layout.failingRows) expect(row.bottom).toBeLessThanOrEqual(FIRST_SCREEN_PX)
      }, 60_000)
    }
  }
})

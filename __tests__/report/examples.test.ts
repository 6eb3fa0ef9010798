/**
 * docs/examples/summary.md and pr-comment.md are this renderer's output for the mixed-run fixture (pr-comment-error.md
 * for the config-error fixture); this test keeps
 * them from drifting. After an intended change, regenerate with PIQUE_UPDATE_EXAMPLES=1 and review the diff.
 */
import { describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { planAnnotations } from '../../src/report/annotations.js'
import { renderComment } from '../../src/report/comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { configErrorRun, mixedRun } from './fixtures.js'

const header = (what: string, fixture = 'mixed-run') =>
  `<!-- Example ${what} rendered by pique-gate from the ${fixture} fixture (__tests__/report/fixtures.ts). ` +
  'Generated: __tests__/report/examples.test.ts checks it matches the renderer. -->\n\n'

/** The examples link each source to its line at the commit, as a run in GitHub Actions does. */
const sourceLinks = {
  serverUrl: 'https://github.com',
  repository: 'acme/site',
  sha: '9fceb02d0ae598e95dc970b74767f19372d61af8'
}

const EXAMPLES = {
  'docs/examples/summary.md': () => {
    const report = mixedRun()
    return (
      header('job summary') +
      renderSummary(report, { reportPath: 'pique-gate-report.json', annotations: planAnnotations(report), sourceLinks })
    )
  },
  'docs/examples/pr-comment.md': () =>
    header('pull request comment') +
    renderComment(mixedRun(), {
      judgeKey: '.pique/judge.yml',
      runUrl: 'https://github.com/acme/site/actions/runs/123456789',
      sha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
      sourceLinks
    }),
  'docs/examples/pr-comment-error.md': async () =>
    header('pull request comment', 'config-error') +
    renderComment(await configErrorRun(), {
      judgeKey: '.pique/judge.yml',
      runUrl: 'https://github.com/acme/site/actions/runs/123456790',
      sha: '9fceb02d0ae598e95dc970b74767f19372d61af8'
    })
}

describe('committed examples', () => {
  for (const [path, render] of Object.entries(EXAMPLES)) {
    it(`${path} is what the renderer produces`, async () => {
      const text = await render()
      if (process.env.PIQUE_UPDATE_EXAMPLES === '1') await writeFile(path, text)
      expect(await readFile(path, 'utf8')).toBe(text)
    })
  }
})

/**
 * A page that shows rendered markdown the way GitHub does: GFM through `marked`, GitHub's markdown styles
 * (`github-markdown-css`, light theme), inside a frame with the widths GitHub's own page leaves it:
 * - the job summary sits right of the run's job list, in a box with 24 px padding;
 * - a pull request comment sits left of the conversation sidebar, after a 56 px avatar column, in a box with 16 px
 *   padding under a 40 px header.
 * Sidebars are 220 px with a 16 px gutter from 768 px wide, 296 px with a 24 px gutter from 1012 px (Primer's
 * Layout), and hidden below 768 px; pages are 16 px from the window's edges, 24 px from 1012 px.
 * The numbers are GitHub's layout as of 2026, rounded; a change of a few
 * pixels does not change what the browser test checks.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Marked } from 'marked'

const require = createRequire(import.meta.url)
const MARKDOWN_CSS = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8')

export type Surface = 'summary' | 'comment'

/** GitHub flavoured markdown; raw HTML is kept (GitHub keeps the tags the reports use: a, br, wbr, sub, details). */
export function markdownToHtml(markdown: string): string {
  return new Marked({ gfm: true, breaks: false }).parse(markdown, { async: false })
}

const FRAME_CSS = `
  html, body { margin: 0; background: #ffffff; }
  .page { display: flex; gap: 16px; padding: 0 16px; box-sizing: border-box; width: 100%; }
  .page.summary { flex-direction: row; }
  .page.comment { flex-direction: row-reverse; }
  .sidebar { flex: 0 0 220px; min-height: 200px; background: #f6f8fa; }
  @media (min-width: 1012px) {
    .page { gap: 24px; padding: 0 24px; }
    .sidebar { flex-basis: 296px; }
  }
  .main { flex: 1 1 auto; min-width: 0; display: flex; }
  .avatar { flex: 0 0 40px; height: 40px; margin-right: 16px; border-radius: 50%; background: #d0d7de; }
  .page.summary .avatar { display: none; }
  .box { flex: 1 1 auto; min-width: 0; border: 1px solid #d0d7de; border-radius: 6px; }
  .box-header { height: 40px; background: #f6f8fa; border-bottom: 1px solid #d0d7de; }
  .page.summary .box-header { display: none; }
  .markdown-body { box-sizing: border-box; min-width: 0; }
  .page.summary .markdown-body { padding: 24px; }
  .page.comment .markdown-body { padding: 16px; }
  @media (max-width: 767px) { .sidebar { display: none; } }
`

/** A whole HTML document showing `markdown` as GitHub shows a job summary or a pull request comment. */
export function githubPage(markdown: string, surface: Surface): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pique-gate ${surface}</title>
<style>${MARKDOWN_CSS}</style><style>${FRAME_CSS}</style></head>
<body><div class="page ${surface}"><aside class="sidebar"></aside><div class="main"><div class="avatar"></div>
<div class="box"><div class="box-header"></div><article class="markdown-body">${markdownToHtml(markdown)}</article></div>
</div></div></body></html>`
}

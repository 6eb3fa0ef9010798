/**
 * Escaping for user-controlled text (URLs, rationales, error messages) in the markdown and HTML that GitHub
 * renders, and in XML. Numeric entities work the same in markdown inline text, table cells and HTML blocks,
 * so one function serves all three: no HTML injection, no table breaks, no @mentions, no markdown syntax.
 * Plain-text safety (control characters, whitespace, length) is shared with the logs and config problems.
 */
import { collapseWhitespace, escapeControls } from '../model/text.js'

export { collapseWhitespace, escapeControls, truncate } from '../model/text.js'

/**
 * HTML (& < > " '), table cells (|), emphasis and code (* _ ` ~), links and images ([ ]), escapes (\\),
 * @mentions and #references (@ #), math ($). Other punctuation is harmless and stays readable.
 */
const MARKDOWN_SPECIAL = /[&<>"'|*_`[\]\\~@#$]/g

/** One line of user text, safe anywhere in GitHub markdown (outside code spans). */
export function escapeMarkdown(text: string): string {
  return escapeSpecials(escapeControls(collapseWhitespace(text)))
}

const escapeSpecials = (text: string): string => text.replace(MARKDOWN_SPECIAL, c => `&#${c.charCodeAt(0)};`)

/** A clickable link to a user-given URL; only http(s) becomes a link, anything else is shown as text. */
export function markdownLink(url: string): string {
  return htmlLink(url, breakableMarkdown(url))
}

/** Shortens to at most `max` characters at a word's end when one is near, marking the cut with an ellipsis. */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, Math.max(0, max - 1))
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`
}

// XML 1.0 forbids most control characters even as entities: they are written as visible escapes, these dropped.
const XML_INVALID = /[\uFFFE\uFFFF]/g

/** Text or attribute value for XML. */
export function escapeXml(text: string): string {
  return escapeControls(text)
    .replace(XML_INVALID, '')
    .replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/** Long text keeps its start and end, which is where URLs and paths differ. */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text
  const head = Math.ceil((max - 1) / 2)
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`
}

/** A run longer than this may also break after `.`, `_`, `-` or `=`, and failing that anywhere, so a narrow column can wrap it. */
const MAX_UNBROKEN = 16

/**
 * Escaped text that may wrap inside a URL or a path: `<wbr>` (which GitHub keeps) after a path's `/` (not the `//`
 * of a scheme) and before a query's `?` and `&`, and inside any run longer than MAX_UNBROKEN. A table cell then never forces the table
 * wider than the page.
 */
export function breakableMarkdown(text: string): string {
  return escapeControls(collapseWhitespace(text))
    .split(/(?<=[^/:]\/)|(?=[?&])/)
    .flatMap(part => (part.length > MAX_UNBROKEN ? part.split(/(?<=[._=-])/) : [part]))
    .flatMap(part => part.match(new RegExp(`.{1,${MAX_UNBROKEN}}`, 'gsu')) ?? [])
    .map(escapeSpecials)
    .join('<wbr>')
}

/** A link whose text is already markdown-safe; only http(s) targets become links, anything else is just the text. */
export function htmlLink(href: string, safeText: string): string {
  return /^https?:\/\//i.test(href) ? `<a href="${escapeXml(href)}">${safeText}</a>` : safeText
}

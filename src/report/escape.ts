/**
 * Escaping for user-controlled text (URLs, rationales, error messages) in the markdown and HTML that GitHub
 * renders, and in XML. Numeric entities work the same in markdown inline text, table cells and HTML blocks,
 * so one function serves all three: no HTML injection, no table breaks, no @mentions, no markdown syntax.
 * Plain-text safety (control characters, whitespace, length) is shared with the logs and config problems.
 */
import { collapseWhitespace, escapeControls } from '../model/text.js'

export { collapseWhitespace, escapeControls, printableLine, truncate } from '../model/text.js'

/**
 * HTML (& < > " '), table cells (|), emphasis and code (* _ ` ~), links and images ([ ]), escapes (\\),
 * @mentions and #references (@ #), math ($). Other punctuation is harmless and stays readable.
 */
const MARKDOWN_SPECIAL = /[&<>"'|*_`[\]\\~@#$]/g

/** One line of user text, safe anywhere in GitHub markdown (outside code spans). */
export function escapeMarkdown(text: string): string {
  return escapeControls(collapseWhitespace(text)).replace(MARKDOWN_SPECIAL, c => `&#${c.charCodeAt(0)};`)
}

/** A clickable link to a user-given URL; only http(s) becomes a link, anything else is shown as text. */
export function markdownLink(url: string): string {
  const text = escapeMarkdown(url)
  if (!/^https?:\/\//i.test(url)) return text
  return `<a href="${escapeXml(url)}">${text}</a>`
}

// XML 1.0 forbids most control characters even as entities: they are written as visible escapes, these dropped.
const XML_INVALID = /[\uFFFE\uFFFF]/g

/** Text or attribute value for XML. */
export function escapeXml(text: string): string {
  return escapeControls(text)
    .replace(XML_INVALID, '')
    .replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

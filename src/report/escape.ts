/**
 * Escaping for user-controlled text (URLs, rationales, error messages) in the markdown and HTML that GitHub
 * renders, and in XML. Numeric entities work the same in markdown inline text, table cells and HTML blocks,
 * so one function serves all three: no HTML injection, no table breaks, no @mentions, no markdown syntax.
 */

/**
 * HTML (& < > " '), table cells (|), emphasis and code (* _ ` ~), links and images ([ ]), escapes (\\),
 * @mentions and #references (@ #), math ($). Other punctuation is harmless and stays readable.
 */
const MARKDOWN_SPECIAL = /[&<>"'|*_`[\]\\~@#$]/g

/** One line of user text, safe anywhere in GitHub markdown (outside code spans). */
export function escapeMarkdown(text: string): string {
  return collapseWhitespace(text).replace(MARKDOWN_SPECIAL, c => `&#${c.charCodeAt(0)};`)
}

/** A clickable link to a user-given URL; only http(s) becomes a link, anything else is shown as text. */
export function markdownLink(url: string): string {
  const text = escapeMarkdown(url)
  if (!/^https?:\/\//i.test(url)) return text
  return `<a href="${escapeXml(url)}">${text}</a>`
}

/** Newlines and runs of whitespace to one space, for single-line contexts. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Shortens to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`
}

// XML 1.0 forbids most control characters even as entities: drop them.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

/** Text or attribute value for XML. */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '').replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/**
 * URLs with credentials (`https://user:password@host/`). The gate's own URLs (api-url, store-url, webhook-url)
 * take no credentials (the key and token have their own secret inputs), and URL lists refuse them too, so such a
 * password is never sent or echoed. Messages show the URL with its user information replaced by `***`.
 */

// scheme://userinfo@ : the authority ends at the first / \ ? # or whitespace, and the userinfo at its last @.
// The special schemes also take `https:user@host` and backslashes, as URL parsers do.
const USERINFO = /\b((?:https?|wss?|ftp):[/\\]*|[a-z][a-z0-9+.-]*:\/\/)[^\s/\\?#]*@/gi

/** `text` with the user information of every URL in it replaced by `***` (also in URLs that do not parse). */
export function redactUserinfo(text: string): string {
  return text.replace(/\S+/g, token => {
    const parsed = withoutUserinfo(token)
    return parsed ?? token.replace(USERINFO, '$1***@')
  })
}

/** Why a URL may not be used as given: it carries a user name or password. */
export function credentialsProblem(value: string): string | undefined {
  const shown = redactUserinfo(value)
  if (shown === value) return undefined
  return `must not hold a user name or password (${shown})`
}

/** The URL as parsed with `***` for its user information, or undefined when it has none or does not parse. */
function withoutUserinfo(token: string): string | undefined {
  let url: URL
  try {
    url = new URL(token)
  } catch {
    return undefined
  }
  if (!url.username && !url.password) return undefined
  url.username = ''
  url.password = ''
  return url.href.replace('//', '//***@')
}

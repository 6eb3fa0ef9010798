/**
 * URLs with credentials (`https://user:password@host/`). The gate's own URLs (api-url, store-url, webhook-url)
 * take no credentials (the key and token have their own secret inputs), and URL lists refuse them too, so such a
 * password is never sent or echoed. Messages show the URL with its user information replaced by `***`.
 */

// scheme://userinfo@ : the authority ends at the first / \ ? # or whitespace, and the userinfo at its last @.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/\\?#]*@/gi

/** `text` with the user information of every URL in it replaced by `***` (also in URLs that do not parse). */
export function redactUserinfo(text: string): string {
  return text.replace(USERINFO, '$1***@')
}

/** Why a URL may not be used as given: it carries a user name or password. */
export function credentialsProblem(value: string): string | undefined {
  let has = false
  try {
    const url = new URL(value)
    has = url.username !== '' || url.password !== ''
  } catch {
    // Not a URL: the caller says so; the text check below still keeps a password out of that message.
  }
  USERINFO.lastIndex = 0
  if (!has && !USERINFO.test(value)) return undefined
  return `must not hold a user name or password (${redactUserinfo(value)})`
}

/**
 * A URL's identity, the one rule for "the same content URL": result reuse, duplicates in URL lists and only-changed's
 * comparison with the base all use it, so two lines that reuse would treat as one are never billed twice. Normalised:
 * scheme and host lower-cased, default port dropped, trailing slash dropped, fragment dropped, the tracking
 * parameters of TRACKING_PARAMETERS removed, the remaining query parameters sorted. Path and parameter values keep
 * their case (video ids are case-sensitive). Anything not in the table is kept: a wrong "same" would reuse the
 * result of other content, a missed one only costs an evaluation. docs/reuse.md shows the table to users.
 * It lives in model/ because config (URL lists), gate (only-changed) and reuse all need it.
 */

export interface TrackingParameter {
  /** The parameter name; a trailing `*` matches every name with that prefix. */
  name: string
  /** Hosts (and their subdomains) where it is tracking; empty: every host. */
  hosts: readonly string[]
  why: string
}

const YOUTUBE = ['youtube.com', 'youtu.be']
const TIKTOK = ['tiktok.com']
const INSTAGRAM = ['instagram.com']
const X = ['x.com', 'twitter.com']

/** The one table of parameters that never change which content a URL names. */
export const TRACKING_PARAMETERS: readonly TrackingParameter[] = [
  { name: 'utm_*', hosts: [], why: 'campaign tags (Google Analytics)' },
  { name: 'fbclid', hosts: [], why: 'Facebook click id' },
  { name: 'gclid', hosts: [], why: 'Google Ads click id' },
  { name: 'dclid', hosts: [], why: 'Google display click id' },
  { name: 'msclkid', hosts: [], why: 'Microsoft Ads click id' },
  { name: 'mc_cid', hosts: [], why: 'Mailchimp campaign id' },
  { name: 'mc_eid', hosts: [], why: 'Mailchimp subscriber id' },
  { name: 'si', hosts: [], why: 'share id (YouTube, Spotify)' },
  { name: 'feature', hosts: YOUTUBE, why: 'where the link was shared from (feature=share)' },
  { name: 'pp', hosts: YOUTUBE, why: 'search-result tracking' },
  { name: 'igsh', hosts: INSTAGRAM, why: 'Instagram share id' },
  { name: 'igshid', hosts: INSTAGRAM, why: 'Instagram share id (older spelling)' },
  { name: 'is_from_webapp', hosts: TIKTOK, why: 'TikTok share source' },
  { name: 'sender_device', hosts: TIKTOK, why: 'TikTok share source' },
  { name: 'sender_web_id', hosts: TIKTOK, why: 'TikTok sharer id' },
  { name: 'share_app_id', hosts: TIKTOK, why: 'TikTok share source' },
  { name: 'share_link_id', hosts: TIKTOK, why: 'TikTok share id' },
  { name: '_r', hosts: TIKTOK, why: 'TikTok share tracking' },
  { name: '_t', hosts: TIKTOK, why: 'TikTok share tracking' },
  { name: 's', hosts: X, why: 'X/Twitter share source' },
  { name: 't', hosts: X, why: 'X/Twitter share id (on YouTube `t` is a start time and is kept)' },
  { name: 'ref_src', hosts: X, why: 'X/Twitter referrer' },
  { name: 'mibextid', hosts: ['facebook.com'], why: 'Facebook share id' }
]

function onHost(host: string, hosts: readonly string[]): boolean {
  return hosts.length === 0 || hosts.some(h => host === h || host.endsWith(`.${h}`))
}

/** Whether `name` is a tracking parameter on `host` (lower-case host). */
export function isTrackingParameter(name: string, host: string): boolean {
  const key = name.toLowerCase()
  return TRACKING_PARAMETERS.some(
    p => (p.name.endsWith('*') ? key.startsWith(p.name.slice(0, -1)) : key === p.name) && onHost(host, p.hosts)
  )
}

/** The normalised form of `url`; text that is not an absolute URL comes back trimmed, unchanged. */
export function normalizeUrl(url: string): string {
  const text = url.trim()
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    return text
  }
  // WHATWG URL already lower-cases scheme and host and drops a scheme's default port.
  const host = parsed.hostname
  const kept = [...parsed.searchParams].filter(([name]) => !isTrackingParameter(name, host))
  // Stable sort by name: the order of distinct parameters does not change the content; repeats keep their order.
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const query = new URLSearchParams(kept).toString()
  const path = parsed.pathname.replace(/\/+$/, '')
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : ''
  return `${parsed.protocol}//${auth}${parsed.host}${path}${query ? `?${query}` : ''}`
}

/**
 * How two URLs of one identity (normalizeUrl) differ as written, in words for a duplicate notice: `tracking
 * parameter utm_source`, `trailing slash`, ... Empty when they are written alike.
 */
export function urlDifferences(a: string, b: string): string[] {
  const [textA, textB] = [a.trim(), b.trim()]
  if (textA === textB) return []
  let urlA: URL
  let urlB: URL
  try {
    urlA = new URL(textA)
    urlB = new URL(textB)
  } catch {
    return ['how it is written']
  }
  const found: string[] = []
  // Scheme and authority as written: `new URL` has already lower-cased them and dropped a default port.
  const [originA, originB] = [textA, textB].map(t => /^[^:]*:\/\/[^/?#]*/.exec(t)?.[0] ?? '')
  const DEFAULT_PORT = /:(443|80)$/
  const [bareA, bareB] = [originA, originB].map(o => o.replace(DEFAULT_PORT, ''))
  if (bareA !== bareB && bareA.toLowerCase() === bareB.toLowerCase()) found.push('letter case of scheme or host')
  if (DEFAULT_PORT.test(originA) !== DEFAULT_PORT.test(originB)) found.push('default port')
  const [pathA, pathB] = [textA.slice(originA.length), textB.slice(originB.length)].map(t => t.split(/[?#]/)[0])
  if (pathA !== pathB && pathA.replace(/\/+$/, '') === pathB.replace(/\/+$/, '')) found.push('trailing slash')
  const host = urlA.hostname
  const params = (url: URL, tracking: boolean) =>
    [...url.searchParams].filter(([name]) => isTrackingParameter(name, host) === tracking)
  const [trackingA, trackingB] = [params(urlA, true), params(urlB, true)]
  const valuesOf = (entries: [string, string][], name: string) =>
    entries
      .filter(([n]) => n === name)
      .map(([, v]) => v)
      .sort()
      .join('&')
  const names = [...new Set([...trackingA, ...trackingB].map(([name]) => name))]
  const changed = names.filter(name => valuesOf(trackingA, name) !== valuesOf(trackingB, name))
  if (changed.length)
    found.push(`${changed.length === 1 ? 'tracking parameter' : 'tracking parameters'} ${changed.join(', ')}`)
  const kept = (url: URL) => new URLSearchParams(params(url, false)).toString()
  if (kept(urlA) !== kept(urlB)) found.push('parameter order')
  if (urlA.hash !== urlB.hash) found.push('fragment')
  return found.length ? found : ['how it is written']
}

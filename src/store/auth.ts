// Bearer read tokens, compared in constant time (digests first, so lengths never leak or throw).
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest()

export function createTokenCheck(tokens: readonly string[]): (req: IncomingMessage) => boolean {
  const expected = tokens.map(digest)
  return req => {
    const header = req.headers.authorization
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
    if (!match) return false
    const got = digest(match[1])
    let ok = false
    // Every token is compared, whichever matches.
    for (const e of expected) ok = timingSafeEqual(got, e) || ok
    return ok
  }
}

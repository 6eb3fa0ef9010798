/**
 * Which evaluation failures are worth a second job: the one list (documented in docs/client.md, "Transient
 * evaluation failures") of error messages that come from the moment, not the video — bot detection, timeouts,
 * rate limiting, "try again". Anything else (a private or deleted video, an unsupported platform) fails the same way
 * every time, and resubmitting it would only bill another job.
 */

/** One pattern of the list: what it matches and why it is transient (the docs' table is this list). */
export interface TransientPattern {
  pattern: RegExp
  /** Shown in docs and in the report's attempt notes. */
  why: string
}

const TRANSIENT_ERRORS: readonly TransientPattern[] = [
  { pattern: /bot[ -]?detect|captcha|confirm (that )?you.?re not a (bot|robot)/i, why: 'bot detection' },
  { pattern: /timed?[ -]?out|timeout|deadline exceeded/i, why: 'a timeout' },
  { pattern: /rate[ -]?limit|too many requests|\b429\b|throttl/i, why: 'rate limiting' },
  { pattern: /try again|retry later|temporar(il)?y|transient/i, why: 'the service said to try again' },
  { pattern: /\b(502|503|504)\b|bad gateway|service unavailable|gateway timeout/i, why: 'an upstream outage' },
  { pattern: /connection (reset|refused|closed|aborted)|econnreset|socket hang up|network error/i, why: 'the network' }
]

/** A user's extra pattern (the transient-errors input): `/regex/flags`, else text matched case-insensitively. */
export function parseTransientPattern(text: string): TransientPattern {
  const trimmed = text.trim()
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(trimmed)
  if (regex) {
    // Thrown as a SyntaxError naming the problem: the settings reader turns it into a one-line input error.
    // Case-insensitive like the built-in list; g and y would make `test` stateful across messages.
    const flags = [...new Set(`${regex[2]}i`)].filter(f => f !== 'g' && f !== 'y').join('')
    return { pattern: new RegExp(regex[1], flags), why: `matches ${trimmed}` }
  }
  const literal = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return { pattern: new RegExp(literal, 'i'), why: `contains "${trimmed}"` }
}

/** The built-in list plus the user's patterns; `classify` says whether an error message is transient and why. */
export class TransientErrors {
  readonly patterns: readonly TransientPattern[]
  constructor(extra: readonly TransientPattern[] = []) {
    this.patterns = [...TRANSIENT_ERRORS, ...extra]
  }

  /** Why `message` looks transient (the first pattern that matches), or undefined when it does not. */
  classify(message: string | undefined): string | undefined {
    if (!message) return undefined
    return this.patterns.find(p => p.pattern.test(message))?.why
  }
}

/**
 * Where the gate writes its progress. The action logs through @actions/core (grouped, annotated); the CLI
 * writes plain lines to stderr so stdout stays the report table. Debug lines explain decisions (why a judge is or
 * is not reused, pacing waits, lookups): the action shows them when the runner's debug logging is on, the CLI with
 * `--verbose`.
 */
import * as core from '@actions/core'
import { escapeControls } from '../model/text.js'

/** A place in a user's file, for annotations. */
export interface LogPlace {
  file: string
  line: number
  column?: number
}

export interface GateLog {
  info(message: string): void
  /** Why the gate decided something; hidden unless the user asks for debug output. */
  debug(message: string): void
  /** Worth knowing but expected, nothing to fix (a fork's run that skipped evaluation): a notice, not a warning. */
  notice(message: string): void
  warning(message: string, at?: LogPlace): void
  /** Runs `fn` inside a collapsible group (the action) or under a heading (the CLI). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
}

// Messages carry user text (judge names, URLs, API replies): control characters are escaped on the way out.
export const actionsLog: GateLog = {
  info: message => core.info(escapeControls(message)),
  debug: message => core.debug(escapeControls(message)),
  notice: message => core.notice(escapeControls(message)),
  warning: (message, at) =>
    core.warning(escapeControls(message), at ? { file: at.file, startLine: at.line, startColumn: at.column } : {}),
  group: (title, fn) => core.group(title, fn)
}

export function streamLog(
  stream: NodeJS.WritableStream = process.stderr,
  options: { verbose?: boolean } = {}
): GateLog {
  return {
    info: message => void stream.write(`${escapeControls(message)}\n`),
    debug: message => void (options.verbose && stream.write(`debug: ${escapeControls(message)}\n`)),
    notice: message => void stream.write(`notice: ${escapeControls(message)}\n`),
    warning: message => void stream.write(`warning: ${escapeControls(message)}\n`),
    group: async (title, fn) => {
      stream.write(`== ${escapeControls(title)}\n`)
      return fn()
    }
  }
}

/** For tests: keeps every line, debug lines apart (`debugLines`). */
export function memoryLog(): GateLog & { lines: string[]; debugLines: string[] } {
  const lines: string[] = []
  const debugLines: string[] = []
  return {
    lines,
    debugLines,
    info: message => void lines.push(message),
    debug: message => void debugLines.push(message),
    notice: message => void lines.push(`notice: ${message}`),
    warning: message => void lines.push(`warning: ${message}`),
    group: async (title, fn) => {
      lines.push(`== ${title}`)
      return fn()
    }
  }
}

/**
 * A stand-in for @actions/core, as the actions/typescript-action template does it: inputs come from INPUT_* variables
 * like the real getInput, and every call the action makes (outputs, failure, log lines, annotations) is recorded.
 */
import { jest } from '@jest/globals'

type Log = (message: string, properties?: object) => void

export const getInput = jest.fn((name: string): string =>
  (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
)
export const setSecret = jest.fn<(secret: string) => void>()
export const setOutput = jest.fn<(name: string, value: unknown) => void>()
export const setFailed = jest.fn<(message: string | Error) => void>()
export const info = jest.fn<(message: string) => void>()
export const debug = jest.fn<(message: string) => void>()
export const warning = jest.fn<Log>()
export const error = jest.fn<Log>()
export const notice = jest.fn<Log>()
export const startGroup = jest.fn<(name: string) => void>()
export const endGroup = jest.fn<() => void>()
export const group = jest.fn(async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  startGroup(name)
  try {
    return await fn()
  } finally {
    endGroup()
  }
})
export const isDebug = jest.fn(() => false)

/** The job summary: what was written, in order. */
export const summaryWrites: string[] = []
export const summary = {
  addRaw(text: string) {
    summaryWrites.push(text)
    return summary
  },
  async write() {
    return summary
  }
}

/** Every output the action set, by name. */
export function outputs(): Record<string, string> {
  return Object.fromEntries(setOutput.mock.calls.map(([name, value]) => [name, String(value)]))
}

export function messages(fn: { mock: { calls: unknown[][] } }): string[] {
  return fn.mock.calls.map(call => String(call[0]))
}

export function reset(): void {
  for (const fn of [setSecret, setOutput, setFailed, info, debug, warning, error, notice, startGroup, endGroup])
    fn.mockClear()
  summaryWrites.length = 0
}

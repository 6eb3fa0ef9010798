import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { main } from '../../src/cli/program.js'
import { DEFAULT_EMULATOR_API_KEY } from '../../src/emulator/options.js'
import { call, until } from './helpers.js'

afterEach(() => {
  jest.restoreAllMocks()
  process.exitCode = undefined
})

describe('pique-gate emulator', () => {
  it('prints its URL, serves the API with the default key, and stops on SIGTERM', async () => {
    const lines: string[] = []
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')))
    const exit = main(['node', 'pique-gate', 'emulator', '--port', '0', '--seed', '3', '--processing-ms', '10'])
    const url = await until(() => lines.map((l) => /listening on (http:\/\/\S+)/.exec(l)?.[1]).find(Boolean))
    expect(lines.join('\n')).toContain(DEFAULT_EMULATOR_API_KEY)
    expect((await call(url, 'GET', '/v1/judges')).status).toBe(200)
    process.emit('SIGTERM')
    expect(await exit).toBe(0)
    expect(lines).toContain('Pique emulator stopped')
    await expect(fetch(url + '/v1/judges')).rejects.toThrow()
  })

  it('exits 2 with a one-line error for a bad flag', async () => {
    const errors: string[] = []
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')))
    expect(await main(['node', 'pique-gate', 'emulator', '--port', '0', '--webhook-drop-rate', 'often'])).toBe(2)
    expect(errors).toEqual(['pique-gate emulator: --webhook-drop-rate: expected a probability in [0, 1], got "often"'])
  })
})

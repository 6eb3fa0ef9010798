import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
    const url = await until(() => lines.map(l => /listening on (http:\/\/\S+)/.exec(l)?.[1]).find(Boolean))
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

  it('lists every problem of a scenario file, each at its line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pique-emulator-cli-'))
    try {
      const scenario = join(dir, 'f.yml')
      writeFileSync(scenario, '- match: "*"\n  scroe: 0.5\n- match: "*/x"\n  nevr: true\n')
      const errors: string[] = []
      jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')))
      expect(await main(['node', 'pique-gate', 'emulator', '--port', '0', '--scenario', scenario])).toBe(2)
      expect(errors).toEqual([
        `pique-gate emulator: ${scenario}:2:3: [0].scroe: unknown key (did you mean "score"?)`,
        `pique-gate emulator: ${scenario}:4:3: [1].nevr: unknown key (did you mean "never"?)`
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

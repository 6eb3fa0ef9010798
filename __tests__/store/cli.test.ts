// The `store` command's own checks: a bad number is one line naming the flag or variable, exit 2, before any listen.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { main } from '../../src/cli/program.js'

const saved = { ...process.env }
afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = undefined
})

async function run(...args: string[]): Promise<{ code: number; errors: string[] }> {
  const errors: string[] = []
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')))
  const code = await main(['node', 'pique-gate', 'store', ...args])
  return { code, errors }
}

describe('pique-gate store', () => {
  it('names a bad --port in one line and exits 2', async () => {
    expect(await run('--port', '99999')).toEqual({
      code: 2,
      errors: ['pique-gate store: --port: expected a port number 0-65535 (0 picks a free one), got "99999"']
    })
    expect(await run('--port', '-1')).toEqual({
      code: 2,
      errors: ['pique-gate store: --port: expected a port number 0-65535 (0 picks a free one), got "-1"']
    })
  })

  it('checks every numeric flag, and names the variable when the value came from the environment', async () => {
    expect(await run('--tolerance-seconds', '5m')).toEqual({
      code: 2,
      errors: ['pique-gate store: --tolerance-seconds: expected whole seconds ≥ 0, got "5m"']
    })
    expect(await run('--body-limit-bytes', '0')).toEqual({
      code: 2,
      errors: ['pique-gate store: --body-limit-bytes: expected whole bytes ≥ 1, got "0"']
    })
    expect(await run('--retention-days', '1.5')).toEqual({
      code: 2,
      errors: ['pique-gate store: --retention-days: expected whole days ≥ 0, got "1.5"']
    })
    process.env.PIQUE_STORE_PORT = 'eighty'
    expect(await run()).toEqual({
      code: 2,
      errors: ['pique-gate store: PIQUE_STORE_PORT: expected a port number 0-65535 (0 picks a free one), got "eighty"']
    })
  })

  it('reads the body-only opt-in variable strictly: a value that is not on or off is named, exit 2', async () => {
    process.env.PIQUE_STORE_ACCEPT_BODY_ONLY_SIGNATURES = 'maybe'
    expect(await run()).toEqual({
      code: 2,
      errors: ['pique-gate store: PIQUE_STORE_ACCEPT_BODY_ONLY_SIGNATURES: expected true or false, got "maybe"']
    })
  })

  it('says a port is taken in one line', async () => {
    const taken = createServer()
    await new Promise<void>(r => taken.listen(0, '127.0.0.1', r))
    const dir = mkdtempSync(join(tmpdir(), 'pique-store-cli-'))
    try {
      process.env.PIQUE_STORE_WEBHOOK_SECRETS = 'whsec_cli_test'
      const port = String((taken.address() as AddressInfo).port)
      expect(
        await run('--port', port, '--database', `sqlite:${join(dir, 'store.db')}`, '--log-level', 'silent')
      ).toEqual({
        code: 2,
        errors: [`pique-gate store: port ${port} is already in use (try --port 0 for any free port)`]
      })
    } finally {
      await new Promise(r => taken.close(r))
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/**
 * Stopping the emulator while webhook deliveries hang (a receiver that takes the connection and never answers,
 * as a store on its way down does) or wait to be retried: close() cancels them instead of waiting them out, and
 * the command exits promptly on SIGINT exactly as on SIGTERM.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { type Server, type Socket, createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { DEFAULT_EMULATOR_API_KEY, type RunningEmulator, type WebhookRetryOptions } from '../../src/emulator/options.js'
import { call, fastEmulator, until, videoJudge } from './helpers.js'
import { startReceiver } from './receiver.js'

const CLI = resolve('dist/cli/index.js')

/** Takes connections and reads requests, but never answers. */
interface Silent {
  url: string
  /** Requests whose first bytes arrived. */
  requests: number
  /** Connections the sender has not closed. */
  open: number
  close(): Promise<void>
}

async function silentReceiver(): Promise<Silent> {
  const sockets = new Set<Socket>()
  const silent = { url: '', requests: 0, open: 0, close: () => Promise.resolve() }
  const server: Server = createServer(socket => {
    sockets.add(socket)
    silent.open++
    socket.once('data', () => silent.requests++)
    socket.on('close', () => {
      sockets.delete(socket)
      silent.open--
    })
    socket.on('error', () => undefined)
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  silent.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/webhooks/pique`
  silent.close = () =>
    new Promise<void>(r => {
      for (const s of sockets) s.destroy()
      server.close(() => r())
    })
  return silent
}

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

/** An emulator whose organization's webhooks go to `webhookUrl`, with one judge and two URLs submitted. */
async function emulatorDelivering(webhookUrl: string, webhookRetry: WebhookRetryOptions): Promise<RunningEmulator> {
  const emu = await fastEmulator({
    organizations: [{ id: 'org_hooks', apiKeys: [DEFAULT_EMULATOR_API_KEY], webhookSecret: 'whsec_x', webhookUrl }],
    webhookRetry
  })
  cleanup.push(() => emu.close())
  await submit(emu.url)
  return emu
}

async function submit(url: string): Promise<void> {
  const judge = await call(url, 'POST', '/v1/judges', videoJudge())
  const r = await call(url, 'POST', '/v1/evaluations/social-media', {
    judge_id: judge.body.id,
    video_urls: ['https://a.example/1', 'https://a.example/2']
  })
  expect(r.status).toBe(202)
}

describe('emulator shutdown with webhook deliveries under way', () => {
  it('close() aborts deliveries the receiver never answers: prompt, and their connections closed', async () => {
    const silent = await silentReceiver()
    cleanup.push(() => silent.close())
    const emu = await emulatorDelivering(silent.url, {
      maxAttempts: 5,
      baseDelayMs: 50,
      maxDelayMs: 100,
      timeoutMs: 10_000
    })
    await until(() => silent.requests >= 2 || undefined)
    const started = Date.now()
    await emu.close()
    expect(Date.now() - started).toBeLessThan(1000)
    // Nothing of the emulator's stays connected to the receiver (an aborted delivery holds no socket).
    await until(() => silent.open === 0 || undefined, 1000)
    expect(silent.requests).toBe(2)
  })

  it('close() cancels retries: nothing is delivered after it', async () => {
    // A receiver that fails every delivery at once: the emulator keeps retrying every 50 ms.
    const failing = await startReceiver(() => 500)
    cleanup.push(() => failing.close())
    const emu = await emulatorDelivering(failing.url, {
      maxAttempts: 1000,
      baseDelayMs: 50,
      maxDelayMs: 50,
      timeoutMs: 10_000
    })
    await until(() => failing.received.length >= 6 || undefined)
    await emu.close()
    // Deliveries already on their way may still land; after that, no retry comes.
    await new Promise(r => setTimeout(r, 300))
    const settled = failing.received.length
    await new Promise(r => setTimeout(r, 300))
    expect(failing.received.length).toBe(settled)
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`the bundled command exits promptly on ${signal} while a delivery hangs`, async () => {
      if (!existsSync(CLI)) throw new Error('dist/cli/index.js is missing: run npm run package first')
      const silent = await silentReceiver()
      cleanup.push(() => silent.close())
      const args = [
        'emulator',
        '--port',
        '0',
        '--webhook-url',
        silent.url,
        '--webhook-timeout-ms',
        '10000',
        '--webhook-backoff-ms',
        '10000'
      ]
      const child: ChildProcess = spawn(
        process.execPath,
        [CLI, ...args, '--awaiting-upload-ms', '10', '--pending-ms', '10', '--processing-ms', '10'],
        {
          stdio: ['ignore', 'pipe', 'pipe']
        }
      )
      cleanup.push(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')))
      let output = ''
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
      const exited = new Promise<number | null>(r => child.once('exit', code => r(code)))
      const url = await until(() => /listening on (http:\/\/\S+)/.exec(output)?.[1], 15_000)
      await submit(url)
      await until(() => silent.requests >= 2 || undefined)
      const started = Date.now()
      child.kill(signal)
      expect(await exited).toBe(0)
      expect(Date.now() - started).toBeLessThan(2000)
      expect(output).toContain('Pique emulator stopped')
    })
  }
})

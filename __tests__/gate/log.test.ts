/** The CLI's log: debug lines only with --verbose, on the stream it writes to (stderr in the CLI). */
import { describe, expect, it } from '@jest/globals'
import { PassThrough } from 'node:stream'
import { streamLog } from '../../src/gate/log.js'

function captured(verbose?: boolean): { text: () => string; log: ReturnType<typeof streamLog> } {
  const stream = new PassThrough()
  const chunks: string[] = []
  stream.on('data', (c: Buffer) => chunks.push(c.toString()))
  return { text: () => chunks.join(''), log: streamLog(stream, { verbose }) }
}

describe('streamLog', () => {
  it('hides debug lines unless verbose', async () => {
    const quiet = captured()
    quiet.log.info('shown')
    quiet.log.debug('why')
    const loud = captured(true)
    loud.log.debug('why')
    await new Promise(resolve => setImmediate(resolve))
    expect(quiet.text()).toBe('shown\n')
    expect(loud.text()).toBe('debug: why\n')
  })
})

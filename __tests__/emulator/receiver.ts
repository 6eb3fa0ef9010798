// A plain loopback webhook receiver for tests: records raw bodies and headers, answers what the test says.
import { type IncomingHttpHeaders, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  headers: IncomingHttpHeaders
  raw: Buffer
  json: { job_id: string; status: string; [k: string]: unknown }
  at: number
}

export interface Receiver {
  url: string
  received: Received[]
  close(): Promise<void>
}

/** `answer` picks the status for each delivery (given those received before it); 'hang' never answers in time. */
export async function startReceiver(
  answer: (r: Received, before: Received[]) => number | 'hang' = () => 200
): Promise<Receiver> {
  const received: Received[] = []
  const hanging = new Set<NodeJS.Timeout>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const r: Received = { headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')), at: Date.now() }
      const status = answer(r, received.slice())
      received.push(r)
      if (status === 'hang') {
        // Answers long after the emulator's timeout (the emulator has given up by then).
        const t = setTimeout(() => {
          hanging.delete(t)
          res.writeHead(200).end()
        }, 1000)
        hanging.add(t)
        return
      }
      res.writeHead(status).end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () =>
      new Promise(resolve => {
        for (const t of hanging) clearTimeout(t)
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

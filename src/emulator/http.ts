// Small node:http helpers shared by the emulator's routes.
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export class BodyTooLarge extends Error {}

/** The raw request body; rejects with BodyTooLarge past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req) {
    total += (chunk as Buffer).length
    if (total > limit) throw new BodyTooLarge(`request body is larger than ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return
  const headers: Record<string, string> = { ...reply.headers }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end()
    return
  }
  const text = JSON.stringify(reply.body)
  res
    .writeHead(reply.status, {
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(text))
    })
    .end(text)
}

/** `{"detail": ...}`, the API's error shape. */
export const detail = (status: number, message: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { detail: message },
  headers
})

// Small node:http helpers: raw body bytes under a limit (signatures need the exact bytes), JSON answers.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { joinedChunks } from '../model/index.js'

/**
 * Past the body limit, the rest of a request is still read (and dropped) up to this many bytes before the 413 is
 * sent: a client that is still writing its body only reads the answer once it has finished, and a connection closed
 * under it surfaces as EPIPE/ECONNRESET instead of the 413. Beyond this the connection is cut.
 */
export const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024

export type BodyRead =
  | { ok: true; body: Buffer }
  /** drained: the whole request was read, so the client is listening for the answer. */
  | { ok: false; reason: 'too_large'; drained: boolean }
  | { ok: false; reason: 'aborted' }

/** Reads the raw body, keeping at most `limit` bytes; a larger one is drained (up to DISCARD_LIMIT_BYTES more). */
export function readRawBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length'])
  const cutAt = limit + DISCARD_LIMIT_BYTES
  if (Number.isFinite(declared) && declared > cutAt) {
    req.resume()
    return Promise.resolve({ ok: false, reason: 'too_large', drained: false })
  }
  return new Promise(resolve => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (result: BodyRead) => {
      if (done) return
      done = true
      resolve(result)
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else chunks.length = 0
      if (size > cutAt) finish({ ok: false, reason: 'too_large', drained: false })
    })
    req.on('end', () =>
      finish(
        size > limit
          ? { ok: false, reason: 'too_large', drained: true }
          : { ok: true, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) }
      )
    )
    req.on('error', () => finish({ ok: false, reason: 'aborted' }))
    req.on('close', () => finish({ ok: false, reason: 'aborted' }))
  })
}

/** The 413 answer; the connection closes after it (a client cut off mid-body cannot reuse it). */
export function sendTooLarge(res: ServerResponse, limit: number): void {
  sendError(res, 413, `body larger than ${limit} bytes`, { connection: 'close' })
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  if (res.headersSent || res.destroyed) return
  // Encoded once: a length first and the text after would encode a large answer twice.
  const text = Buffer.from(JSON.stringify(body))
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': text.length, ...headers })
  res.end(text)
}

/**
 * An answer serialised as JSON in parts, written in chunks of about 64 KB: a large answer is never one string or one
 * buffer (each would be a large-object allocation, collected only by a full collection).
 */
export function sendJsonParts(res: ServerResponse, status: number, parts: readonly string[]): void {
  if (res.headersSent || res.destroyed) return
  const chunks = [...joinedChunks(parts, JSON_CHUNK_CHARS)].map(chunk => Buffer.from(chunk))
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': chunks.reduce((n, c) => n + c.length, 0)
  })
  res.cork()
  for (const chunk of chunks) res.write(chunk)
  res.end()
  res.uncork()
}
const JSON_CHUNK_CHARS = 64 * 1024

export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {}
): void {
  sendJson(res, status, { error: message }, headers)
}

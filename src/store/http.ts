// Small node:http helpers: raw body bytes under a limit (signatures need the exact bytes), JSON answers.
import type { IncomingMessage, ServerResponse } from 'node:http'

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' }

/** Reads the raw body, stopping as soon as it passes `limit` bytes (declared or actual). */
export function readRawBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    req.resume()
    return Promise.resolve({ ok: false, reason: 'too_large' })
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
      if (done) return
      size += chunk.length
      if (size > limit) {
        chunks.length = 0
        req.resume()
        finish({ ok: false, reason: 'too_large' })
      } else chunks.push(chunk)
    })
    req.on('end', () => finish({ ok: true, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) }))
    req.on('error', () => finish({ ok: false, reason: 'aborted' }))
    req.on('close', () => finish({ ok: false, reason: 'aborted' }))
  })
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {}
): void {
  sendJson(res, status, { error: message }, headers)
}

/** Parses a JSON request body (already decoded); undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * PUTs a file to an upload URL handed out by `presigned-upload` or `reference_content` (a signed storage URL):
 * streamed from disk (never read whole into memory), with exactly the returned `upload_headers` plus the
 * Content-Length HTTP needs, never the API key or any header of our own (signed URLs reject headers they did not
 * sign). Storage answers refusals in XML (`<Error><Code>…`), not the API's JSON. Which failures deserve a fresh
 * upload URL is the caller's decision: see `UploadError.freshSlotHelps`.
 */
import { open } from 'node:fs/promises'
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { formatMs } from './http.js'

export interface UploadTarget {
  upload_url: string
  /** Exactly these headers are sent (Content-Length added when missing). */
  upload_headers?: Record<string, string>
}

export interface UploadFileOptions {
  /** Epoch ms the upload must not outlast (the gate's timeout-minutes). */
  deadline?: number
  /** The upload is abandoned when no byte moves for this long. Default 60 s. */
  idleTimeoutMs?: number
  /** Told of bytes sent so far (for progress logs). */
  onProgress?: (sentBytes: number) => void
  /** Read size from disk; smaller means less memory per upload in flight. Default 64 KiB. */
  chunkBytes?: number
}

/**
 * A failed upload. `status` is storage's HTTP status (undefined when no answer came); `code` the XML error code
 * (`SignatureDoesNotMatch`, `ExpiredToken`, ...).
 */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    /** True when asking for a new upload URL may help: refused (403: expired, signature), 5xx, or no answer. */
    readonly freshSlotHelps: boolean,
    /** True when the run's deadline stopped it. */
    readonly deadline = false
  ) {
    super(message)
    this.name = 'UploadError'
  }
}

/** A chunk the socket did not take; the request's own answer or error event says why. */
class WriteFailed extends Error {}

const DEFAULT_IDLE_MS = 60_000
const DEFAULT_CHUNK = 64 * 1024

/** Where an upload URL points, for messages: origin and path, never the query (its signature). */
export function describeUploadUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return 'the upload URL'
  }
}

/** `<Code>X</Code>` and `<Message>Y</Message>` of storage's XML error body, as text (storage writes `'` as `&#39;`). */
export function storageErrorOf(body: string): { code?: string; message?: string } {
  const pick = (tag: string) => {
    const text = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1]?.trim()
    return text === undefined ? undefined : xmlText(text)
  }
  return { code: pick('Code'), message: pick('Message') }
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** XML character data with its entities undone: numeric ones and the five predefined; anything else stays as sent. */
function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] !== '#') return XML_ENTITIES[name] ?? entity
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1))
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity
  })
}

/** Uploads `size` bytes of the file at `path`. Resolves on a 2xx answer; throws UploadError otherwise. */
export async function uploadFile(
  target: UploadTarget,
  path: string,
  size: number,
  options: UploadFileOptions = {}
): Promise<void> {
  let url: URL
  try {
    url = new URL(target.upload_url)
  } catch {
    throw new UploadError('upload URL from Pique is not a URL', undefined, undefined, true)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UploadError(`upload URL from Pique is not http(s) (${url.protocol})`, undefined, undefined, true)
  const where = describeUploadUrl(target.upload_url)
  const headers: Record<string, string> = { ...target.upload_headers }
  if (!Object.keys(headers).some(h => h.toLowerCase() === 'content-length')) headers['Content-Length'] = String(size)
  const left = (options.deadline ?? Infinity) - Date.now()
  if (left <= 0)
    throw new UploadError(`PUT ${where}: no time was left before the deadline`, undefined, undefined, false, true)

  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<void>((resolve, reject) => {
    let settled = false
    let sent = 0
    const finish = (error?: UploadError) => {
      if (settled) return
      settled = true
      clearTimeout(deadlineTimer)
      clearTimeout(idleTimer)
      if (error) {
        req.destroy()
        reject(error)
      } else resolve()
    }
    const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_MS
    let idleTimer: NodeJS.Timeout | undefined
    const touch = () => {
      clearTimeout(idleTimer)
      idleTimer = setTimeout(
        () =>
          finish(
            new UploadError(
              `PUT ${where}: no progress for ${formatMs(idleMs)} (${sent} of ${size} bytes sent)`,
              undefined,
              undefined,
              true
            )
          ),
        idleMs
      )
    }
    const deadlineTimer = setTimeout(
      () =>
        finish(
          new UploadError(
            `PUT ${where}: the gate's time ran out (timeout-minutes) with ${sent} of ${size} bytes sent`,
            undefined,
            undefined,
            false,
            true
          )
        ),
      Math.min(left, 2 ** 31 - 1)
    )
    const req: ClientRequest = send(url, { method: 'PUT', headers }, (res: IncomingMessage) => {
      touch()
      const chunks: Buffer[] = []
      let kept = 0
      res.on('data', (chunk: Buffer) => {
        touch()
        // Error bodies are small; keep at most 16 KiB of whatever comes.
        if (kept < 16_384) chunks.push(chunk)
        kept += chunk.length
      })
      res.on('error', e => finish(new UploadError(`PUT ${where}: ${e.message}`, res.statusCode, undefined, true)))
      res.on('end', () => {
        const status = res.statusCode ?? 0
        if (status >= 200 && status < 300) return finish()
        const body = Buffer.concat(chunks).toString('utf8')
        const { code, message } = storageErrorOf(body)
        const said = [code, message].filter(Boolean).join(': ') || body.replace(/\s+/g, ' ').trim().slice(0, 200)
        const hint =
          status === 403
            ? ' (expired or refused upload URL)'
            : status === 400 || status === 411
              ? ' (the upload does not match what the URL was issued for)'
              : ''
        finish(
          new UploadError(
            `PUT ${where}: storage answered ${status}${said ? `: ${said}` : ''}${hint}`,
            status,
            code,
            status === 403 || status === 408 || status === 429 || status >= 500
          )
        )
      })
    })
    req.on('error', e =>
      finish(new UploadError(`PUT ${where}: ${e.message} (${sent} of ${size} bytes sent)`, undefined, undefined, true))
    )
    touch()
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK
    void (async () => {
      const handle = await open(path, 'r')
      try {
        // Two buffers, reused: the next chunk is read while the last one is still being written, and memory stays
        // flat whatever the file size (a read stream's fresh buffer per chunk waits for the GC).
        const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)]
        let writing: Promise<void> = Promise.resolve()
        for (let position = 0, turn = 0; position < size && !settled; turn++) {
          const buffer = buffers[turn % 2]
          const { bytesRead } = await handle.read(buffer, 0, Math.min(chunkBytes, size - position), position)
          if (bytesRead === 0) throw new Error(`the file is shorter than ${size} bytes (it changed during the upload)`)
          position += bytesRead
          await writing
          writing = new Promise<void>((done, fail) =>
            req.write(buffer.subarray(0, bytesRead), e => {
              if (e) return fail(new WriteFailed(e.message))
              sent += bytesRead
              touch()
              options.onProgress?.(sent)
              done()
            })
          )
        }
        await writing
        if (!settled) req.end()
      } finally {
        await handle.close()
      }
    })().catch((e: unknown) => {
      // A failed write is reported by the request itself: its answer (storage refused early) or its 'error' event.
      if (e instanceof WriteFailed) return
      finish(new UploadError(`reading ${path}: ${(e as Error).message}`, undefined, undefined, false))
    })
  })
}

/**
 * The emulator's stand-in for signed Google Cloud Storage URLs: upload slots handed out by `presigned-upload` and
 * `reference_content`, answered on `PUT /_emulator/uploads/:slot`. Like signed storage URLs, a slot enforces its
 * signed `Content-Type`, its declared size and its expiry, and answers refusals with storage's XML, not the API's
 * JSON. Uploaded files are kept in a temporary folder so the job can be measured.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { API_KEY_HEADER } from '../pique/limits.js'
import { escapeXml } from '../report/escape.js'

export const UPLOADS_PATH = '/_emulator/uploads'

export interface UploadSlot {
  id: string
  orgId: string
  /** A direct-upload job's file, or reference content. */
  target: { kind: 'job'; jobId: string } | { kind: 'reference'; uri: string }
  /** The signed Content-Type; undefined when the slot signs none (reference content: the API returns no headers). */
  contentType?: string
  /** The declared size a job upload must have exactly. */
  sizeBytes?: number
  expiresAt: number
  used: boolean
}

export interface UploadOptions {
  /** Lifetime of presigned-upload URLs, ms. */
  evaluationUrlLifetimeMs: number
  /** Lifetime of reference-content URLs, ms. */
  referenceUrlLifetimeMs: number
  /** Largest file accepted, bytes. */
  maxFileBytes: number
}

/** Storage's error body: `<Error><Code>…</Code><Message>…</Message></Error>`. */
export function storageError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) return
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`
  res
    .writeHead(status, { 'Content-Type': 'application/xml; charset=UTF-8', 'Content-Length': Buffer.byteLength(body) })
    .end(body)
}

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

export class UploadSlots {
  private readonly slots = new Map<string, UploadSlot>()
  private folder: Promise<string> | undefined

  constructor(readonly options: UploadOptions) {}

  issue(slot: Omit<UploadSlot, 'id' | 'used' | 'expiresAt'>): UploadSlot {
    const lifetime =
      slot.target.kind === 'job' ? this.options.evaluationUrlLifetimeMs : this.options.referenceUrlLifetimeMs
    const issued: UploadSlot = {
      ...slot,
      id: randomBytes(18).toString('base64url'),
      expiresAt: Date.now() + lifetime,
      used: false
    }
    this.slots.set(issued.id, issued)
    return issued
  }

  /** The slot's URL, shaped like a signed URL (expiry and signature in the query string). */
  urlOf(baseUrl: string, slot: UploadSlot): string {
    const expires = Math.floor(slot.expiresAt / 1000)
    return `${baseUrl}${UPLOADS_PATH}/${slot.id}?X-Goog-Expires=${expires}&X-Goog-Signature=${slot.id.slice(0, 12)}`
  }

  /**
   * Receives a PUT: checks the slot's rules, streams the body to a file (stopping past the declared or maximum
   * size), then hands the file to `done`. Answers with storage's XML on refusal.
   */
  async receive(
    slotId: string,
    req: IncomingMessage,
    res: ServerResponse,
    done: (slot: UploadSlot, path: string) => void
  ): Promise<void> {
    try {
      const slot = this.check(slotId, req)
      const limit = slot.sizeBytes ?? this.options.maxFileBytes
      const path = join(await this.dir(), slot.id)
      let received = 0
      await pipeline(
        req,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            received += chunk.length
            if (received > limit) throw new Refused(400, 'EntityTooLarge', `The upload is larger than ${limit} bytes`)
            yield chunk
          }
        },
        createWriteStream(path)
      )
      if (slot.sizeBytes !== undefined && received !== slot.sizeBytes)
        throw new Refused(400, 'IncompleteBody', `Received ${received} bytes, the signed size is ${slot.sizeBytes}`)
      slot.used = true
      done(slot, path)
      res.writeHead(200, { 'Content-Length': '0' }).end()
    } catch (error) {
      if (error instanceof Refused) {
        // Leave the rest of the body unread: the connection closes after the answer.
        res.setHeader('Connection', 'close')
        storageError(res, error.status, error.code, error.message)
        req.resume()
        return
      }
      storageError(res, 500, 'InternalError', (error as Error).message)
    }
  }

  private check(slotId: string, req: IncomingMessage): UploadSlot {
    const slot = this.slots.get(slotId)
    if (!slot) throw new Refused(403, 'AccessDenied', 'Anonymous caller does not have storage.objects.create access')
    if (Date.now() >= slot.expiresAt) throw new Refused(403, 'ExpiredToken', 'Invalid argument: the signed URL expired')
    if (slot.used) throw new Refused(403, 'AccessDenied', 'This upload URL was already used')
    // The service's own key must never travel to storage: the emulator refuses it so a client that leaks it fails.
    if (req.headers[API_KEY_HEADER.toLowerCase()] !== undefined)
      throw new Refused(
        400,
        'InvalidArgument',
        `Unexpected header ${API_KEY_HEADER}: never send the API key to storage`
      )
    const sent = req.headers['content-type']
    if (slot.contentType !== undefined && sent !== slot.contentType) {
      throw new Refused(
        403,
        'SignatureDoesNotMatch',
        `The request signature we calculated does not match the signature you provided: Content-Type ${sent === undefined ? 'missing' : `"${sent}"`}, signed "${slot.contentType}"`
      )
    }
    const length = req.headers['content-length']
    if (slot.sizeBytes !== undefined) {
      if (length === undefined) throw new Refused(411, 'MissingContentLength', 'Content-Length is required')
      if (Number(length) !== slot.sizeBytes)
        throw new Refused(
          400,
          'InvalidArgument',
          `Content-Length ${length} does not match the signed size ${slot.sizeBytes} (file_size_bytes)`
        )
    }
    if (length !== undefined && Number(length) > this.options.maxFileBytes)
      throw new Refused(400, 'EntityTooLarge', `The upload is larger than ${this.options.maxFileBytes} bytes`)
    return slot
  }

  private dir(): Promise<string> {
    this.folder ??= mkdtemp(join(tmpdir(), 'pique-emulator-uploads-'))
    return this.folder
  }

  /** Forgets every slot and deletes the uploaded files. */
  async clear(): Promise<void> {
    this.slots.clear()
    const folder = this.folder
    this.folder = undefined
    if (folder) await rm(await folder, { recursive: true, force: true })
  }
}

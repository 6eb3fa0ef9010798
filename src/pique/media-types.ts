/**
 * The media files direct upload takes: extension → MIME type → Pique content type, and the magic bytes that
 * identify each format. One table, read by the client (content type and the upload's Content-Type), config
 * validation (which files a judge can take) and the emulator (the `Content-Type` its upload slots sign).
 */
import type { UPLOAD_CONTENT_TYPES } from './limits.js'

export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number]

export interface MediaFormat {
  /** Short name used in messages and for sniffing results ("mp4", "png"). */
  name: string
  mime: string
  contentType: UploadContentType
  /** Lower-case extensions without the dot; the first is the usual one. */
  extensions: readonly string[]
}

const MEDIA_FORMATS: readonly MediaFormat[] = [
  { name: 'mp4', mime: 'video/mp4', contentType: 'video', extensions: ['mp4', 'm4v'] },
  { name: 'mov', mime: 'video/quicktime', contentType: 'video', extensions: ['mov', 'qt'] },
  { name: 'webm', mime: 'video/webm', contentType: 'video', extensions: ['webm'] },
  { name: 'mkv', mime: 'video/x-matroska', contentType: 'video', extensions: ['mkv'] },
  { name: 'avi', mime: 'video/x-msvideo', contentType: 'video', extensions: ['avi'] },
  { name: 'png', mime: 'image/png', contentType: 'image', extensions: ['png'] },
  { name: 'jpeg', mime: 'image/jpeg', contentType: 'image', extensions: ['jpg', 'jpeg'] },
  { name: 'gif', mime: 'image/gif', contentType: 'image', extensions: ['gif'] },
  { name: 'webp', mime: 'image/webp', contentType: 'image', extensions: ['webp'] },
  { name: 'wav', mime: 'audio/wav', contentType: 'audio', extensions: ['wav'] },
  { name: 'mp3', mime: 'audio/mpeg', contentType: 'audio', extensions: ['mp3'] },
  { name: 'm4a', mime: 'audio/mp4', contentType: 'audio', extensions: ['m4a'] },
  { name: 'aac', mime: 'audio/aac', contentType: 'audio', extensions: ['aac'] },
  { name: 'ogg', mime: 'audio/ogg', contentType: 'audio', extensions: ['ogg', 'oga', 'opus'] },
  { name: 'flac', mime: 'audio/flac', contentType: 'audio', extensions: ['flac'] }
]

/** The lower-case extension of a file name, without the dot ("" when it has none). */
export function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : ''
}

export function formatForExtension(extension: string): MediaFormat | undefined {
  const ext = extension.replace(/^\./, '').toLowerCase()
  return MEDIA_FORMATS.find(f => f.extensions.includes(ext))
}

function formatByName(name: string): MediaFormat | undefined {
  return MEDIA_FORMATS.find(f => f.name === name)
}

/** Extensions accepted for a content type, for messages ("mp4, m4v, mov, ..."). */
export function extensionsFor(contentType: UploadContentType): string[] {
  return MEDIA_FORMATS.filter(f => f.contentType === contentType).flatMap(f => [...f.extensions])
}

/** Bytes `sniffFormat` needs from the start of a file. */
export const SNIFF_BYTES = 64

const ascii = (bytes: Uint8Array, at: number, text: string): boolean =>
  bytes.length >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0))

/** ISO base media (`ftyp` box at 4): MP4, MOV and M4A tell themselves apart by the major brand. */
function isoBrand(bytes: Uint8Array): string | undefined {
  if (!ascii(bytes, 4, 'ftyp') || bytes.length < 12) return undefined
  return String.fromCharCode(...bytes.subarray(8, 12))
}

/**
 * The format a file's first bytes show, or undefined when they match none of MEDIA_FORMATS. Formats that share
 * a container (MP4 and M4A; WebM and Matroska) are told apart only where the header says so: an MP4 container
 * with an `M4A ` brand is audio, any other brand video; EBML is WebM when its doctype says `webm`.
 */
export function sniffFormat(bytes: Uint8Array): MediaFormat | undefined {
  const b = bytes
  const name = ((): string | undefined => {
    const brand = isoBrand(b)
    if (brand !== undefined) {
      if (brand === 'qt  ') return 'mov'
      if (brand === 'M4A ' || brand === 'M4B ') return 'm4a'
      return 'mp4'
    }
    // Older QuickTime files start with a moov/mdat/wide/free box instead of ftyp.
    if (['moov', 'mdat', 'wide', 'free', 'skip'].some(box => ascii(b, 4, box))) return 'mov'
    if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
      return Buffer.from(b.subarray(0, SNIFF_BYTES)).includes('webm') ? 'webm' : 'mkv'
    }
    if (ascii(b, 0, 'RIFF')) {
      if (ascii(b, 8, 'AVI ')) return 'avi'
      if (ascii(b, 8, 'WAVE')) return 'wav'
      if (ascii(b, 8, 'WEBP')) return 'webp'
      return undefined
    }
    if (b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return 'png'
    if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
    if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif'
    if (ascii(b, 0, 'ID3')) return 'mp3'
    if (ascii(b, 0, 'OggS')) return 'ogg'
    if (ascii(b, 0, 'fLaC')) return 'flac'
    // MPEG audio frame sync: MP3 (layer III) or ADTS AAC (layer bits 00).
    if (b[0] === 0xff && b.length > 1 && (b[1] & 0xe0) === 0xe0) return (b[1] & 0x06) === 0 ? 'aac' : 'mp3'
    return undefined
  })()
  return name === undefined ? undefined : formatByName(name)
}

/** Two formats are the same family when one file may honestly carry either name (an .mp4 holding QuickTime). */
export function sameFamily(a: MediaFormat, b: MediaFormat): boolean {
  if (a.name === b.name) return true
  const families = [
    ['mp4', 'mov', 'm4a'],
    ['webm', 'mkv'],
    ['mp3', 'aac']
  ]
  return families.some(f => f.includes(a.name) && f.includes(b.name))
}

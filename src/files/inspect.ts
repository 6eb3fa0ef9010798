/**
 * What a local media file is, checked before anything is uploaded: a regular, non-empty file within the size
 * limit, real media rather than a Git LFS pointer, its content type from the extension confirmed by its first
 * bytes, and its identity (content SHA-256, hashed streaming so memory stays flat for large files).
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import {
  type MediaFormat,
  SNIFF_BYTES,
  type UploadContentType,
  extensionOf,
  extensionsFor,
  formatForExtension,
  sameFamily,
  sniffFormat
} from '../pique/media-types.js'
import { formatBytes } from './bytes.js'

/** Git LFS pointer files start with this line (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
const LFS_POINTER_PREFIX = 'version https://git-lfs.github.com/spec/v1'
/** Pointer files are small; anything larger is not one. */
const LFS_POINTER_MAX_BYTES = 1024

export interface InspectedFile {
  /** Absolute path on disk. */
  path: string
  size: number
  format: MediaFormat
  contentType: UploadContentType
  mime: string
}

/** A file that cannot be uploaded, with a one-line reason that says what to do. */
export class FileProblem extends Error {}

export interface InspectOptions {
  /** Files above this many bytes are refused before upload. */
  maxBytes: number
  /** The judge's content type: a file of another type is refused before upload. */
  judgeContentType?: string
}

/** Checks one file; throws FileProblem with the reason. `shown` is the path as the user wrote it. */
export async function inspectFile(path: string, shown: string, options: InspectOptions): Promise<InspectedFile> {
  let info
  try {
    info = await stat(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new FileProblem(code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})`)
  }
  if (!info.isFile()) throw new FileProblem('not a regular file')
  if (info.size === 0) throw new FileProblem('the file is empty')
  const head = await readHead(path, Math.max(SNIFF_BYTES, LFS_POINTER_PREFIX.length))
  if (info.size <= LFS_POINTER_MAX_BYTES && Buffer.from(head).toString('latin1').startsWith(LFS_POINTER_PREFIX)) {
    throw new FileProblem(
      'is a Git LFS pointer, not the media: check the repository out with LFS (actions/checkout with `lfs: true`, or `git lfs pull`)'
    )
  }
  if (info.size > options.maxBytes)
    throw new FileProblem(
      `is ${formatBytes(info.size)}, above the max-file-size of ${formatBytes(options.maxBytes)}: raise max-file-size or leave the file out`
    )
  const ext = extensionOf(shown)
  const byName = formatForExtension(ext)
  if (!byName) {
    const accepted = (['video', 'image', 'audio'] as const).map(t => `${t}: ${extensionsFor(t).join(', ')}`).join('; ')
    throw new FileProblem(
      `${ext ? `".${ext}" is not` : 'a file without an extension is not'} a media type direct upload takes (${accepted})`
    )
  }
  const byBytes = sniffFormat(head)
  if (!byBytes)
    throw new FileProblem(
      `the content is not ${byName.name.toUpperCase()} (its first bytes match no known media format)`
    )
  if (!sameFamily(byName, byBytes))
    throw new FileProblem(
      `the content is ${byBytes.name.toUpperCase()} but the extension says ${byName.name.toUpperCase()}: rename the file to .${byBytes.extensions[0]}`
    )
  if (options.judgeContentType && byName.contentType !== options.judgeContentType)
    throw new FileProblem(
      `is ${byName.contentType} (${byName.mime}) but the judge evaluates ${options.judgeContentType}: use ${byName.contentType === 'image' || byName.contentType === 'audio' ? 'an' : 'a'} ${byName.contentType} judge for it, or leave it out`
    )
  return { path, size: info.size, format: byName, contentType: byName.contentType, mime: byName.mime }
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** The file's content SHA-256 (hex), read in chunks. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

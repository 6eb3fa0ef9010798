/**
 * Measures media files: video (width, height, fps, duration, aspect ratio, audio sample rate), images (width,
 * height, megapixels) and audio (duration, sample rate), with
 * mediainfo.js, MediaInfoLib compiled to WebAssembly: MP4, MOV, WebM/Matroska and more, no hand-written parsing.
 *
 * mediainfo.js is loaded at run time from node_modules rather than bundled: its Emscripten loader imports
 * `node:module` dynamically, which webpack's (ncc's) interop breaks, and it finds its .wasm next to itself.
 */
import { open } from 'node:fs/promises'
import type { MediaInfo, ReadChunkFunc } from 'mediainfo.js'

export interface VideoSpecs {
  width: number
  height: number
  aspect_ratio: string
  fps: number
  duration_sec: number
  audio_sample_rate?: number
}

/** Files above this are not measured (the emulator only reads small local fixtures). */
const MAX_BYTES = 64 * 1024 * 1024

let instance: Promise<MediaInfo<'object'>> | undefined
/** MediaInfoLib is one stateful instance: analyses run one at a time. */
let queue: Promise<unknown> = Promise.resolve()

function mediaInfo(): Promise<MediaInfo<'object'>> {
  instance ??= import(/* webpackIgnore: true */ 'mediainfo.js').then(m => m.default({ format: 'object' }))
  // A failed load is retried next time rather than cached.
  instance.catch(() => (instance = undefined))
  return instance
}

let users = 0

/** Emulators hold the library while they run; the last one to stop frees its WebAssembly instance. */
export function retainMediaLibrary(): void {
  users++
}

export function releaseMediaLibrary(): void {
  users = Math.max(0, users - 1)
  if (users > 0 || !instance) return
  const loaded = instance
  instance = undefined
  void queue
    .then(() => loaded)
    .then(
      mi => mi.close(),
      () => undefined
    )
}

/** Why videos cannot be measured here (the media library does not load), or undefined when they can. */
export async function mediaLibraryProblem(): Promise<string | undefined> {
  try {
    await mediaInfo()
    return undefined
  } catch (error) {
    return (error as Error).message.split('\n')[0]
  }
}

/** True for URLs on this machine: the only ones the emulator fetches. */
export function isLoopbackUrl(value: string): boolean {
  let host: string
  try {
    host = new URL(value).hostname
  } catch {
    return false
  }
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
}

const KNOWN_RATIOS = ['9:16', '16:9', '1:1', '4:5', '5:4', '4:3', '3:4', '2:3', '3:2', '21:9']

export function ratioValue(ratio: string): number {
  const [w, h] = ratio.split(':').map(Number)
  return w / h
}

/** "9:16" for 1080x1920; a near-standard ratio gets its usual name, anything else its reduced fraction. */
export function aspectRatioOf(width: number, height: number): string {
  const r = width / height
  const known = KNOWN_RATIOS.find(k => Math.abs(ratioValue(k) - r) / r < 0.01)
  if (known) return known
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a)
  const g = gcd(width, height) || 1
  return `${width / g}:${height / g}`
}

/** Megapixels to two decimals: 1080x1920 is 2.07. */
export function megapixelsOf(width: number, height: number): number {
  return Math.round((width * height) / 1e4) / 100
}

export interface ImageSpecs {
  width: number
  height: number
  aspect_ratio: string
  megapixels: number
}

export interface AudioSpecs {
  duration_sec: number
  sample_rate: number
}

/** What a file turned out to be when measured: the first video track wins, then an image, then audio alone. */
export type MeasuredMedia =
  { kind: 'video'; specs: VideoSpecs } | { kind: 'image'; specs: ImageSpecs } | { kind: 'audio'; specs: AudioSpecs }

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6

/** Measures media read through `read` (chunks at offsets), one analysis at a time. */
async function analyze(size: number, read: ReadChunkFunc): Promise<MeasuredMedia | undefined> {
  const mi = await mediaInfo()
  const run = queue.then(() => mi.analyzeData(size, read))
  queue = run.catch(() => undefined)
  const tracks = (await run).media?.track ?? []
  const general = tracks.find(t => t['@type'] === 'General')
  const video = tracks.find(t => t['@type'] === 'Video')
  const image = tracks.find(t => t['@type'] === 'Image')
  const audio = tracks.find(t => t['@type'] === 'Audio')
  const generalDuration = Number(general && 'Duration' in general ? general.Duration : 0) || 0
  const sampleRate = audio && audio['@type'] === 'Audio' ? Number(audio.SamplingRate) || undefined : undefined
  if (video && video['@type'] === 'Video' && video.Width && video.Height) {
    const rotated = Math.abs(Number(video.Rotation ?? 0)) % 180 === 90
    const width = rotated ? video.Height : video.Width
    const height = rotated ? video.Width : video.Height
    return {
      kind: 'video',
      specs: {
        width,
        height,
        aspect_ratio: aspectRatioOf(width, height),
        fps: Math.round((Number(video.FrameRate) || 0) * 1000) / 1000,
        duration_sec: round6(generalDuration || Number(video.Duration) || 0),
        ...(sampleRate ? { audio_sample_rate: sampleRate } : {})
      }
    }
  }
  if (image && image['@type'] === 'Image' && image.Width && image.Height) {
    const { Width: width, Height: height } = image
    return {
      kind: 'image',
      specs: {
        width,
        height,
        aspect_ratio: aspectRatioOf(width, height),
        megapixels: megapixelsOf(width, height)
      }
    }
  }
  if (audio && audio['@type'] === 'Audio' && sampleRate) {
    return {
      kind: 'audio',
      specs: { duration_sec: round6(generalDuration || Number(audio.Duration) || 0), sample_rate: sampleRate }
    }
  }
  return undefined
}

/** Specs of a media file's bytes, or undefined when it has no video track. */
export async function measureBytes(bytes: Uint8Array): Promise<VideoSpecs | undefined> {
  const measured = await analyze(bytes.length, (size, offset) => bytes.subarray(offset, offset + size))
  return measured?.kind === 'video' ? measured.specs : undefined
}

/** Video, image or audio specs of a file on disk, read in the chunks the library asks for (never whole). */
export async function measureFile(path: string): Promise<MeasuredMedia | undefined> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    return await analyze(size, async (chunkSize, offset) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(chunkSize, size - offset)))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
      return buffer.subarray(0, bytesRead)
    })
  } finally {
    await handle.close()
  }
}

/**
 * Downloads a loopback URL and measures it. Undefined when the URL is not on this machine, does not answer
 * 200 in time, is too large, is not a video, or the media library is unavailable.
 */
export async function measureVideoUrl(
  url: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {}
): Promise<VideoSpecs | undefined> {
  if (!isLoopbackUrl(url)) return undefined
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000)
  try {
    const res = await fetch(url, {
      signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      redirect: 'manual'
    })
    if (res.status !== 200 || !res.body) return undefined
    const declared = Number(res.headers.get('content-length') ?? 0)
    if (declared > MAX_BYTES) return undefined
    const chunks: Uint8Array[] = []
    let total = 0
    for await (const chunk of res.body) {
      total += chunk.length
      if (total > MAX_BYTES) return undefined
      chunks.push(chunk)
    }
    return await measureBytes(Buffer.concat(chunks))
  } catch {
    return undefined
  }
}

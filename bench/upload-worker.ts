/**
 * One upload in its own process, for bench/upload-memory.ts: `stream` is the product's uploadFile (streamed from
 * disk); `whole` reads the file into memory first and PUTs the buffer (what the product must not do), for contrast.
 * Prints {peakRssMb, startRssMb, ms} as JSON.
 */
import { readFile, stat } from 'node:fs/promises'
import { uploadFile } from '../src/pique/upload.js'

const [mode, path, url] = process.argv.slice(2)
const mb = (bytes: number) => bytes / 1024 / 1024
const startRssMb = mb(process.memoryUsage.rss())
const started = Date.now()
const { size } = await stat(path)
const headers = { 'Content-Type': 'video/mp4' }
if (mode === 'stream') {
  await uploadFile({ upload_url: url, upload_headers: headers }, path, size)
} else {
  const body = await readFile(path)
  const res = await fetch(url, { method: 'PUT', body, headers: { ...headers, 'Content-Length': String(size) } })
  if (!res.ok) throw new Error(`PUT answered ${res.status}`)
}
// maxRSS is in kilobytes: the process's peak resident set over its whole life.
const peakRssMb = process.resourceUsage().maxRSS / 1024
process.stdout.write(JSON.stringify({ peakRssMb, startRssMb, ms: Date.now() - started }))

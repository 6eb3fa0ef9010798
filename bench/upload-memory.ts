/**
 * Direct-upload memory bench: peak RSS of a process uploading generated files of 2 MiB, 200 MiB and 600 MiB with the
 * product's streaming upload, side by side with reading the 200 MiB file whole first. Each upload runs in its own process
 * (bench/upload-worker.ts) so its peak RSS is its own; the storage stand-in is a loopback server that counts and
 * discards the bytes. The files are generated at run time in a temp folder and deleted after.
 *
 *   npm run bench:upload      (BENCH_UPLOAD_MB=500 for a larger file)
 */
import { spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIG_MB = Number(process.env.BENCH_UPLOAD_MB ?? 200)
const SMALL_MB = 2

async function makeFile(path: string, mb: number): Promise<void> {
  const out = createWriteStream(path)
  // Varied bytes (not zeros), 1 MiB at a time: the file itself is never held in this process either.
  const block = Buffer.alloc(1024 * 1024)
  for (let i = 0; i < mb; i++) {
    block.fill(i % 251)
    if (!out.write(block)) await new Promise<void>(resolve => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())))
}

interface Result {
  peakRssMb: number
  startRssMb: number
  ms: number
}

function upload(mode: 'stream' | 'whole', path: string, url: string): Promise<Result> {
  const worker = fileURLToPath(new URL('./upload-worker.ts', import.meta.url))
  const child = spawn(process.execPath, [...process.execArgv, worker, mode, path, url], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((resolve, reject) =>
    child.once('exit', code => (code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`worker ${code}`))))
  )
}

const dir = mkdtempSync(join(tmpdir(), 'pique-upload-bench-'))
let received = 0
const sink = createServer((req, res) => {
  req.on('data', (c: Buffer) => (received += c.length))
  req.on('end', () => res.writeHead(200, { 'Content-Length': '0' }).end())
})
await new Promise<void>(resolve => sink.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/bucket/object?X-Goog-Signature=bench`
try {
  const big = join(dir, `big-${BIG_MB}mb.bin`)
  const small = join(dir, `small-${SMALL_MB}mb.bin`)
  const huge = join(dir, `huge-${BIG_MB * 3}mb.bin`)
  await makeFile(big, BIG_MB)
  await makeFile(small, SMALL_MB)
  await makeFile(huge, BIG_MB * 3)
  const rows: [string, number, Result][] = []
  for (const [mode, path, mb] of [
    ['stream', small, SMALL_MB],
    ['stream', big, BIG_MB],
    ['stream', huge, BIG_MB * 3],
    ['whole', big, BIG_MB]
  ] as const) {
    received = 0
    const r = await upload(mode, path, url)
    if (received !== mb * 1024 * 1024) throw new Error(`${mode} ${mb} MB: storage received ${received} bytes`)
    rows.push([`${mode === 'stream' ? 'streamed (product)' : 'read whole first'}`, mb, r])
  }
  console.log(
    `load average ${loadavg()
      .map(n => n.toFixed(2))
      .join(' ')}`
  )
  console.log('| upload | file | peak RSS | start RSS | growth | time | MB/s |')
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (const [label, mb, r] of rows)
    console.log(
      `| ${label} | ${mb} MiB | ${r.peakRssMb.toFixed(1)} MiB | ${r.startRssMb.toFixed(1)} MiB | ${(r.peakRssMb - r.startRssMb).toFixed(1)} MiB | ${r.ms} ms | ${((mb / r.ms) * 1000).toFixed(0)} |`
    )
  const [small2, stream200, stream600, whole200] = rows.map(r => r[2])
  const growth = (r: Result) => r.peakRssMb - r.startRssMb
  console.log(
    `\npeak RSS, streamed ${BIG_MB} MiB / streamed ${SMALL_MB} MiB: ${(stream200.peakRssMb / small2.peakRssMb).toFixed(2)}`
  )
  console.log(
    `RSS growth, streamed ${BIG_MB * 3} MiB / streamed ${BIG_MB} MiB: ${(growth(stream600) / growth(stream200)).toFixed(2)} (flat = 1.00; 3.00 would grow with the file)`
  )
  console.log(
    `peak RSS, read whole ${BIG_MB} MiB / streamed ${BIG_MB} MiB: ${(whole200.peakRssMb / stream200.peakRssMb).toFixed(2)}`
  )
} finally {
  sink.close()
  rmSync(dir, { recursive: true, force: true })
}

/**
 * The reuse lookup as the gate makes it, from a process of its own (the bench process also runs the emulator, whose
 * heap made its collections, and so the client's timings, several times slower than a gate's).
 *
 *   node --experimental-transform-types --import ./bench/ts-hooks.mjs bench/reuse-lookups.ts <request.json> <count>
 *
 * request.json: { url, token, request: ResultLookupRequest, reusable: number }. Prints the times in ms as JSON.
 */
import { readFileSync } from 'node:fs'
import { StoreClient } from '../src/store/client.js'
import type { ResultLookupRequest } from '../src/store/protocol.js'

const [file, count] = process.argv.slice(2)
const job = JSON.parse(readFileSync(file, 'utf8')) as {
  url: string
  token: string
  request: ResultLookupRequest
  reusable: number
}
const client = new StoreClient({ baseUrl: job.url, token: job.token })
const times: number[] = []
for (let i = 0; i < Number(count); i++) {
  const t0 = performance.now()
  const answer = await client.lookupResults(job.request)
  times.push(performance.now() - t0)
  const found = answer.items.filter(x => x.reusable).length
  if (found !== job.reusable) throw new Error(`the lookup found ${found} reusable results, not ${job.reusable}`)
}
process.stdout.write(JSON.stringify(times))

/**
 * The reuse lookup as the gate makes it: from a process of its own, after a first store request (the gate checks its
 * read token before it looks anything up), with the gate's store client. `count` lookups follow, back to back.
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
await client.query({ job_ids: ['bench-warm-up'] })
const times: number[] = []
for (let i = 0; i < Number(count); i++) {
  const t0 = performance.now()
  const answer = await client.lookupResults(job.request)
  times.push(performance.now() - t0)
  const found = answer.items.filter(x => x.reusable).length
  if (found !== job.reusable) throw new Error(`the lookup found ${found} reusable results, not ${job.reusable}`)
}
process.stdout.write(JSON.stringify(times))

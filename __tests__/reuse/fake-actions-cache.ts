/**
 * A stand-in for the GitHub Actions cache service (the v1 "artifactcache" protocol @actions/cache speaks when
 * ACTIONS_CACHE_URL is set), on loopback. The real @actions/cache client runs against it unchanged: tar archives,
 * key + version matching, reserve → chunked upload → commit, download. Matching follows GitHub's rules: each key in
 * order, exact first, then the newest entry whose key starts with it; a key cannot be saved twice.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

interface Entry {
  id: number
  key: string
  version: string
  chunks: Buffer
  committed: boolean
  createdAt: number
}

export interface FakeActionsCache {
  /** ACTIONS_CACHE_URL (with its trailing slash). */
  url: string
  /** Committed entries' keys, oldest first. */
  keys(): string[]
  /** The env a process needs to use it. */
  env(): Record<string, string>
  close(): Promise<void>
}

export async function startFakeActionsCache(): Promise<FakeActionsCache> {
  const entries: Entry[] = []
  let nextId = 1
  let tick = 0
  const body = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    return Buffer.concat(chunks)
  }
  const json = (res: ServerResponse, status: number, value?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(value === undefined ? undefined : JSON.stringify(value))
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://cache')
      const path = url.pathname
      if (req.method === 'GET' && path === '/_apis/artifactcache/cache') {
        const keys = (url.searchParams.get('keys') ?? '').split(',')
        const version = url.searchParams.get('version')
        const ready = entries.filter(e => e.committed && e.version === version)
        for (const key of keys) {
          const hit =
            ready.find(e => e.key === key) ??
            ready.filter(e => e.key.startsWith(key)).sort((a, b) => b.createdAt - a.createdAt)[0]
          if (hit)
            return json(res, 200, {
              cacheKey: hit.key,
              scope: 'refs/heads/main',
              archiveLocation: `http://127.0.0.1:${port}/archive/${hit.id}`
            })
        }
        res.writeHead(204)
        return res.end()
      }
      if (req.method === 'POST' && path === '/_apis/artifactcache/caches') {
        const { key, version } = JSON.parse((await body(req)).toString()) as { key: string; version: string }
        if (entries.some(e => e.key === key && e.version === version))
          return json(res, 409, { message: `Cache already exists. Scope: refs/heads/main, Key: ${key}` })
        const entry: Entry = { id: nextId++, key, version, chunks: Buffer.alloc(0), committed: false, createdAt: 0 }
        entries.push(entry)
        return json(res, 201, { cacheId: entry.id })
      }
      const m = /^\/_apis\/artifactcache\/caches\/(\d+)$/.exec(path)
      const entry = m ? entries.find(e => e.id === Number(m[1])) : undefined
      if (m && !entry) return json(res, 404, { message: 'no such cache' })
      if (entry && req.method === 'PATCH') {
        const range = /bytes (\d+)-(\d+)/.exec(String(req.headers['content-range']))
        const data = await body(req)
        const start = range ? Number(range[1]) : 0
        const grown = Buffer.alloc(Math.max(entry.chunks.length, start + data.length))
        entry.chunks.copy(grown)
        data.copy(grown, start)
        entry.chunks = grown
        return json(res, 204)
      }
      if (entry && req.method === 'POST') {
        const { size } = JSON.parse((await body(req)).toString()) as { size: number }
        if (size !== entry.chunks.length) return json(res, 400, { message: 'size mismatch' })
        entry.committed = true
        entry.createdAt = ++tick
        return json(res, 204)
      }
      const a = /^\/archive\/(\d+)$/.exec(path)
      const archived = a ? entries.find(e => e.id === Number(a[1]) && e.committed) : undefined
      if (req.method === 'GET' && archived) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': archived.chunks.length })
        return res.end(archived.chunks)
      }
      json(res, 404, { message: 'no such endpoint' })
    })().catch(() => json(res, 500, { message: 'fake cache failed' }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}/`
  return {
    url,
    keys: () =>
      entries
        .filter(e => e.committed)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map(e => e.key),
    env: () => ({ ACTIONS_CACHE_URL: url, ACTIONS_RUNTIME_TOKEN: 'fake-runtime-token' }),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

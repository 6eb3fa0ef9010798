/**
 * A local stand-in for the parts of the GitHub REST API the reports use: issue comments (list with Link-header
 * pagination, create, update) and repository contents at a ref. `readOnly` answers writes with 403 the way a
 * fork pull request's token is refused; `faults` answers the next requests with errors.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Router from 'find-my-way'

export interface FakeComment {
  id: number
  body: string
  /** Who posted it; only the token's own comments (`github-actions[bot]`) may be edited. */
  user: string
}

const TOKEN_USER = 'github-actions[bot]'

export class FakeGitHub {
  readonly comments = new Map<number, FakeComment[]>()
  /** `${ref}:${path}` → file text. */
  readonly files = new Map<string, string>()
  readonly requests: string[] = []
  /** Every request body received, in order (what the reports sent to GitHub). */
  readonly bodies: string[] = []
  readOnly = false
  /** Answers for the next requests (of `method`, else any), before normal service resumes: a 502, a rate limit. */
  readonly faults: { status: number; method?: string; headers?: Record<string, string>; body?: unknown }[] = []
  private nextId = 1000
  private server?: Server
  url = ''

  addComment(issue: number, body: string, user = TOKEN_USER): FakeComment {
    const c = { id: this.nextId++, body, user }
    this.comments.set(issue, [...(this.comments.get(issue) ?? []), c])
    return c
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.get(issue) ?? []
  }

  async start(): Promise<void> {
    const router = Router({ defaultRoute: (_req, res) => send(res, 404, { message: 'Not Found' }) })
    router.on('GET', '/repos/:owner/:repo/issues/:number/comments', (req, res, params) => {
      const url = new URL(req.url ?? '', this.url)
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      const page = Number(url.searchParams.get('page') ?? 1)
      const all = this.commentsOn(Number(params.number))
      const slice = all.slice((page - 1) * perPage, page * perPage)
      const headers: Record<string, string> = {}
      if (page * perPage < all.length) {
        url.searchParams.set('page', String(page + 1))
        headers.link = `<${url.href}>; rel="next"`
      }
      send(
        res,
        200,
        slice.map(c => ({ id: c.id, body: c.body, user: { login: c.user } })),
        headers
      )
    })
    router.on('POST', '/repos/:owner/:repo/issues/:number/comments', async (req, res, params) => {
      if (this.readOnly) return send(res, 403, { message: 'Resource not accessible by integration' })
      const { body } = JSON.parse(await this.readBody(req)) as { body: string }
      send(res, 201, this.addComment(Number(params.number), body))
    })
    router.on('PATCH', '/repos/:owner/:repo/issues/comments/:id', async (req, res, params) => {
      if (this.readOnly) return send(res, 403, { message: 'Resource not accessible by integration' })
      const { body } = JSON.parse(await this.readBody(req)) as { body: string }
      for (const list of this.comments.values()) {
        const found = list.find(c => c.id === Number(params.id))
        if (found) {
          if (found.user !== TOKEN_USER) return send(res, 403, { message: 'Resource not accessible by integration' })
          found.body = body
          return send(res, 200, found)
        }
      }
      send(res, 404, { message: 'Not Found' })
    })
    router.on('GET', '/repos/:owner/:repo/contents/*', (req, res, params) => {
      const ref = new URL(req.url ?? '', this.url).searchParams.get('ref') ?? ''
      const text = this.files.get(`${ref}:${decodeURIComponent(params['*'] ?? '')}`)
      if (text === undefined) return send(res, 404, { message: 'Not Found' })
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(text)
    })
    this.server = createServer((req, res) => {
      this.requests.push(`${req.method} ${req.url}`)
      const index = this.faults.findIndex(f => !f.method || f.method === req.method)
      if (index >= 0) {
        const [fault] = this.faults.splice(index, 1)
        return send(res, fault.status, fault.body ?? { message: 'Server Error' }, fault.headers)
      }
      router.lookup(req, res)
    })
    await new Promise<void>(resolve => this.server?.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const body = await readBody(req)
    this.bodies.push(body)
    return body
  }

  async stop(): Promise<void> {
    // The REST client keeps connections alive: close them, or the test worker cannot exit.
    this.server?.closeAllConnections()
    await new Promise<void>(resolve => this.server?.close(() => resolve()))
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

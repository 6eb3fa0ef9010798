/**
 * The bundled action loads what a run uses, and no more: a plain run never loads the REST client, JUnit or the
 * store client (they are chunks of dist/ imported on use); a run that comments loads them and still works through
 * an HTTP proxy, where @actions/github's fetch needs the undici that the bundle now loads on demand
 * (src/toolkit/undici-lazy.ts).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { type Server, createServer, request } from 'node:http'
import { type Socket, connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../report/fake-github.js'
import { ACTION_BUNDLE, DIST, type Environment, pullRequestEnv, runAction, startEnvironment } from './harness.js'
import { SCENARIO, judgeYaml, urlList } from './fixtures.js'

const PR = 5
let env: Environment
let github: FakeGitHub
let proxy: Server
let proxyUrl: string
/** What the proxy was asked for: `CONNECT host:port` or `GET http://…`. */
const proxied: string[] = []
let prEnv: Record<string, string>

/** A forward proxy that sends everything to the fake GitHub API, whatever host was asked for. */
function startProxy(): Promise<void> {
  const target = new URL(github.url)
  proxy = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`)
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: new URL(req.url ?? '').pathname + new URL(req.url ?? '').search,
        headers: req.headers
      },
      reply => {
        res.writeHead(reply.statusCode ?? 502, reply.headers)
        reply.pipe(res)
      }
    )
    req.pipe(upstream)
  })
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    proxied.push(`CONNECT ${req.url}`)
    const upstream = connect(Number(target.port), target.hostname, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  return new Promise(done =>
    proxy.listen(0, '127.0.0.1', () => {
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
      done()
    })
  )
}

beforeAll(async () => {
  env = await startEnvironment(SCENARIO)
  github = new FakeGitHub()
  await github.start()
  await startProxy()
  prEnv = { ...pullRequestEnv(env.dir, PR), GITHUB_RUN_ID: '9' }
})
afterAll(async () => {
  proxy?.closeAllConnections()
  await new Promise(done => proxy?.close(done))
  await github?.stop()
  await env?.close()
})

/** The dist/ chunks (files other than index.js) a run loaded, by what they hold. */
function chunksLoaded(stderr: string): string[] {
  const loaded = new Set(
    stderr
      .split('\n')
      .filter(l => l.startsWith('loaded '))
      .map(l => resolve(l.slice('loaded '.length)))
  )
  const kinds: string[] = []
  for (const file of readdirSync(DIST).filter(f => /^\d+\.index\.js$/.test(f))) {
    if (!loaded.has(join(DIST, file))) continue
    const text = readFileSync(join(DIST, file), 'utf8')
    if (text.includes('@octokit')) kinds.push('octokit')
    else if (text.includes('llhttp')) kinds.push('undici')
    else if (text.includes('<testsuites')) kinds.push('junit')
    else kinds.push(file)
  }
  return kinds.sort()
}

// Prints each ES module file the bundle loads (dist/index.js imports its chunks as ES modules).
const TRACE = `data:text/javascript,${encodeURIComponent(
  "import { registerHooks } from 'node:module'; import { fileURLToPath } from 'node:url';" +
    "registerHooks({ load(url, context, next) { if (url.startsWith('file:')) process.stderr.write('loaded ' + fileURLToPath(url) + '\\n'); return next(url, context) } })"
)}`

const files = () => ({ 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1', 'good/2') })
const inputs = { judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7', wait: 'api' }

describe('lazy loading in the bundle', () => {
  it('a run without comment, JUnit or store loads no chunk', async () => {
    const run = await runAction(env, inputs, files(), { NODE_OPTIONS: `--import=${TRACE}` })
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(`loaded ${ACTION_BUNDLE}`)
    expect(chunksLoaded(run.stderr)).toEqual([])
  })

  it('a pull request run comments through an HTTP proxy, loading the REST client and undici on use', async () => {
    proxied.length = 0
    const run = await runAction(
      env,
      { ...inputs, comment: 'true', 'github-token': 'ghs_fake', 'junit-path': 'junit.xml' },
      files(),
      {
        ...prEnv,
        // Not loopback, so the proxy is used (loopback addresses bypass it); the proxy resolves it to the fake API.
        GITHUB_API_URL: `http://github.test:${new URL(github.url).port}`,
        HTTP_PROXY: proxyUrl,
        HTTPS_PROXY: proxyUrl,
        NODE_OPTIONS: `--import=${TRACE}`
      }
    )
    expect(run.code).toBe(0)
    expect(github.commentsOn(PR)).toHaveLength(1)
    expect(proxied.length).toBeGreaterThan(0)
    expect(proxied.every(p => p.includes('github.test'))).toBe(true)
    expect(chunksLoaded(run.stderr)).toEqual(expect.arrayContaining(['junit', 'octokit', 'undici']))
  })
})

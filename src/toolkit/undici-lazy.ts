/**
 * Stands in for `undici` inside the bundles (tsconfig `paths`, which ncc applies to every import, node_modules
 * included). @actions/http-client imports undici when it loads, although only `getAgentDispatcher` (an HTTP proxy
 * for fetch) uses it, and @actions/core loads http-client: so every start evaluated undici's ~0.9 MB before the
 * first request. The two things the toolkit takes from undici, `fetch` (@actions/github's octokit requests) and
 * `ProxyAgent` (the proxy dispatcher handed to that fetch), load the real undici from a chunk of its own on first use.
 * Tests run the real undici (jest ignores `paths`); __tests__/github/proxy.test.ts runs the bundle through a proxy.
 */

/** The part of undici used here, loosely typed: undici's own types clash with the copy @types/node carries. */
interface Undici {
  fetch(input: unknown, init?: object): Promise<unknown>
  ProxyAgent: new (options: unknown) => object
}

let real: Promise<Undici> | undefined
const undici = (): Promise<Undici> =>
  (real ??= import('../../node_modules/undici/index.js') as unknown as Promise<Undici>)

/** Keeps a proxy dispatcher's options until a request needs it; `fetch` then swaps in undici's ProxyAgent. */
export class ProxyAgent {
  private agent?: Promise<object>
  constructor(readonly options: unknown) {}
  dispatcher(): Promise<object> {
    return (this.agent ??= undici().then(u => new u.ProxyAgent(this.options)))
  }
}

export async function fetch(input: unknown, init: { dispatcher?: unknown } = {}): Promise<unknown> {
  const dispatcher = init.dispatcher instanceof ProxyAgent ? await init.dispatcher.dispatcher() : init.dispatcher
  return (await undici()).fetch(input, { ...init, dispatcher })
}

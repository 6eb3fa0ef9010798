// STUB (owned by the store helper): the action's client for the store's read API (protocol.ts).
import type { QueryResponse, RegisterRequest } from './protocol.js'

export interface StoreClientOptions {
  baseUrl: string
  token: string
  timeoutMs?: number
}

export class StoreClient {
  constructor(readonly options: StoreClientOptions) {}
  /** Where Pique should send webhooks for this store. */
  get ingestUrl(): string {
    return new URL('/v1/webhooks/pique', this.options.baseUrl).toString()
  }
  /** Long-polls when `wait_seconds` > 0; resolves early when any job changes after `after` or all are terminal. */
  async query(_req: { job_ids: string[]; wait_seconds?: number; after?: number }): Promise<QueryResponse> {
    throw new Error('StoreClient.query is not implemented yet')
  }
  async register(_jobs: RegisterRequest['jobs']): Promise<void> {
    throw new Error('StoreClient.register is not implemented yet')
  }
}

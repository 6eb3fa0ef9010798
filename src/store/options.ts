// STUB (owned by the store helper): the options the gate's tests rely on; the helper may add more.
export interface StoreOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  /** `sqlite:PATH` (default `sqlite:./pique-store.db`) or a `postgres://` URL. */
  database: string
  /** Webhook signing secrets; several during rotation. */
  webhookSecrets: string[]
  /** Bearer tokens for reads. */
  readTokens: string[]
  toleranceSeconds: number
  bodyLimitBytes: number
  retentionDays: number
}

export interface RunningStore {
  /** Base URL, e.g. http://127.0.0.1:43123. */
  url: string
  port: number
  close(): Promise<void>
}

// STUB (owned by the store helper).
import type { RunningStore, StoreOptions } from './options.js'

export async function startStore(_options: Partial<StoreOptions>): Promise<RunningStore> {
  throw new Error('startStore is not implemented yet')
}

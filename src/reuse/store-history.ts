/** Past results from the webhook store: one lookup request per run (results.ts on the store's side). */
import type { ResultLookupRequest, ResultLookupResponse } from '../store/protocol.js'
import { MAX_LOOKUP_IDENTITIES } from '../store/protocol.js'
import { type HistoryQuery, type ItemHistory, type ResultHistory, historyFromAnswer } from './history.js'

export interface ResultLookup {
  lookupResults(req: ResultLookupRequest): Promise<ResultLookupResponse>
}

export function storeHistory(store: ResultLookup, judgeFingerprint: string, where: string): ResultHistory {
  return {
    kind: 'store',
    where,
    async lookup(query: HistoryQuery): Promise<Map<string, ItemHistory>> {
      const out = new Map<string, ItemHistory>()
      const identities = [...new Set(query.identities)]
      // One request for any run up to MAX_LOOKUP_IDENTITIES items; larger ones take a request per slice.
      for (let i = 0; i < identities.length; i += MAX_LOOKUP_IDENTITIES) {
        const answer = await store.lookupResults({
          judge_fingerprint: judgeFingerprint,
          identities: identities.slice(i, i + MAX_LOOKUP_IDENTITIES),
          max_age_seconds: Math.round(query.maxAgeSeconds),
          ...(query.base ? { base: query.base } : {})
        })
        for (const [identity, entry] of historyFromAnswer(answer)) out.set(identity, entry)
      }
      return out
    },
    // The store records every result from its webhooks, job → identity from the registration.
    async remember() {}
  }
}

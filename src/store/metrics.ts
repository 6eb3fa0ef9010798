// Prometheus metrics, one registry per store instance (tests run several in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { SIGNATURE_FAILURES } from '../pique/signature.js'

export type DeliveryOutcome = 'applied' | 'duplicate' | 'stale' | 'unauthorized' | 'bad_request' | 'too_large' | 'error'

export interface StoreMetrics {
  registry: Registry
  deliveries: Counter<'outcome'>
  /** Labelled only with SIGNATURE_FAILURES (never free text), so its series stay few whatever senders send. */
  verificationFailures: Counter<'reason'>
  /** Every signature header value checked: its name, its format and the result (`verified` or a failure kind). */
  signatureChecks: Counter<'header' | 'format' | 'result'>
  /** Accepted deliveries whose status or event is undocumented (stored, marked unrecognised). */
  unrecognised: Counter
  ingestSeconds: Histogram
  commitGroupSize: Histogram
}

export function createStoreMetrics(waiters: () => number): StoreMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'pique_store_' })
  const registers = [registry]
  new Gauge({
    name: 'pique_store_waiters',
    help: 'Long-poll queries waiting for a change',
    registers,
    collect() {
      this.set(waiters())
    }
  })
  const verificationFailures = new Counter({
    name: 'pique_store_signature_failures_total',
    help: 'Deliveries rejected by signature verification, by reason',
    labelNames: ['reason'],
    registers
  })
  // Every reason is listed from the start (at 0), so a dashboard can rate() one before it first happens.
  for (const reason of SIGNATURE_FAILURES) verificationFailures.inc({ reason }, 0)
  return {
    registry,
    deliveries: new Counter({
      name: 'pique_store_deliveries_total',
      help: 'Webhook deliveries by outcome',
      labelNames: ['outcome'],
      registers
    }),
    verificationFailures,
    // Labels come from fixed lists (two header names, four formats, the failure kinds), never from request text.
    signatureChecks: new Counter({
      name: 'pique_store_signature_checks_total',
      help: 'Signature header values checked, by header name, format and result',
      labelNames: ['header', 'format', 'result'],
      registers
    }),
    unrecognised: new Counter({
      name: 'pique_store_unrecognised_deliveries_total',
      help: 'Accepted deliveries whose status or event is not a documented one (kept, not final)',
      registers
    }),
    ingestSeconds: new Histogram({
      name: 'pique_store_ingest_duration_seconds',
      help: 'Time from the delivery request to its answer (accepted deliveries include the durable commit)',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers
    }),
    commitGroupSize: new Histogram({
      name: 'pique_store_commit_group_size',
      help: 'Deliveries committed together in one transaction',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers
    })
  }
}

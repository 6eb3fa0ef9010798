/**
 * The fault suite (suite.ts). `npm test` runs a small sample (FAULT_SEEDS, default 2 seeds per mode); the full suite
 * is `npm run test:faults` (100 seeds per mode), whose result docs/performance.md records.
 */
import { describe, expect, it } from '@jest/globals'
import { runSuite, summarize } from './suite.js'

const SEEDS = Number(process.env.FAULT_SEEDS ?? 2)
const PARALLEL = Number(process.env.FAULT_PARALLEL ?? 4)
const FIRST = Number(process.env.FAULT_FIRST_SEED ?? 1)

describe('faults never change the verdict', () => {
  it(
    `${SEEDS} seeds per wait mode under read-side faults: the fault-free verdict and per-item results, within 2x its wall time`,
    async () => {
      const results = await runSuite(SEEDS, PARALLEL, FIRST)
      const lines = summarize(results)
      process.stdout.write(`fault suite (seeds ${FIRST}..${FIRST + SEEDS - 1}):\n  ${lines.join('\n  ')}\n`)
      const differing = results.filter(r => !r.same)
      for (const r of differing)
        process.stdout.write(
          `  seed ${r.seed} ${r.mode}: clean ${JSON.stringify(r.clean)}\n    faulty ${JSON.stringify(r.faulty)}\n`
        )
      expect(differing.map(r => `${r.seed}/${r.mode}`)).toEqual([])
      for (const mode of ['api', 'store']) {
        const rs = results.filter(r => r.mode === mode)
        const ratio = rs.reduce((s, r) => s + r.faulty.ms, 0) / rs.reduce((s, r) => s + r.clean.ms, 0)
        expect(ratio).toBeLessThanOrEqual(2)
      }
    },
    // Seeds of ~10 s each, PARALLEL at a time, two modes; plus a margin for a loaded machine.
    Math.max(60_000, Math.ceil((SEEDS * 2) / PARALLEL) * 40_000)
  )
})

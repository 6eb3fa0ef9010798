/**
 * The results cache through the GitHub Actions cache, for action runs without a store. The folder cache
 * (result-cache.ts) lives in the runner's temp folder: restored before the first lookup, saved after the run's
 * results are remembered. Cache keys are immutable, so every save gets a new key under the judge's prefix and a
 * restore (which matches keys by prefix) takes the newest entry with that prefix (this branch's first, then the base branch's: GitHub's cache
 * scoping). Failures only warn: the cache saves money, it never decides the verdict.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as cache from '@actions/cache'
import type { HistoryQuery, ItemHistory, NewResult, ResultHistory } from './history.js'
import { fingerprintDigest, folderResultCache } from './result-cache.js'

export interface ActionsCacheOptions {
  judgeFingerprint: string
  env: NodeJS.ProcessEnv
  info: (message: string) => void
  warning: (message: string) => void
}

/** `pique-gate-results-v1-<32 hex of the fingerprint>-`: every entry of one judge. */
export function actionsCacheKeyPrefix(judgeFingerprint: string): string {
  return `pique-gate-results-v1-${fingerprintDigest(judgeFingerprint)}-`
}

/** The one folder restored and saved (its path is part of the cache version, so it never varies by run). */
function actionsCacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.RUNNER_TEMP || tmpdir(), 'pique-gate-results')
}

export function actionsCacheAvailable(): boolean {
  return cache.isFeatureAvailable()
}

export function actionsCacheHistory(options: ActionsCacheOptions): ResultHistory {
  const dir = actionsCacheDir(options.env)
  const prefix = actionsCacheKeyPrefix(options.judgeFingerprint)
  const folder = folderResultCache({ dir, judgeFingerprint: options.judgeFingerprint, onProblem: options.warning })
  let restored: Promise<void> | undefined
  const restore = () =>
    (restored ??= (async () => {
      try {
        const hit = await cache.restoreCache([dir], prefix)
        options.info(
          hit ? `Results cache restored from the GitHub Actions cache (${hit})` : 'No results cache yet for this judge'
        )
      } catch (error) {
        options.warning(`Could not restore the results cache: ${message(error)}; nothing is reused this run`)
      }
    })())

  return {
    kind: 'cache',
    where: 'the GitHub Actions cache',
    async lookup(query: HistoryQuery): Promise<Map<string, ItemHistory>> {
      await restore()
      return folder.lookup(query)
    },
    async remember(results: NewResult[]): Promise<void> {
      if (!results.some(r => r.result.outcome === 'completed')) return
      await restore()
      await folder.remember(results)
      const key = `${prefix}${options.env.GITHUB_RUN_ID ?? 'local'}-${options.env.GITHUB_RUN_ATTEMPT ?? '1'}-${Date.now().toString(36)}`
      try {
        await cache.saveCache([dir], key)
        options.info(`Results cache saved to the GitHub Actions cache (${key})`)
      } catch (error) {
        options.warning(`Could not save the results cache: ${message(error)}; the next run evaluates these again`)
      }
    }
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

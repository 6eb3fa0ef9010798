/** Look jobs up on the results endpoint, each once, with bounded concurrency. */
import type { PiqueApi } from '../pique/api.js'
import { PiqueDeadlineError } from '../pique/errors.js'
import { forEachLimit } from './concurrency.js'
import { errorMessage, isAuthError } from './errors.js'
import type { GateLog } from './log.js'
import { plural } from '../model/index.js'
import type { JobTracker } from './tracker.js'

export type ResultLookup = Pick<PiqueApi, 'getResult'>

export interface LookupOptions {
  concurrency: number
  log: GateLog
  /** Job ids already warned about, so a failing poll is reported once, not every round. */
  warned?: Set<string>
  /** Epoch ms: no lookup (retries included) runs past it; a job it stops stays pending, without a warning. */
  deadline?: number
}

/**
 * Records every result found, and how each lookup ended (`tracker.noteLookup`, for the report of a job that never
 * finished). A bad key stops everything; other errors warn and leave the job pending, to be looked up again later.
 * A lookup the deadline stops is not warned about: the wait reports every job unfinished at the deadline.
 */
export async function lookupOnce(
  api: ResultLookup,
  jobIds: readonly string[],
  tracker: JobTracker,
  options: LookupOptions
): Promise<void> {
  options.log.debug(`Looking up ${plural(jobIds.length, 'job')} on the results endpoint`)
  await forEachLimit(jobIds, options.concurrency, async jobId => {
    try {
      const result = await api.getResult(jobId, { deadline: options.deadline })
      tracker.noteLookup(jobId, {})
      tracker.record(result)
    } catch (error) {
      if (isAuthError(error)) throw error
      if (error instanceof PiqueDeadlineError) {
        // One never sent (no time was left) says nothing about the job; one cut short says why it stopped.
        if (error.attempts > 0) tracker.noteLookup(jobId, { deadline: true, error: errorMessage(error) })
        options.log.debug(`Lookup of ${jobId} stopped by the deadline; the job stays pending`)
        return
      }
      tracker.noteLookup(jobId, { error: errorMessage(error) })
      if (options.warned?.has(jobId)) {
        options.log.debug(`Lookup of ${jobId} failed again: ${errorMessage(error)}`)
        return
      }
      options.warned?.add(jobId)
      options.log.warning(`Could not read the result of ${jobId} (it will be looked up again): ${errorMessage(error)}`)
    }
  })
}

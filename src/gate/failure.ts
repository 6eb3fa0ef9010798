/**
 * A run that ended in an error, as the user should read it: one line, what to do, the problems in their files,
 * and whether it is the user's input (exit 2 in the CLI) or the run's. `failureReport` turns it into a RunReport
 * so every reporter shows it through its usual path (a failed run must never leave a stale verdict behind).
 */
import { ConfigError } from '../config/load.js'
import { SettingsError } from '../config/settings.js'
import { ACTION_SURFACE, type Surface } from '../config/surface.js'
import type { ConfigProblem } from '../config/types.js'
import { PiqueApiError, PiqueCallError, PiqueDeadlineError, PiqueNetworkError } from '../pique/errors.js'
import { GateError, MissingKeyError, errorMessage, isAuthError } from './errors.js'
import { type Item, type ItemOutcome, type RunErrorKind, type RunReport, plural } from '../model/index.js'
import { decidedSoFar } from './decided.js'
import type { GateProgress } from './run-gate.js'
import { settleItems, toleratedFailures } from './verdict.js'
import { buildRunReport } from './run-report.js'

export interface Failure {
  kind: RunErrorKind
  /** One line. */
  message: string
  /** What to do, when the message does not say. */
  hint?: string
  /** Every problem in the user's files, for annotations and the CLI's full list. */
  problems: ConfigProblem[]
  usage: boolean
}

const USAGE_KINDS: readonly RunErrorKind[] = ['settings', 'config', 'missing_key']

/** The error as the user reads it, its hint worded for `surface` (workflow inputs or command-line flags). */
export function describeFailure(error: unknown, surface: Surface = ACTION_SURFACE): Failure {
  const kind = kindOf(error)
  const problems = error instanceof ConfigError ? error.problems : []
  const maybeAccepted = (error as { maybeAccepted?: unknown } | null)?.maybeAccepted === true
  const message = errorMessage(error)
  // The client's own 401 message already says to check the key: say it once.
  const keyChecked = error instanceof PiqueCallError && error.setting === 'key'
  const advice = kind === 'auth' && keyChecked ? undefined : surface.hint(kind)
  const hint = [
    advice,
    maybeAccepted
      ? 'Pique may have acted on the last request (a judge or batch may exist): a re-run could repeat it.'
      : ''
  ]
    .filter(Boolean)
    .join(' ')
  return { kind, message, hint: hint || undefined, problems, usage: USAGE_KINDS.includes(kind) }
}

function kindOf(error: unknown): RunErrorKind {
  if (error instanceof SettingsError) return 'settings'
  if (error instanceof ConfigError) return 'config'
  if (error instanceof MissingKeyError) return 'missing_key'
  if (isAuthError(error)) return 'auth'
  if (error instanceof GateError) return 'gate'
  if (error instanceof PiqueDeadlineError) return 'timeout'
  if (error instanceof PiqueNetworkError) return 'network'
  if (error instanceof PiqueApiError) return 'api'
  return 'internal'
}

/** What the run knew when it stopped. Without settings (a bad input), threshold is unknown (NaN, written as null). */
export interface KnownAtFailure {
  startedAt: string
  threshold?: number
  failOnError?: boolean
  waitMode?: RunReport['waitMode']
  plannedItems?: Item[]
  inputs: Record<string, string>
  /** The gate's own record of how far it got (its plan, judge, submitted jobs, results); fills what is not given above. */
  progress?: GateProgress
}

export function failureReport(failure: Failure, known: KnownAtFailure): RunReport {
  const { progress } = known
  const failOnError = known.failOnError ?? true
  const items = submittedSoFar(known)
  return buildRunReport({
    verdict: 'failed',
    reason: failure.message,
    threshold: known.threshold ?? Number.NaN,
    failOnError,
    waitMode: known.waitMode ?? 'api',
    judge: progress?.judge,
    batchIds: [...(progress?.batchIds ?? [])],
    items,
    skippedUnchanged: progress?.plan?.skippedUnchanged ?? 0,
    skippedUnchangedKinds: progress?.plan?.skippedUnchangedKinds,
    startedAt: known.startedAt,
    inputs: known.inputs,
    warnings: [...(progress?.plan?.warnings ?? []), ...toleratedFailures(items, failOnError)],
    error: {
      kind: failure.kind,
      message: failure.message,
      hint: [failure.hint, billedNote(progress)].filter(Boolean).join(' ') || undefined,
      problems: failure.problems,
      plannedItems: known.plannedItems ?? progress?.plan?.items ?? []
    }
  })
}

/**
 * The items the run had submitted, as it left them: a result already received settles its item (decide's rules), the
 * others stay `submitted`: sent, their end unknown (`pending` would claim the run waited to its deadline).
 */
function submittedSoFar(known: KnownAtFailure): ItemOutcome[] {
  if (!known.progress || known.threshold === undefined) return []
  const { outcomes, results } = decidedSoFar(known.progress)
  if (!outcomes.length) return []
  return settleItems(outcomes, { threshold: known.threshold, waitMode: 'none', results })
}

/** Jobs already submitted are billed whatever happened next: say so, and that a re-run submits them again. */
function billedNote(progress: GateProgress | undefined): string | undefined {
  const jobs = progress?.outcomes.filter(o => o.jobId).length ?? 0
  if (!progress || jobs === 0) return undefined
  const batches = progress.batchIds
  return `${plural(jobs, 'job')} had already been submitted to Pique in ${batches.length === 1 ? 'batch' : 'batches'} ${batches.join(', ')} (listed in the JSON report with their job ids); a re-run submits them again.`
}

/**
 * Annotations on the user's files: each failing URL marked at its URL list file and line, or, when the run stopped
 * on config errors, each problem at its file and line. GitHub shows at most 10 error (and 10 warning) annotations
 * per step, so the first 10 are annotated and the summary counts the rest.
 */
import * as core from '@actions/core'
import type { ConfigProblem } from '../config/types.js'
import { type ItemOutcome, type RunReport, itemName } from '../model/index.js'
import { escapeControls } from './escape.js'
import { redact } from './json.js'
import { failsGate, isWarning } from '../gate/policy.js'
import { annotationTarget, explainOutcome, sortWorstFirst } from './outcomes.js'

/** GitHub displays no more than this many annotations of one level per step. */
export const MAX_ANNOTATIONS = 10

export interface AnnotationPlan {
  errors: ItemOutcome[]
  /** Failed evaluations with fail-on-error false. */
  warnings: ItemOutcome[]
  /** Failing URLs annotated. */
  annotated: number
  /** Failing URLs not annotated: over the cap, or from the url-list input (no file to point at). */
  notAnnotated: number
  /** Problems in the user's files of a run that stopped on them (at most MAX_ANNOTATIONS). */
  problems: ConfigProblem[]
}

export function planAnnotations(report: RunReport): AnnotationPlan {
  const ordered = sortWorstFirst(report)
  const failing = ordered.filter(o => failsGate(o, report))
  const errors = failing.filter(o => annotationTarget(o)).slice(0, MAX_ANNOTATIONS)
  const warnings = ordered.filter(o => isWarning(o, report) && annotationTarget(o)).slice(0, MAX_ANNOTATIONS)
  const problems = (report.error?.problems ?? []).slice(0, MAX_ANNOTATIONS)
  return { errors, warnings, annotated: errors.length, notAnnotated: failing.length - errors.length, problems }
}

/** `secrets` are blanked out like in every other report: an error message from a service may echo one. */
export function emitAnnotations(report: RunReport, plan: AnnotationPlan, secrets: readonly string[] = []): void {
  const text = (o: ItemOutcome): string =>
    escapeControls(redact(`${itemName(o)}: ${explainOutcome(o, report)}`, secrets))
  for (const o of plan.errors) core.error(text(o), { title: 'Pique gate', ...annotationTarget(o) })
  for (const o of plan.warnings) core.warning(text(o), { title: 'Pique gate', ...annotationTarget(o) })
  // A problem about a whole file (line 0) is annotated on the file.
  for (const p of plan.problems) {
    core.error(escapeControls(redact(p.message, secrets)), {
      title: escapeControls(p.field) || undefined,
      file: p.file,
      startLine: p.line || undefined,
      startColumn: p.line ? p.column : undefined
    })
  }
}

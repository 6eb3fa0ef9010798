// STUB (owned by the reports helper): signature agreed; implementation in progress.
import type { RunReport } from '../gate/model.js'

export interface ReportContext {
  reportPath: string
  /** Also write JUnit XML here. */
  junitPath?: string
  /** Keep one PR comment up to date (pull_request events only). */
  comment: boolean
  githubToken?: string
  /** actions: job summary, annotations, PR comment, JSON; terminal: a table on stdout, JSON. */
  target: 'actions' | 'terminal'
}

/** Writes every report for a finished (or skipped) run. Never throws for a reporting failure: it warns. */
export async function publishReports(_report: RunReport, _ctx: ReportContext): Promise<void> {}

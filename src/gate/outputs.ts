/** The action's outputs, computed from the report. */
import { Outputs, type OutputName } from '../config/settings.js'
import type { RunReport, Verdict } from '../model/index.js'
import { failsGate } from './policy.js'

/** The `verdict` output: the report's verdict, or `error` for a run that stopped before reaching one. */
type VerdictOutput = Verdict | 'error'

function verdictOutput(report: Pick<RunReport, 'verdict' | 'error'>): VerdictOutput {
  // A run that ended in an error has verdict `failed` in the report (the JSON and the CLI's exit code keep that);
  // the output tells the two apart so a workflow can react to "could not run" differently from "content failed".
  return report.error ? 'error' : report.verdict
}

/** The `results` output is left empty beyond this: step outputs share the runner's size limit. */
export const RESULTS_OUTPUT_MAX_BYTES = 1024 * 1024

export function gateOutputs(report: RunReport, reportPath: string): Record<OutputName, string> {
  const finished = report.items.filter(
    u => u.state === 'passed' || u.state === 'below_threshold' || u.state === 'broke_rule' || u.state === 'failed'
  )
  const results = JSON.stringify(
    report.items.map(u => ({
      ...(u.kind === 'url' ? { url: u.url } : { kind: u.kind, path: u.path, sha256: u.sha256 }),
      state: u.state,
      score: u.score ?? null,
      job_id: u.jobId ?? null
    }))
  )
  return {
    [Outputs.JudgeId]: report.judge?.id ?? '',
    [Outputs.JudgeCreated]: String(report.judge?.origin === 'created'),
    [Outputs.BatchIds]: report.batchIds.join(','),
    [Outputs.Verdict]: verdictOutput(report),
    [Outputs.Passed]: String(report.verdict === 'passed'),
    [Outputs.Evaluated]: String(finished.length),
    [Outputs.Reused]: String(report.counts.reused),
    [Outputs.FailedCount]: String(report.items.filter(u => failsGate(u, report)).length),
    [Outputs.MinScore]: report.minScore === undefined ? '' : String(report.minScore),
    [Outputs.ReportPath]: reportPath,
    [Outputs.Results]: Buffer.byteLength(results) <= RESULTS_OUTPUT_MAX_BYTES ? results : ''
  }
}

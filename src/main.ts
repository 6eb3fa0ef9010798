/**
 * The action: read the inputs, run the gate, publish reports, set outputs; the verdict decides the step's result.
 * A run that ends in an error is published as a failed report too (executeRun), so it fails visibly everywhere.
 */
import * as core from '@actions/core'
import { actionInputs } from './config/settings.js'
import { ACTION_SURFACE } from './config/surface.js'
import { executeRun } from './run/execute.js'
import { actionsLog } from './gate/log.js'
import { gateOutputs } from './gate/outputs.js'
import { escapeControls } from './report/escape.js'

export async function run(): Promise<void> {
  const { report, reportPath } = await executeRun(actionInputs(), { surface: ACTION_SURFACE, log: actionsLog })
  for (const [name, value] of Object.entries(gateOutputs(report, reportPath ?? ''))) core.setOutput(name, value)
  if (report.verdict === 'failed') core.setFailed(escapeControls(report.reason))
}

/** The action: read the inputs, run the gate, publish reports, set outputs; the verdict decides the step's result. */
import * as core from '@actions/core'
import { Outputs, actionInputs, readSettings } from './config/settings.js'
import { executeGate } from './gate/execute.js'
import { describeFailure } from './gate/failure.js'
import { actionsLog } from './gate/log.js'
import { gateOutputs } from './gate/outputs.js'

export async function run(): Promise<void> {
  try {
    const settings = readSettings(actionInputs())
    const report = await executeGate(settings, { target: 'actions', log: actionsLog })
    for (const [name, value] of Object.entries(gateOutputs(report, settings.reportPath))) core.setOutput(name, value)
    if (report.verdict === 'failed') core.setFailed(report.reason)
  } catch (error) {
    const failure = describeFailure(error)
    for (const p of failure.problems) core.error(p.message, { file: p.file, startLine: p.line, startColumn: p.column, title: p.field || undefined })
    core.setOutput(Outputs.Passed, 'false')
    core.setFailed(failure.message)
  }
}

// The emulator action's entry, for both its steps (as actions/checkout does): the main step starts the emulator in
// the background and records `isPost`; the post step, run with that state, stops it.
import * as core from '@actions/core'
import { startFromInputs } from './start.js'
import { stopFromState } from './stop.js'

try {
  if (core.getState('isPost')) await stopFromState()
  else await startFromInputs()
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error))
}

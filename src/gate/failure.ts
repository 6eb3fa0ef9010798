/** A fatal error as the user should read it, and whether it is the user's input (exit 2 in the CLI) or the run's. */
import { ConfigError } from '../config/load.js'
import { SettingsError } from '../config/settings.js'
import type { ConfigProblem } from '../config/types.js'
import { MissingKeyError, errorMessage } from './errors.js'

export interface Failure {
  /** One line. */
  message: string
  /** Every problem in the user's files, for annotations and the CLI's full list. */
  problems: ConfigProblem[]
  usage: boolean
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof ConfigError) return { message: error.message, problems: error.problems, usage: true }
  if (error instanceof SettingsError || error instanceof MissingKeyError) return { message: error.message, problems: [], usage: true }
  return { message: errorMessage(error), problems: [], usage: false }
}

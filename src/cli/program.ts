/**
 * The `pique-gate` command line. Each command lives in its own module and registers itself here.
 * Exit codes: 0 success, 1 gate failed, 2 usage or config error.
 */
import { Command, CommanderError } from 'commander'
import { registerDemo } from './demo.js'
import { registerEmulator } from './emulator.js'
import { registerReferences } from './references.js'
import { registerRun } from './run.js'
import { registerSchema } from './schema.js'
import { registerStore } from './store.js'
import { registerValidate } from './validate.js'
import { registerVerifyDelivery } from './verify-delivery.js'

export const EXIT = { ok: 0, gateFailed: 1, usage: 2 } as const

export function buildProgram(): Command {
  const program = new Command('pique-gate')
    .description('Gate content releases on the Pique content-evaluation API')
    .exitOverride()
    // One line and where to look, not the whole help under the error.
    .showHelpAfterError('(see pique-gate --help)')
  registerRun(program)
  registerValidate(program)
  registerStore(program)
  registerVerifyDelivery(program)
  registerEmulator(program)
  registerDemo(program)
  registerSchema(program)
  registerReferences(program)
  for (const command of program.commands) command.showHelpAfterError(`(see pique-gate ${command.name()} --help)`)
  return program
}

/** Runs the CLI and resolves to the process exit code. Commands set their code through `process.exitCode`. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv)
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    console.error(`pique-gate: ${error instanceof Error ? error.message : String(error)}`)
    return EXIT.usage
  }
}

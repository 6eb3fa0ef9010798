// STUB (owned by the emulator helper).
import type { EmulatorOptions, RunningEmulator } from './options.js'

export async function startEmulator(_options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  throw new Error('startEmulator is not implemented yet')
}

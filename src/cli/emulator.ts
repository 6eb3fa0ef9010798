import type { Command } from 'commander'

// Placeholder: the `emulator` command is being built.
export function registerEmulator(_program: Command): void {}

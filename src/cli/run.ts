import type { Command } from 'commander'

// Placeholder: the `run` command is being built.
export function registerRun(_program: Command): void {}

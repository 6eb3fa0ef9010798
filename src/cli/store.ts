import type { Command } from 'commander'

// Placeholder: the `store` command is being built.
export function registerStore(_program: Command): void {}

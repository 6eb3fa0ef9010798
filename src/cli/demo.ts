import type { Command } from 'commander'

// Placeholder: the `demo` command is being built.
export function registerDemo(_program: Command): void {}

import type { Command } from 'commander'

// Placeholder: the `schema` command is being built.
export function registerSchema(_program: Command): void {}

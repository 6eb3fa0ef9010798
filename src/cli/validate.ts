import type { Command } from 'commander'

// Placeholder: the `validate` command is being built.
export function registerValidate(_program: Command): void {}

/** `pique-gate schema`: print the judge file's JSON Schema (the committed schema/judge.schema.json). */
import type { Command } from 'commander'
import { judgeFileJsonSchemaText } from '../config/json-schema.js'

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of the judge file (for editors; committed as schema/judge.schema.json)')
    .action(() => {
      process.stdout.write(judgeFileJsonSchemaText())
    })
}

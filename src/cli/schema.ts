/** `pique-gate schema [judge|files]`: print a JSON Schema (committed as schema/judge.schema.json, schema/files.schema.json). */
import type { Command } from 'commander'
import { filesManifestJsonSchemaText, judgeFileJsonSchemaText } from '../config/json-schema.js'

const SCHEMAS: Record<string, () => string> = { judge: judgeFileJsonSchemaText, files: filesManifestJsonSchemaText }

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .argument('[which]', 'judge (the judge file) or files (a files manifest)', 'judge')
    .description('Print the JSON Schema of the judge file or of a files manifest (for editors; committed in schema/)')
    .action((which: string) => {
      const text = SCHEMAS[which]
      if (!text) program.error(`pique-gate schema: expected judge or files, got "${which}"`, { exitCode: 2 })
      process.stdout.write(text())
    })
}

/** `pique-gate validate`: check a judge file and URL lists offline, print what was found, exit 2 on errors. */
import type { Command } from 'commander'
import { formatProblem } from '../config/problems.js'
import { validateConfig } from '../config/validate.js'
import { escapeControls } from '../report/escape.js'
import { parseByteSize } from '../files/bytes.js'
import { EXIT } from './program.js'

interface ValidateOptions {
  judge?: string
  urls?: string[]
  urlList?: string
  files?: string[]
  maxFileSize?: string
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check a judge file and URL lists without calling the API')
    .option('--judge <file>', 'judge file (.yml, .yaml or .json)')
    .option('--urls <files...>', 'URL list files or globs (.txt, .yml, .yaml, .json)')
    .option('--url-list <text>', 'URLs one a line, as the action input url-list')
    .option('--files <files...>', 'media files, globs and files manifests (.yml/.json), as the action input files')
    .option('--max-file-size <size>', 'media files above this size are problems (default 500MB)')
    .action(async (options: ValidateOptions) => {
      const maxFileBytes = options.maxFileSize === undefined ? undefined : parseByteSize(options.maxFileSize)
      if (options.maxFileSize !== undefined && maxFileBytes === undefined) {
        console.error(`pique-gate validate: --max-file-size: expected a size like 200MB, got "${options.maxFileSize}"`)
        process.exitCode = EXIT.usage
        return
      }
      const { report, problems } = await validateConfig({ ...options, maxFileBytes })
      // File names, keys and values are the user's: control characters are escaped before they reach the terminal.
      for (const line of report) console.log(escapeControls(line))
      for (const p of problems) console.error(escapeControls(formatProblem(p)))
      if (problems.length)
        console.error(`pique-gate validate: ${problems.length} problem${problems.length === 1 ? '' : 's'} found`)
      else console.log('config is valid')
      process.exitCode = problems.length ? EXIT.usage : EXIT.ok
    })
}

/** Loads a judge file and URL lists together, collecting every problem of both (the `validate` command's work). */
import { checkFiles } from '../files/check.js'
import { formatBytes, parseByteSize } from '../files/bytes.js'
import { loadFileList } from './file-list.js'
import { allowedContentTypes, loadJudgeFile } from './judge-file.js'
import { INPUT_DEFAULTS, Inputs } from './settings.js'
import { ConfigError } from './problems.js'
import { describeJudgeFile, describeProblems, describeUrlList } from './summary.js'
import { loadUrlLists } from './url-list.js'
import type { ConfigProblem } from './types.js'

export interface ValidateInput {
  judge?: string
  urls?: string[]
  urlList?: string
  /** Media files, globs and manifests (the files input). */
  files?: string[]
  /** Files above this are refused (max-file-size); default 500 MB as the input's. */
  maxFileBytes?: number
  cwd?: string
}

/** The max-file-size input's default. */
const DEFAULT_MAX_FILE_BYTES = parseByteSize(INPUT_DEFAULTS[Inputs.MaxFileSize] as string) as number

export interface ValidateOutcome {
  /** What was found, with warnings and duplicate notices. */
  report: string[]
  /** Every error, in file order; empty when the config is valid. */
  problems: ConfigProblem[]
}

export async function validateConfig(input: ValidateInput): Promise<ValidateOutcome> {
  const outcome: ValidateOutcome = { report: [], problems: [] }
  const urlsGiven = Boolean(input.urls?.length || input.urlList !== undefined)
  let judgeContentType: string | undefined
  if (input.judge) {
    const file = input.judge
    await attempt(outcome, 'warning', async () => {
      const judge = await loadJudgeFile(file, {
        cwd: input.cwd,
        contentTypes: allowedContentTypes(urlsGiven)
      })
      judgeContentType = judge.body.content_type
      return [...describeJudgeFile(judge), ...describeProblems('warning', judge.warnings)]
    })
  }
  if (input.files?.length) {
    const patterns = input.files
    await attempt(outcome, 'notice', async () => {
      const list = await loadFileList(patterns, { cwd: input.cwd })
      const maxBytes = input.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
      const checked = await checkFiles(list.files, { cwd: input.cwd, maxBytes, judgeContentType })
      if (checked.problems.length) throw new ConfigError(checked.problems, list.notices)
      return [
        `files: ${checked.files.length} file${checked.files.length === 1 ? '' : 's'} to upload and evaluate`,
        ...checked.files.map(f => `  ${f.path}: ${f.mime}, ${formatBytes(f.size)}, sha256 ${f.sha256.slice(0, 12)}`),
        ...describeProblems('notice', list.notices)
      ]
    })
  }
  if (input.urls?.length || input.urlList !== undefined) {
    await attempt(outcome, 'notice', async () => {
      const list = await loadUrlLists(input.urls ?? [], { cwd: input.cwd, inline: input.urlList })
      return [...describeUrlList(list), ...describeProblems('notice', list.notices)]
    })
  }
  if (!input.judge && !urlsGiven && !input.files?.length) {
    outcome.problems.push({
      file: '',
      line: 0,
      column: 0,
      field: '',
      message: 'nothing to validate: give --judge FILE and/or --urls FILE... / --url-list TEXT / --files FILE...'
    })
  }
  return outcome
}

/** Runs one loader; a ConfigError adds its problems, and its warnings still reach the report. */
async function attempt(
  outcome: ValidateOutcome,
  kind: 'warning' | 'notice',
  load: () => Promise<string[]>
): Promise<void> {
  try {
    outcome.report.push(...(await load()))
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    outcome.problems.push(...error.problems)
    outcome.report.push(...describeProblems(kind, error.warnings))
  }
}

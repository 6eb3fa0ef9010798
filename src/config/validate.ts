/** Loads a judge file and URL lists together, collecting every problem of both (the `validate` command's work). */
import { loadJudgeFile } from './judge-file.js'
import { ConfigError } from './problems.js'
import { describeJudgeFile, describeProblems, describeUrlList } from './summary.js'
import { loadUrlLists } from './url-list.js'
import type { ConfigProblem } from './types.js'

export interface ValidateInput {
  judge?: string
  urls?: string[]
  urlList?: string
  cwd?: string
}

export interface ValidateOutcome {
  /** What was found, with warnings and duplicate notices. */
  report: string[]
  /** Every error, in file order; empty when the config is valid. */
  problems: ConfigProblem[]
}

export async function validateConfig(input: ValidateInput): Promise<ValidateOutcome> {
  const outcome: ValidateOutcome = { report: [], problems: [] }
  if (input.judge) {
    const file = input.judge
    await attempt(outcome, 'warning', async () => {
      const judge = await loadJudgeFile(file, { cwd: input.cwd })
      return [...describeJudgeFile(judge), ...describeProblems('warning', judge.warnings)]
    })
  }
  if (input.urls?.length || input.urlList !== undefined) {
    await attempt(outcome, 'notice', async () => {
      const list = await loadUrlLists(input.urls ?? [], { cwd: input.cwd, inline: input.urlList })
      return [...describeUrlList(list), ...describeProblems('notice', list.notices)]
    })
  }
  if (!input.judge && !input.urls?.length && input.urlList === undefined) {
    outcome.problems.push({
      file: '',
      line: 0,
      column: 0,
      field: '',
      message: 'nothing to validate: give --judge FILE and/or --urls FILE... / --url-list TEXT'
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

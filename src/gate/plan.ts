/**
 * Plan: what the gate will evaluate. Loads and validates the judge file and URL lists (ConfigError on bad input),
 * then narrows to changed URLs on pull requests when only-changed is set.
 */
import {
  ConfigError,
  INLINE_SOURCE,
  formatProblem,
  loadJudgeFile,
  loadUrlLists,
  urlListByteLimit
} from '../config/load.js'
import type { Settings } from '../config/settings.js'
import { describeProblems } from '../config/summary.js'
import type { ConfigProblem } from '../config/types.js'
import type { JudgeSource } from './ensure-judge.js'
import type { GateLog } from './log.js'
import type { Item } from '../model/index.js'
import { selectChangedUrls } from './only-changed.js'
import { plural } from '../model/index.js'

export interface GatePlan {
  judge: JudgeSource
  items: Item[]
  skippedUnchanged: number
  /** Problems worth a warning in the report (unknown detectors, ...). */
  warnings: string[]
}

export async function buildPlan(
  settings: Settings,
  log: GateLog,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env
): Promise<GatePlan> {
  const warnings: string[] = []
  const warn = (p: ConfigProblem) => {
    warnings.push(formatProblem(p))
    log.warning(formatProblem(p), { file: p.file, line: p.line, column: p.column })
  }

  // Both files are read before failing, so one run reports every problem in the judge file AND the URL lists.
  const found = { problems: [] as ConfigProblem[], warnings: [] as ConfigProblem[] }
  const judgeFile = settings.judgeId
    ? undefined
    : await collectProblems(loadJudgeFile(settings.judgePath as string, { cwd }), found)
  const list = await collectProblems(
    loadUrlLists(settings.urlPatterns, { cwd, inline: settings.urlListInline, maxBytes: urlListByteLimit(env) }),
    found
  )
  if (!list || (!settings.judgeId && !judgeFile)) throw new ConfigError(found.problems, found.warnings)

  let judge: JudgeSource
  if (!judgeFile) {
    judge = { kind: 'pinned', id: settings.judgeId as string }
  } else {
    judgeFile.warnings.forEach(warn)
    judge = judgeFile.id ? { kind: 'pinned', id: judgeFile.id, file: judgeFile } : { kind: 'file', file: judgeFile }
    log.info(
      `Judge file ${judgeFile.file}: "${judgeFile.body.name}", ${plural(judgeFile.body.detectors.length, 'detector')}${judgeFile.id ? `, pinned to ${judgeFile.id}` : ''}`
    )
  }

  // The same `notice: file:line:column: …` lines as `pique-gate validate` prints.
  for (const line of describeProblems('notice', list.notices)) log.info(line)
  const files = [...new Set(list.urls.map(u => u.source.file))].filter(f => f !== INLINE_SOURCE)
  log.info(
    `${plural(list.urls.length, 'URL')} from ${[...files, ...(settings.urlListInline ? [INLINE_SOURCE] : [])].join(', ')}`
  )

  if (!settings.onlyChanged || settings.forceAll) return { judge, items: list.urls, skippedUnchanged: 0, warnings }
  const changed = await selectChangedUrls(list.urls, { files, githubToken: settings.githubToken, cwd, env })
  if (changed.note) log.info(changed.note)
  if (changed.skippedUnchanged)
    log.info(
      `only-changed: ${plural(changed.skippedUnchanged, 'unchanged URL')} skipped, ${changed.urls.length} to evaluate`
    )
  return { judge, items: changed.urls, skippedUnchanged: changed.skippedUnchanged, warnings }
}

/** The loaded value, or undefined with its ConfigError's problems and warnings added to `found`. Other errors propagate. */
async function collectProblems<T>(
  loading: Promise<T>,
  found: { problems: ConfigProblem[]; warnings: ConfigProblem[] }
): Promise<T | undefined> {
  try {
    return await loading
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    found.problems.push(...error.problems)
    found.warnings.push(...error.warnings)
    return undefined
  }
}

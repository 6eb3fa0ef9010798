/**
 * Plan: what the gate will evaluate. Loads and validates the judge file and URL lists (ConfigError on bad input),
 * then narrows to changed URLs on pull requests when only-changed is set.
 */
import { INLINE_SOURCE, formatProblem, loadJudgeFile, loadUrlLists } from '../config/load.js'
import type { Settings } from '../config/settings.js'
import type { ConfigProblem } from '../config/types.js'
import type { JudgeSource } from './ensure-judge.js'
import type { GateLog } from './log.js'
import type { PlannedUrl } from './model.js'
import { selectChangedUrls } from './only-changed.js'

export interface GatePlan {
  judge: JudgeSource
  urls: PlannedUrl[]
  skippedUnchanged: number
  /** Problems worth a warning in the report (unknown detectors, ...). */
  warnings: string[]
}

export async function buildPlan(settings: Settings, log: GateLog, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<GatePlan> {
  const warnings: string[] = []
  const warn = (p: ConfigProblem) => {
    warnings.push(formatProblem(p))
    log.warning(formatProblem(p), { file: p.file, line: p.line, column: p.column })
  }

  let judge: JudgeSource
  if (settings.judgeId) {
    judge = { kind: 'pinned', id: settings.judgeId }
  } else {
    const file = await loadJudgeFile(settings.judgePath as string, { cwd })
    file.warnings.forEach(warn)
    judge = file.id ? { kind: 'pinned', id: file.id, file } : { kind: 'file', file }
    log.info(`Judge file ${file.file}: "${file.body.name}", ${file.body.detectors.length} detector(s)${file.id ? `, pinned to ${file.id}` : ''}`)
  }

  const list = await loadUrlLists(settings.urlPatterns, { cwd, inline: settings.urlListInline })
  for (const notice of list.notices) log.info(formatProblem(notice))
  const files = [...new Set(list.urls.map((u) => u.source.file))].filter((f) => f !== INLINE_SOURCE)
  log.info(`${list.urls.length} URL(s) from ${[...files, ...(settings.urlListInline ? [INLINE_SOURCE] : [])].join(', ')}`)

  if (!settings.onlyChanged || settings.forceAll) return { judge, urls: list.urls, skippedUnchanged: 0, warnings }
  const changed = await selectChangedUrls(list.urls, { files, githubToken: settings.githubToken, cwd, env })
  if (changed.note) log.info(changed.note)
  if (changed.skippedUnchanged) log.info(`only-changed: ${changed.skippedUnchanged} unchanged URL(s) skipped, ${changed.urls.length} to evaluate`)
  return { judge, urls: changed.urls, skippedUnchanged: changed.skippedUnchanged, warnings }
}

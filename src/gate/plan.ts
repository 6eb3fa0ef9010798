/**
 * Plan: what the gate will evaluate. Loads and validates the judge file, URL lists and media files (ConfigError on
 * bad input, every problem of every file at once), narrows to changed URLs and files on pull requests when
 * only-changed is set, then checks each media file (type, size, LFS pointer) and hashes it.
 */
import {
  ConfigError,
  INLINE_SOURCE,
  allowedContentTypes,
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
import { selectChangedFiles } from './only-changed-files.js'
import { pullRequestBase } from '../github/pull-request-base.js'
import { loadFileList } from '../config/file-list.js'
import { checkFiles } from '../files/check.js'
import type { FileItem, ItemKind, NamedFile, UrlItem } from '../model/index.js'
import { plural } from '../model/index.js'

export interface GatePlan {
  judge: JudgeSource
  items: Item[]
  skippedUnchanged: number
  /** The kinds of the skipped items, for the words that count them. */
  skippedUnchangedKinds: ItemKind[]
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

  // Every file is read before failing, so one run reports every problem in the judge file, the URL lists AND the files.
  const found = { problems: [] as ConfigProblem[], warnings: [] as ConfigProblem[] }
  const urlsGiven = settings.urlPatterns.length > 0 || settings.urlListInline !== undefined
  const filesGiven = settings.filePatterns.length > 0
  const contentTypes = allowedContentTypes(urlsGiven)
  const judgeFile = settings.judgeId
    ? undefined
    : await collectProblems(loadJudgeFile(settings.judgePath as string, { cwd, contentTypes }), found)
  const list = urlsGiven
    ? await collectProblems(
        loadUrlLists(settings.urlPatterns, { cwd, inline: settings.urlListInline, maxBytes: urlListByteLimit(env) }),
        found
      )
    : { urls: [] as UrlItem[], notices: [], files: [] }
  const fileList = filesGiven ? await collectProblems(loadFileList(settings.filePatterns, { cwd }), found) : undefined
  if (!list || (filesGiven && !fileList) || (!settings.judgeId && !judgeFile))
    throw new ConfigError(found.problems, found.warnings)

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
  for (const line of describeProblems('notice', [...list.notices, ...(fileList?.notices ?? [])])) log.info(line)
  const files = [...new Set(list.urls.map(u => u.source.file))].filter(f => f !== INLINE_SOURCE)
  if (urlsGiven)
    log.info(
      `${plural(list.urls.length, 'URL')} from ${[...files, ...(settings.urlListInline ? [INLINE_SOURCE] : [])].join(', ')}`
    )
  if (fileList) log.info(`${plural(fileList.files.length, 'media file')} from ${settings.filePatterns.join(', ')}`)

  const onlyChanged = settings.onlyChanged && !settings.forceAll
  let urls = list.urls
  let named: NamedFile[] = fileList?.files ?? []
  let skippedUnchanged = 0
  const skippedUnchangedKinds: ItemKind[] = []
  // The pull request, its base commit (fetched when shallow) and the API client: resolved once for URLs and files.
  const pullRequest =
    onlyChanged && (urlsGiven || named.length)
      ? await pullRequestBase({ githubToken: settings.githubToken, cwd, env })
      : undefined
  if (onlyChanged && urlsGiven) {
    const changed = await selectChangedUrls(list.urls, { files, pullRequest, env })
    if (changed.note) log.info(changed.note)
    if (changed.skippedUnchanged)
      log.info(
        `only-changed: ${plural(changed.skippedUnchanged, 'unchanged URL')} skipped, ${changed.urls.length} to evaluate`
      )
    urls = changed.urls
    skippedUnchanged += changed.skippedUnchanged
    if (changed.skippedUnchanged) skippedUnchangedKinds.push('url')
  }
  if (onlyChanged && named.length) {
    const changed = await selectChangedFiles(named, { pullRequest, env })
    log.info(changed.note)
    named = changed.files
    skippedUnchanged += changed.skippedUnchanged
    if (changed.skippedUnchanged) skippedUnchangedKinds.push('file')
  }
  const checkedFiles = await checkPlannedFiles(named, settings, judgeFile?.body.content_type, cwd, log)
  return { judge, items: [...urls, ...checkedFiles], skippedUnchanged, skippedUnchangedKinds, warnings }
}

/**
 * Each media file checked (type against the judge's, size, LFS pointer) and hashed, before anything is uploaded;
 * every problem at once, at the manifest line or the file. A pinned judge's type is checked once it is fetched.
 */
async function checkPlannedFiles(
  named: NamedFile[],
  settings: Settings,
  judgeContentType: string | undefined,
  cwd: string,
  log: GateLog
): Promise<FileItem[]> {
  if (!named.length) return []
  const checked = await checkFiles(named, { cwd, maxBytes: settings.maxFileBytes, judgeContentType })
  if (checked.problems.length) throw new ConfigError(checked.problems)
  for (const f of checked.files) log.debug(`${f.path}: ${f.mime}, ${f.size} bytes, sha256 ${f.sha256}`)
  return checked.files
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

/**
 * only-changed: on a pull request, keep the URLs added or changed against the base commit, so a PR that adds
 * three videos evaluates three. A URL list file's base version comes from git (fetching the base commit when the
 * checkout is shallow) or the GitHub contents API, and is parsed by the same loader as the head version.
 * A URL counts as unchanged when the same content URL (model/url-identity.ts: tracking parameters, case, trailing
 * slash and fragment set aside, as result reuse does) is in the same file at base. Anything that cannot be compared
 * (inline URLs, a base version that cannot be read or parsed) is kept: evaluating too much is safe, too little is not.
 * `force-all` is the caller's: it simply does not call this.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, posix, resolve } from 'node:path'
import { loadUrlLists } from '../config/load.js'
import { INLINE_SOURCE } from '../config/url-list.js'
import { type BaseVersion, readBaseVersion, renamedSince, toPosix } from '../github/base-version.js'
import { type PullRequestBase, notAPullRequest } from '../github/pull-request-base.js'
import type { UrlItem } from '../model/index.js'
import { plural } from '../model/index.js'
import { normalizeUrl } from '../model/url-identity.js'

export interface ChangedUrlsOptions {
  /** The URL list files as resolved (repository-relative). */
  files: string[]
  /** The pull request the run belongs to (github/pull-request-base.ts), read once by the plan; undefined outside one. */
  pullRequest: PullRequestBase | undefined
  /** Names the event in the note outside a pull request; defaults to process.env. */
  env?: NodeJS.ProcessEnv
}

export interface ChangedUrls {
  urls: UrlItem[]
  skippedUnchanged: number
  note?: string
}

/** On a pull request, keeps only URLs added or changed against the base branch. Elsewhere returns all, with a note. */
export async function selectChangedUrls(urls: UrlItem[], options: ChangedUrlsOptions): Promise<ChangedUrls> {
  const env = options.env ?? process.env
  const context = options.pullRequest
  // Said out loud: a user who set only-changed on a push or schedule should know every URL was evaluated.
  if (!context) return { urls, skippedUnchanged: 0, note: notAPullRequest(env, 'URL') }
  const { pr, cwd, commit, api } = context

  // A renamed list is compared with its old self, so moving a file does not re-evaluate (and re-bill) its URLs.
  const renamed = commit.ok ? await renamedSince(cwd, pr.baseSha) : new Map<string, string>()
  const baseUrls = new Map<string, Set<string> | 'all-new'>()
  const unreadable: string[] = []
  for (const file of new Set(options.files.filter(f => f !== INLINE_SOURCE))) {
    const baseFile = renamed.get(posix.normalize(toPosix(file))) ?? file
    const base = await readBaseVersion(baseFile, pr.baseSha, { cwd, commitAvailable: commit.ok, api })
    const parsed = await urlsAt(base, baseFile)
    if (parsed === undefined)
      unreadable.push(`${file} (${base.state === 'unknown' ? base.reason : 'not a valid URL list at base'})`)
    else baseUrls.set(resolve(cwd, file), parsed)
  }

  const kept = urls.filter(u => {
    const base = baseUrls.get(resolve(cwd, u.source.file))
    return base === undefined || base === 'all-new' || !base.has(normalizeUrl(u.url))
  })
  const skippedUnchanged = urls.length - kept.length
  const base = pr.baseSha.slice(0, 7)
  let note = `only-changed: ${kept.length} of ${plural(urls.length, 'URL')} added or changed against the base commit ${base}; ${skippedUnchanged} unchanged skipped (force-all: true evaluates every URL)`
  if (unreadable.length) note += `; compared nothing in ${unreadable.join(', ')}: all its URLs are evaluated`
  return { urls: kept, skippedUnchanged, note }
}

/** The URLs of a base version; 'all-new' when the file did not exist; undefined when it cannot be compared. */
async function urlsAt(base: BaseVersion, file: string): Promise<Set<string> | 'all-new' | undefined> {
  if (base.state === 'absent') return 'all-new'
  if (base.state === 'unknown') return undefined
  // The loader reads files: give it the base text under the same name (the extension picks the format).
  const dir = await mkdtemp(join(tmpdir(), 'pique-gate-base-'))
  try {
    const name = basename(file)
    await writeFile(join(dir, name), base.text)
    // A base list with no URLs (empty, only comments, `[]`) makes every URL new, not the file incomparable.
    const list = await loadUrlLists([name], { cwd: dir, allowEmpty: true })
    return new Set(list.urls.map(u => normalizeUrl(u.url)))
  } catch {
    return undefined
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The references lock: a committed JSON file beside the judge file mapping each reference file's content SHA-256
 * to the gs:// URI it was uploaded as (per API origin: URIs belong to an organization on one service). Written by
 * `pique-gate references lock`, read by every run: an unchanged reference reuses its URI, so the judge body is
 * unchanged and the existing judge is reused with nothing uploaded.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { z } from 'zod'
import { REFERENCE_URI_PREFIX } from '../pique/limits.js'
import { issuesLine } from '../pique/schema.js'

const LOCK_VERSION = 1

const entrySchema = z.strictObject({
  uri: z.string().startsWith(REFERENCE_URI_PREFIX),
  /** The file it was uploaded from (for people; the hash is the key). */
  file: z.string(),
  /** Origin of the API it was uploaded to. */
  api: z.string(),
  uploaded_at: z.string()
})
export type LockEntry = z.infer<typeof entrySchema>

const lockFileSchema = z.strictObject({
  version: z.literal(LOCK_VERSION),
  /** Content SHA-256 (hex) → upload. */
  references: z.record(z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex'), entrySchema)
})
export type LockFile = z.infer<typeof lockFileSchema>

/** `content/judge.yml` → `content/judge.references.lock.json`. */
export function lockPathFor(judgeFile: string): string {
  const name = basename(judgeFile, extname(judgeFile))
  return join(dirname(judgeFile), `${name}.references.lock.json`)
}

export class LockFileError extends Error {}

/** The lock, or an empty one when the file does not exist; LockFileError (one line, naming the file) when unreadable. */
export async function readLock(path: string, cwd = process.cwd()): Promise<{ lock: LockFile; exists: boolean }> {
  let text: string
  try {
    text = await readFile(resolve(cwd, path), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { lock: { version: LOCK_VERSION, references: {} }, exists: false }
    throw new LockFileError(`${path}: cannot read the references lock (${(error as Error).message})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new LockFileError(
      `${path}: the references lock is not valid JSON (${(error as Error).message}); regenerate it with pique-gate references lock`
    )
  }
  const parsed = lockFileSchema.safeParse(json)
  if (!parsed.success)
    throw new LockFileError(
      `${path}: ${issuesLine(parsed.error.issues)}; regenerate it with pique-gate references lock`
    )
  return { lock: parsed.data, exists: true }
}

/** Writes the lock with sorted keys and a trailing newline, so diffs stay small. */
export async function writeLock(path: string, lock: LockFile, cwd = process.cwd()): Promise<void> {
  const references = Object.fromEntries(Object.entries(lock.references).sort(([a], [b]) => (a < b ? -1 : 1)))
  await writeFile(resolve(cwd, path), `${JSON.stringify({ version: lock.version, references }, null, 2)}\n`)
}

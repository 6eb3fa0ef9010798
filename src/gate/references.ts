/**
 * The judge file's local reference files, turned into the gs:// URIs the judge is created with. A reference whose
 * content the lock knows (for this API) reuses its URI: the body is then the same as last time, so the existing
 * judge is reused and nothing is uploaded. Any other is uploaded now through reference_content, and the run says the
 * lock is stale and how to refresh it (without the refresh, every run would upload again and create a new judge).
 */
import type { JudgeFile } from '../config/types.js'
import type { PiqueApi } from '../pique/api.js'
import { DirectUploadError } from '../pique/direct-upload.js'
import { PiqueCallError } from '../pique/errors.js'
import { withReferenceUris } from '../references/local.js'
import { LockFileError, lockPathFor, readLock } from '../references/lock.js'
import { ReferenceProblem, resolveReferences } from '../references/resolve.js'
import { GateError } from './errors.js'
import type { GateLog } from './log.js'

export interface JudgeReferences {
  /** The judge file with every reference replaced by its URI. */
  file: JudgeFile
  lockPath: string
  /** Set when the lock lacked a reference (it was uploaded by this run). */
  warning?: string
  uploaded: number
}

export async function resolveJudgeReferences(
  api: PiqueApi,
  judge: JudgeFile,
  options: { cwd?: string; apiUrl: string; deadline: number; maxBytes: number; log: GateLog }
): Promise<JudgeReferences> {
  const refs = judge.references ?? []
  const lockPath = lockPathFor(judge.file)
  try {
    const { lock, exists } = await readLock(lockPath, options.cwd)
    const resolved = await resolveReferences(refs, lock, {
      cwd: options.cwd,
      apiOrigin: options.apiUrl,
      api,
      deadline: options.deadline,
      maxBytes: options.maxBytes,
      log: line => options.log.info(line)
    })
    const uris = new Map(resolved.map(r => [r.placeholder, r.uri as string]))
    const uploaded = resolved.filter(r => r.status === 'uploaded')
    const reused = resolved.length - uploaded.length
    options.log.info(
      `${resolved.length} reference file${resolved.length === 1 ? '' : 's'}: ${reused} from ${lockPath}, ${uploaded.length} uploaded now`
    )
    const warning = uploaded.length
      ? `${lockPath} ${exists ? 'is stale' : 'does not exist'}: ${[...new Set(uploaded.map(r => r.path))].join(', ')} ${exists ? 'changed or ' : ''}was never locked, so this run uploaded ${uploaded.length === 1 ? 'it' : 'them'} and the judge is new. Run \`pique-gate references lock --judge ${judge.file}\` and commit ${lockPath}: until then every run uploads again and creates another judge`
      : undefined
    return {
      file: { ...judge, body: withReferenceUris(judge.body, uris) },
      lockPath,
      warning,
      uploaded: uploaded.length
    }
  } catch (error) {
    if (error instanceof LockFileError || error instanceof ReferenceProblem) throw new GateError(error.message)
    // A refused key or an unreachable API keeps its own kind; a failed upload is the gate's.
    if (error instanceof DirectUploadError)
      throw error.cause instanceof PiqueCallError ? error.cause : new GateError(error.message)
    throw error
  }
}

/**
 * `pique-gate references lock`: upload the judge file's local reference files that the lock lacks and write the
 * lock (content SHA-256 → gs:// URI) to commit beside the judge file. `--check` uploads nothing and exits 1 when
 * the lock is stale, for CI. The API key comes from --api-key or PIQUE_API_KEY and is never printed.
 */
import type { Command } from 'commander'
import { loadJudgeFile } from '../config/judge-file.js'
import { ConfigError, formatProblem } from '../config/problems.js'
import { resolveBaseUrl, PiqueClient } from '../pique/client.js'
import { HOSTS, UPLOAD_CONTENT_TYPES } from '../pique/limits.js'
import { LockFileError, lockPathFor, readLock, writeLock } from '../references/lock.js'
import { ReferenceProblem, lockFor, resolveReferences } from '../references/resolve.js'
import { EXIT } from './program.js'

interface LockOptions {
  judge: string
  lock?: string
  apiKey?: string
  apiUrl?: string
  check?: boolean
}

/** Reference files have no size input; this only guards against a mistaken huge file. */
const REFERENCE_MAX_BYTES = 5e9

export function registerReferences(program: Command): void {
  const references = program.command('references').description('Reference media kept as files beside the judge')
  references
    .command('lock')
    .description('Upload local reference files the lock lacks and write the lock file to commit')
    .requiredOption('--judge <file>', 'judge file naming local reference files')
    .option('--lock <file>', 'lock file (default: <judge>.references.lock.json beside the judge file)')
    .option('--api-key <key>', 'Pique API key (or PIQUE_API_KEY)')
    .option(
      '--api-url <url>',
      `Pique API base URL, or production / sandbox (or PIQUE_API_URL; default ${HOSTS.production})`
    )
    .option('--check', 'upload nothing; exit 1 when the lock lacks a reference (for CI)')
    .action(async (options: LockOptions) => {
      process.exitCode = await lockCommand(options, process.env)
    })
}

export async function lockCommand(options: LockOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const print = (line: string) => console.log(line)
  const fail = (line: string, code: number = EXIT.usage) => {
    console.error(`pique-gate references lock: ${line}`)
    return code
  }
  const apiUrl = resolveBaseUrl(options.apiUrl ?? env.PIQUE_API_URL ?? HOSTS.production)
  const lockPath = options.lock ?? lockPathFor(options.judge)
  try {
    const judge = await loadJudgeFile(options.judge, { contentTypes: UPLOAD_CONTENT_TYPES })
    const refs = judge.references ?? []
    if (!refs.length) {
      print(`${options.judge} names no local reference files: nothing to lock`)
      return EXIT.ok
    }
    const { lock } = await readLock(lockPath)
    const apiKey = options.apiKey ?? env.PIQUE_API_KEY
    if (!options.check && !apiKey) return fail('no API key: pass --api-key or set PIQUE_API_KEY (or use --check)')
    const api = options.check ? undefined : new PiqueClient({ baseUrl: apiUrl, apiKey: apiKey as string })
    const resolved = await resolveReferences(refs, lock, {
      apiOrigin: apiUrl,
      api,
      maxBytes: REFERENCE_MAX_BYTES,
      log: line => console.error(line)
    })
    for (const r of resolved)
      print(`${r.status.padEnd(8)} ${r.path} sha256:${r.sha256.slice(0, 12)}${r.uri ? ` ${r.uri}` : ''}`)
    const missing = resolved.filter(r => r.status === 'missing')
    if (options.check) {
      if (!missing.length) {
        print(`${lockPath} is up to date`)
        return EXIT.ok
      }
      return fail(
        `${lockPath} is stale: ${missing.map(r => r.path).join(', ')} changed or was never uploaded; run pique-gate references lock --judge ${options.judge} and commit ${lockPath}`,
        EXIT.gateFailed
      )
    }
    await writeLock(lockPath, lockFor(resolved, lock, apiUrl))
    print(`wrote ${lockPath}: commit it beside ${options.judge}`)
    return EXIT.ok
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const p of error.problems) console.error(formatProblem(p))
      return EXIT.usage
    }
    if (error instanceof LockFileError || error instanceof ReferenceProblem) return fail(error.message)
    return fail((error as Error).message, EXIT.gateFailed)
  }
}

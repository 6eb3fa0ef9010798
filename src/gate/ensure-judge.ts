/**
 * Ensure the judge: a pinned id must be an active judge of the needed content type that has not failed; a judge file
 * reuses the newest identical judge that is ready or still pending, or creates one. Either way the gate only submits
 * to a `ready` judge, waiting (bounded) while it is `pending`.
 */
import type { CallOptions, PiqueApi } from '../pique/api.js'
import { PiqueApiError, PiqueDeadlineError } from '../pique/errors.js'
import { LIST_CONTENT_TYPES, REFERENCE_URI_PREFIX, SOCIAL_MEDIA_CONTENT_TYPE } from '../pique/limits.js'
import { backoffCeilingMs, sleep } from '../pique/retry.js'
import type { Judge, ListJudgesQuery } from '../pique/schema.js'
import type { JudgeFile } from '../config/types.js'
import { judgeFingerprint } from './judge-fingerprint.js'
import { GateError } from './errors.js'
import { findReusableJudge, firstIdenticalJudge, judgeDifferences } from './judge-match.js'
import type { GateLog } from './log.js'
import type { JudgeInfo } from '../model/index.js'

/** Where the judge comes from: an id (the judge-id input or `id:` in the file) or the file's definition. */
export type JudgeSource = { kind: 'pinned'; id: string; file?: JudgeFile } | { kind: 'file'; file: JudgeFile }

export interface EnsureJudgeOptions {
  log: GateLog
  /** Epoch ms: stop waiting for a pending judge then. */
  deadline: number
  /** First interval between status checks of a pending judge; doubles up to `maxPollMs`. */
  pollMs?: number
  maxPollMs?: number
  /** Told as soon as the judge is known, before it is ready: a run that fails later still reports which judge it had. */
  onJudge?: (judge: JudgeInfo) => void
  /**
   * The content type the planned items need and why, e.g. `{type: 'video', why: 'social-media URLs'}` (the default)
   * or `{type: 'image', why: 'the media files (image)'}`.
   */
  needs?: { type: string; why: string }
  /** Longest random pause before creating a judge, to let a run started at the same time create it first. */
  settleMs?: number
  /** The pause's randomness (tests make it deterministic). */
  random?: () => number
}

/** Creating a judge is rare (once per judge-file change), so a pause of up to 2 s costs little (less on a short budget). */
const CREATE_SETTLE_MS = 2_000

const URLS_NEED: NonNullable<EnsureJudgeOptions['needs']> = {
  type: SOCIAL_MEDIA_CONTENT_TYPE,
  why: 'social-media URLs'
}

export async function ensureJudge(api: PiqueApi, source: JudgeSource, options: EnsureJudgeOptions): Promise<JudgeInfo> {
  const { log } = options
  const needs = options.needs ?? URLS_NEED
  // Every request ends by the run's deadline, retries included.
  const call = { deadline: options.deadline }
  if (source.kind === 'pinned') {
    const judge = await fetchPinned(api, source.id, call)
    options.onJudge?.(info(judge, 'pinned'))
    checkType(judge, needs)
    checkUsable(judge)
    if (source.file) {
      const differs = judgeDifferences(judge, source.file.body)
      if (differs.length)
        log.warning(
          `Judge ${judge.id} (pinned by id) differs from ${source.file.file} in ${differs.join(', ')}; the pinned judge is used`
        )
    }
    log.info(`Using judge "${judge.name}" (${judge.id}), pinned by id, status ${judge.status}`)
    return info(await untilReady(api, judge, 'pinned', options), 'pinned')
  }

  const body = source.file.body
  // Checked before creating anything: a judge of another content type could never take these items.
  if (body.content_type !== needs.type) {
    throw new GateError(
      `${source.file.file}: content_type is ${body.content_type}; ${needs.why} need a ${needs.type} judge`
    )
  }
  // The list endpoint filters by video or image only: other types are listed whole and matched by content.
  const listable = (LIST_CONTENT_TYPES as readonly string[]).includes(needs.type)
  const judges = () =>
    api.listAllJudges(listable ? { content_type: needs.type as ListJudgesQuery['content_type'] } : {}, call)
  const reuse = async (judge: Judge, why: string): Promise<JudgeInfo> => {
    log.info(`Reusing judge "${judge.name}" (${judge.id}): ${why}, status ${judge.status}`)
    options.onJudge?.(info(judge, 'reused'))
    return info(await untilReady(api, judge, 'reused', options), 'reused')
  }
  const skipped = (judge: Judge, why: string) =>
    log.debug(`Judge ${judge.id} ("${judge.name ?? 'no name'}") not reused: ${why}`)
  const existing = await findReusableJudge(judges(), body, skipped)
  if (existing) return reuse(existing, 'an identical judge exists')
  // Runs that start together (a push and its PR, a matrix) would each find nothing and each create the judge: pause a
  // random moment and look again, so the later one reuses what the earlier created (docs/config.md, "Judge reuse").
  // At most a twentieth of the time left: a short timeout-minutes is not spent waiting for a run that may not exist.
  const settleMs = Math.min(options.settleMs ?? CREATE_SETTLE_MS, Math.max(0, options.deadline - Date.now()) / 20)
  const pauseMs = Math.round((options.random ?? Math.random)() * settleMs)
  log.debug(`No ready or pending judge identical to ${source.file.file}: looking again after a pause of ${pauseMs} ms`)
  await sleep(pauseMs)
  const appeared = await findReusableJudge(judges(), body, skipped)
  if (appeared) return reuse(appeared, 'another run created it a moment ago')
  log.debug(`Still no judge identical to ${source.file.file}: creating one`)
  const created = await api.createJudge(body, call)
  log.info(`Created judge "${body.name}" (${created.id}), status ${created.status}`)
  // Two runs that paused alike both created one: both settle on the oldest, so their jobs share one judge.
  const first = await firstIdenticalJudge(judges(), body)
  if (first && first.id !== created.id) {
    log.warning(
      `Another run created the same judge at the same moment: using the older one, ${first.id}; ${created.id}, created by this run, stays unused`
    )
    return reuse(first, 'the oldest of the identical judges created at the same moment')
  }
  const judge = await api.getJudge(created.id, call)
  options.onJudge?.(info(judge, 'created'))
  checkType(judge, needs)
  return info(await untilReady(api, judge, 'created', options), 'created')
}

async function fetchPinned(api: PiqueApi, id: string, call: CallOptions): Promise<Judge> {
  try {
    return await api.getJudge(id, call)
  } catch (error) {
    if (error instanceof PiqueApiError && error.status === 404) {
      throw new GateError(
        `Judge ${id} not found: check the id, and that the API key belongs to the organization that owns it`
      )
    }
    throw error
  }
}

function checkType(judge: Judge, needs: NonNullable<EnsureJudgeOptions['needs']>): void {
  if (judge.content_type !== needs.type) {
    throw new GateError(
      `Judge ${judge.id} ("${judge.name}") evaluates ${judge.content_type} content; ${needs.why} need a ${needs.type} judge`
    )
  }
}

/** A pinned judge Pique will not evaluate with: said before anything is submitted, not after a batch is refused. */
function checkUsable(judge: Judge): void {
  if (judge.is_active === false) {
    throw new GateError(
      `Judge ${judge.id} ("${judge.name}") is inactive (is_active: false): Pique does not evaluate with it; pin an active judge, or use a judge file to reuse or create one`
    )
  }
  if (judge.status === 'failed') throw failedJudge(judge)
}

function failedJudge(judge: Judge): GateError {
  return new GateError(
    `Judge ${judge.id} ("${judge.name}") failed to prepare: check its reference content (${REFERENCE_HINT}); a fixed file creates a new judge`
  )
}

async function untilReady(
  api: PiqueApi,
  judge: Judge,
  origin: JudgeInfo['origin'],
  options: EnsureJudgeOptions
): Promise<Judge> {
  let current = judge
  const backoff = { baseDelayMs: options.pollMs ?? 250, maxDelayMs: options.maxPollMs ?? 5000 }
  // Only ready is usable and failed is final: pending, and any status the docs do not show, are waited out.
  const waiting = (status: string | undefined) => status !== 'ready' && status !== 'failed'
  const warned = new Set<string>()
  const announce = (j: Judge) => {
    const status = j.status ?? 'unknown'
    if (warned.has(status)) return
    warned.add(status)
    if (status === 'pending')
      options.log.info(`Judge ${j.id} is pending (reference content being preprocessed); waiting until it is ready`)
    else
      options.log.warning(
        `Judge ${j.id} has ${j.status === undefined ? 'no status' : `the undocumented status "${status}"`}; waiting until it is ready, as for pending`
      )
  }
  const stillPending = (j: Judge) =>
    new GateError(
      `Judge ${j.id} was still ${j.status ?? 'without a status'} at the deadline (timeout-minutes); try again later or raise timeout-minutes`
    )
  for (let check = 1; waiting(current.status); check++) {
    announce(current)
    const left = options.deadline - Date.now()
    if (left <= 0) throw stillPending(current)
    const pause = Math.min(backoffCeilingMs(check, backoff), left)
    options.log.debug(
      `Judge ${current.id} still ${current.status ?? 'without a status'}: checking again in ${Math.round(pause)} ms (check ${check})`
    )
    await sleep(pause)
    try {
      current = await api.getJudge(current.id, { deadline: options.deadline })
    } catch (error) {
      // The check the deadline cut short changes nothing: the judge was last seen pending.
      if (error instanceof PiqueDeadlineError) throw stillPending(current)
      throw error
    }
    options.onJudge?.(info(current, origin))
  }
  if (current.status === 'failed') throw failedJudge(current)
  return current
}

const REFERENCE_HINT = `reference URIs must be uploaded ${REFERENCE_URI_PREFIX} reference content`

function info(judge: Judge, origin: JudgeInfo['origin']): JudgeInfo {
  return {
    id: judge.id,
    name: judge.name ?? '(no name)',
    origin,
    status: judge.status ?? 'unknown',
    detectors: judge.detector_configs.map(d => d.detector_name ?? 'unknown'),
    fingerprint: judgeFingerprint({ ...judge, detectors: judge.detector_configs })
  }
}

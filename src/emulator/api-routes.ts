/**
 * The documented /v1 endpoints over the engine: authentication, rate limiting and faults, request
 * validation with the shared zod schemas (errors as `{"detail": ...}`), and the documented replies.
 */
import type { IncomingMessage } from 'node:http'
import type Router from 'find-my-way'
import type { z } from 'zod'
import { findDetector } from '../pique/detectors.js'
import { API_KEY_HEADER, API_VERSION_PREFIX, REFERENCE_URI_PREFIX } from '../pique/limits.js'
import {
  createJudgeRequestSchema,
  listJudgesQuerySchema,
  presignedUploadRequestSchema,
  referenceContentRequestSchema,
  socialMediaRequestSchema
} from '../pique/schema.js'
import type { EmulatorEngine } from './engine.js'
import { BodyTooLarge, type Reply, detail, readBody, send } from './http.js'
import type { EmulatorOrganization, EndpointName } from './options.js'
import type { RequestGate } from './faults.js'
import { type InputSource, type ValidationErrorStyle, malformedJson, validationReply } from './validation.js'

/** JSON bodies above this are refused (the largest documented body, a judge, is far smaller). */
const JSON_BODY_LIMIT = 1024 * 1024

export interface ApiContext {
  engine: EmulatorEngine
  gate: RequestGate
  /** The emulator's base URL, for upload URLs in replies. */
  baseUrl(): string
  /** Called once per API request with what the request log records. */
  onRequest(req: IncomingMessage, info: { endpoint: EndpointName; orgId?: string }): void
  /** How request-validation failures are answered (400 + string, or FastAPI's 422 + list). */
  validationErrors: ValidationErrorStyle
}

interface Call {
  req: IncomingMessage
  params: Record<string, string | undefined>
  org: EmulatorOrganization
  json(): Promise<unknown>
}

class BadJson extends Error {}

type Handler = (call: Call) => Promise<Reply> | Reply

export function registerApiRoutes(router: Router.Instance<Router.HTTPVersion.V1>, ctx: ApiContext): void {
  const { engine, gate } = ctx
  /** Every problem of rejected input, worded as the client and config loader word them, in the configured style. */
  const invalid = (error: z.ZodError, source: InputSource, input: unknown): Reply =>
    validationReply(ctx.validationErrors, error.issues, source, input)
  /**
   * The documented body rules, plus URLs a scenario rule (or the realistic profile) rejects as the service's own
   * validation would: the whole request is refused, naming `video_urls[i]`.
   */
  const socialMediaSchema = socialMediaRequestSchema.superRefine((body, check) => {
    body.video_urls.forEach((url, i) => {
      const reject = engine.submitRejection(url)
      if (reject) check.addIssue({ code: 'custom', path: ['video_urls', i], message: reject })
    })
  })

  const route = (method: 'GET' | 'POST', path: string, endpoint: EndpointName, handler: Handler) => {
    router.on(method, API_VERSION_PREFIX + path, (req, res, params) => {
      // Rate-limit headers go on every answer once counted, errors included.
      let rateHeaders: Record<string, string> = {}
      void (async (): Promise<Reply> => {
        const key = req.headers[API_KEY_HEADER.toLowerCase()]
        const keyText = Array.isArray(key) ? key[0] : key
        const org = engine.organizationForKey(keyText)
        ctx.onRequest(req, { endpoint, orgId: org?.id })
        if (!keyText) return detail(401, `Missing API key: send it in the ${API_KEY_HEADER} header`)
        if (!org) return detail(401, 'Invalid API key')
        const admitted = gate.admit(keyText)
        rateHeaders = admitted.headers
        if (admitted.rejection)
          return detail(admitted.rejection.status, admitted.rejection.detail, admitted.rejection.headers)
        const latency = gate.faultFor(endpoint)?.latencyMs
        // A plain timer: closing the emulator waits for this request rather than abandoning it.
        if (latency) await new Promise(resolve => setTimeout(resolve, latency))
        const injected = gate.injectedError(endpoint)
        if (injected) return detail(injected.status, injected.detail)
        const json = async () => {
          const raw = await readBody(req, JSON_BODY_LIMIT)
          try {
            return JSON.parse(raw.toString('utf8')) as unknown
          } catch {
            throw new BadJson()
          }
        }
        return handler({ req, params: params as Record<string, string | undefined>, org, json })
      })()
        .catch((error: unknown): Reply => {
          if (error instanceof BadJson) return malformedJson(ctx.validationErrors)
          if (error instanceof BodyTooLarge)
            return detail(413, `Request body is too large (limit ${JSON_BODY_LIMIT} bytes)`)
          // The emulator's own bug, not a simulated one: say what broke.
          return detail(500, `Internal server error: ${(error as Error).message}`)
        })
        .then(reply => send(res, { ...reply, headers: { ...rateHeaders, ...reply.headers } }))
    })
  }

  route('POST', '/judges', 'createJudge', async ({ org, json }) => {
    const raw = await json()
    const parsed = parseJudge(raw)
    if (!parsed.ok) return invalid(parsed.error, 'body', raw)
    const detectors = (raw as { detectors: { weight?: unknown }[] }).detectors
    const weights = detectors.map(d => (typeof d.weight === 'number' && d.weight > 0 ? d.weight : undefined))
    return { status: 201, body: engine.createJudge(org, parsed.body, weights, parsed.referenceProblem) }
  })

  route('GET', '/judges', 'listJudges', ({ req, org }) => {
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://emulator').searchParams)
    const parsed = listJudgesQuerySchema.safeParse(query)
    if (!parsed.success) return invalid(parsed.error, 'query', query)
    const { limit, offset, content_type } = parsed.data
    const all = engine.listJudges(org, content_type)
    return {
      status: 200,
      body: { judges: all.slice(offset, offset + limit), total: all.length, has_more: offset + limit < all.length }
    }
  })

  route('GET', '/judges/:judge_id', 'getJudge', ({ org, params }) => {
    const found = engine.findJudge(org, params.judge_id ?? '')
    return found ? { status: 200, body: found.judge } : detail(404, 'Judge not found')
  })

  route('POST', '/judges/reference_content', 'referenceContent', async ({ org, json }) => {
    const raw = await json()
    const parsed = referenceContentRequestSchema.safeParse(raw)
    if (!parsed.success) return invalid(parsed.error, 'body', raw)
    const { slot, uri } = engine.createReferenceSlot(org, parsed.data.file_extension)
    return {
      status: 200,
      body: { upload_url: engine.uploads.urlOf(ctx.baseUrl(), slot), reference_content_uri: uri }
    }
  })

  route('POST', '/evaluations/social-media', 'socialMedia', async ({ org, json }) => {
    const raw = await json()
    const parsed = socialMediaSchema.safeParse(raw)
    if (!parsed.success) return invalid(parsed.error, 'body', raw)
    const judge = engine.findJudge(org, parsed.data.judge_id)
    if (!judge) return detail(404, 'Judge not found or not accessible')
    const problem = engine.socialMediaProblem(judge)
    if (problem) return detail(400, problem)
    return { status: 202, body: engine.submitSocialMedia(org, judge, parsed.data.video_urls, parsed.data.webhook_url) }
  })

  route('POST', '/evaluations/presigned-upload', 'presignedUpload', async ({ org, json }) => {
    const raw = await json()
    const parsed = presignedUploadRequestSchema.safeParse(raw)
    if (!parsed.success) return invalid(parsed.error, 'body', raw)
    const judge = engine.findJudge(org, parsed.data.judge_id)
    if (!judge) return detail(404, 'Judge not found or not accessible')
    const problem = engine.uploadProblem(judge, parsed.data.content_type)
    if (problem) return detail(400, problem)
    const { job, slot } = engine.createUploadJob(org, judge, parsed.data)
    return {
      status: 200,
      body: {
        job_id: job.id,
        upload_url: engine.uploads.urlOf(ctx.baseUrl(), slot),
        upload_headers: { 'Content-Type': slot.contentType },
        expires_at: new Date(slot.expiresAt).toISOString()
      }
    }
  })

  route('GET', '/evaluations/results/:job_id', 'getResult', ({ org, params }) => {
    const job = engine.findJob(org, params.job_id ?? '')
    return job ? { status: 200, body: engine.replyBody(job, 'results-endpoint') } : detail(404, 'Job not found')
  })
}

/**
 * Validates a create-judge body. A body whose only flaw is a non-gs:// reference URI in a matching detector is
 * accepted with `referenceProblem`: the judge is created and then fails preprocessing (issue #3 asks for a
 * `failed` judge there), while every other problem is a 400.
 */
function parseJudge(
  raw: unknown
):
  | { ok: true; body: z.infer<typeof createJudgeRequestSchema>; referenceProblem: boolean }
  | { ok: false; error: z.ZodError } {
  const first = createJudgeRequestSchema.safeParse(raw)
  if (first.success) return { ok: true, body: first.data, referenceProblem: false }
  const patched = structuredClone(raw) as {
    detectors?: { detector_name?: unknown; config?: Record<string, unknown> }[]
  }
  let replaced = 0
  for (const issue of first.error.issues) {
    const [top, index, section, ...rest] = issue.path
    if (top !== 'detectors' || typeof index !== 'number' || section !== 'config' || rest.length === 0) continue
    const detector = patched.detectors?.[index]
    if (!findDetector(String(detector?.detector_name))?.needsPreprocessing || !detector?.config) continue
    // Walk to the offending value's parent and swap the URI for a well-formed one.
    let parent: Record<string | number, unknown> = detector.config
    for (const step of rest.slice(0, -1)) parent = parent[step as string] as Record<string | number, unknown>
    const leaf = rest[rest.length - 1] as string | number
    const value = parent?.[leaf]
    if (typeof value === 'string' && !value.startsWith(REFERENCE_URI_PREFIX)) {
      parent[leaf] = `${REFERENCE_URI_PREFIX}emulator/unreachable-reference`
      replaced++
    }
  }
  const second = replaced ? createJudgeRequestSchema.safeParse(patched) : first
  if (!second.success) return { ok: false, error: first.error }
  // Keep the configs as the user sent them.
  const original = (raw as { detectors: { config: Record<string, unknown> }[] }).detectors
  second.data.detectors.forEach((d, i) => (d.config = original[i].config))
  return { ok: true, body: second.data, referenceProblem: true }
}

/**
 * Emulator options from command-line flag values and environment variables (the `emulator` command is a thin
 * shell over this), plus the organizations file. Every problem is one line naming the flag or file and field.
 */
import { z } from 'zod'
import { REFERENCE_URI_PREFIX } from '../pique/limits.js'
import {
  DEFAULT_EMULATOR_OPTIONS,
  DEFAULT_ORGANIZATION,
  EMULATOR_ENV,
  ENDPOINT_NAMES,
  type EmulatorFaults,
  type EmulatorOptions,
  type EmulatorOrganization,
  type EndpointFault,
  type EndpointName
} from './options.js'
import { loadValidatedFile } from './file.js'
import { EMULATOR_PROFILES, type EmulatorProfile } from './realistic.js'
import { loadScenarioFile } from './scenario.js'
import { VALIDATION_ERROR_STYLES, type ValidationErrorStyle } from './validation.js'

export { EMULATOR_ENV }

/** The command's flag values, as commander hands them over (strings, string lists, booleans). */
export interface EmulatorFlags {
  port?: string
  host?: string
  apiKey?: string[]
  organizations?: string
  webhookUrl?: string
  webhookSecret?: string
  seed?: string
  scenario?: string
  rateLimit?: string
  judgeReadyMs?: string
  awaitingUploadMs?: string
  pendingMs?: string
  processingMs?: string
  webhookAttempts?: string
  webhookBackoffMs?: string
  webhookTimeoutMs?: string
  faultErrorRate?: string
  faultErrorStatus?: string
  faultLatencyMs?: string
  fault429?: string
  webhookDropRate?: string
  webhookDuplicateRate?: string
  webhookDelay?: string
  webhookReorderMs?: string
  measureVideos?: boolean
  validationErrors?: string
  profile?: string
  timeScale?: string
  uploadUrlLifetimeMs?: string
  reference?: string[]
}

export class EmulatorConfigError extends Error {}

function number(flag: string, value: string, check: (n: number) => boolean, expected: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new EmulatorConfigError(`--${flag}: expected ${expected}, got "${value}"`)
  return n
}
const wholeAtLeast = (min: number) => (n: number) => Number.isInteger(n) && n >= min
const probability = (n: number) => n >= 0 && n <= 1

/**
 * `0.1` (every endpoint) or `socialMedia=0.2,getResult=0.05` (per endpoint; `*` for the rest).
 */
export function parseEndpointValues(
  flag: string,
  spec: string,
  check: (n: number) => boolean,
  expected: string
): Partial<Record<EndpointName | '*', number>> {
  const out: Partial<Record<EndpointName | '*', number>> = {}
  for (const part of spec
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=')
    const name = eq < 0 ? '*' : part.slice(0, eq).trim()
    if (name !== '*' && !(ENDPOINT_NAMES as readonly string[]).includes(name)) {
      throw new EmulatorConfigError(
        `--${flag}: unknown endpoint "${name}" (expected one of ${ENDPOINT_NAMES.join(', ')} or *)`
      )
    }
    out[name as EndpointName | '*'] = number(flag, eq < 0 ? part : part.slice(eq + 1), check, expected)
  }
  return out
}

function faultsFrom(flags: EmulatorFlags): EmulatorFaults {
  const endpoints: Partial<Record<EndpointName | '*', EndpointFault>> = {}
  const merge = (values: Partial<Record<string, number>>, key: keyof EndpointFault) => {
    for (const [name, v] of Object.entries(values))
      endpoints[name as EndpointName] = { ...endpoints[name as EndpointName], [key]: v }
  }
  if (flags.faultErrorRate)
    merge(
      parseEndpointValues('fault-error-rate', flags.faultErrorRate, probability, 'a probability in [0, 1]'),
      'errorRate'
    )
  if (flags.faultLatencyMs)
    merge(
      parseEndpointValues('fault-latency-ms', flags.faultLatencyMs, wholeAtLeast(0), 'whole milliseconds'),
      'latencyMs'
    )
  if (flags.faultErrorStatus) {
    const status = number(
      'fault-error-status',
      flags.faultErrorStatus,
      n => Number.isInteger(n) && n >= 400 && n <= 599,
      'an HTTP error status (400-599)'
    )
    for (const f of Object.values(endpoints)) if (f.errorRate !== undefined) f.errorStatus = status
  }
  const faults: EmulatorFaults = { endpoints, webhooks: { ...DEFAULT_EMULATOR_OPTIONS.faults.webhooks } }
  if (flags.fault429) {
    const [rate, length = '3', retryAfter = '1'] = flags.fault429.split(':')
    faults.rateLimitBurst = {
      rate: number('fault-429', rate, probability, 'rate[:length[:retry-after-seconds]] with a rate in [0, 1]'),
      length: number('fault-429', length, wholeAtLeast(1), 'a burst length of at least 1'),
      retryAfterSeconds: number('fault-429', retryAfter, wholeAtLeast(0), 'whole Retry-After seconds')
    }
  }
  const w = faults.webhooks
  if (flags.webhookDropRate)
    w.dropRate = number('webhook-drop-rate', flags.webhookDropRate, probability, 'a probability in [0, 1]')
  if (flags.webhookDuplicateRate)
    w.duplicateRate = number(
      'webhook-duplicate-rate',
      flags.webhookDuplicateRate,
      probability,
      'a probability in [0, 1]'
    )
  if (flags.webhookDelay) {
    const [rate, ms] = flags.webhookDelay.split(':')
    w.delayRate = number('webhook-delay', rate, probability, 'rate:ms with a rate in [0, 1]')
    w.delayMs = number('webhook-delay', ms ?? '', wholeAtLeast(0), 'rate:ms with whole milliseconds')
  }
  if (flags.webhookReorderMs)
    w.reorderWindowMs = number('webhook-reorder-ms', flags.webhookReorderMs, wholeAtLeast(0), 'whole milliseconds')
  return faults
}

const organizationsSchema = z
  .array(
    z.strictObject({
      id: z.string().min(1),
      apiKeys: z.array(z.string().min(1)).min(1),
      webhookUrl: z.url().optional(),
      webhookSecret: z.string().min(1)
    })
  )
  .min(1)

/** A YAML or JSON list of organizations; throws ConfigError naming file, line and field. */
export function loadOrganizationsFile(file: string, cwd = process.cwd()): Promise<EmulatorOrganization[]> {
  return loadValidatedFile(file, organizationsSchema, cwd)
}

/** Flags first, then the environment, then the defaults. */
export async function emulatorOptionsFrom(
  flags: EmulatorFlags,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd()
): Promise<Partial<EmulatorOptions>> {
  const pick = (flag: string | undefined, name: keyof typeof EMULATOR_ENV) =>
    flag ?? (env[EMULATOR_ENV[name]] || undefined)
  const d = DEFAULT_EMULATOR_OPTIONS
  const options: Partial<EmulatorOptions> = {}
  const port = pick(flags.port, 'port')
  if (port !== undefined)
    options.port = number('port', port, n => wholeAtLeast(0)(n) && n <= 65535, 'a port number (0-65535)')
  const host = pick(flags.host, 'host')
  if (host) options.host = host
  const seed = pick(flags.seed, 'seed')
  if (seed !== undefined) options.seed = number('seed', seed, Number.isSafeInteger, 'a whole number')
  const rate = pick(flags.rateLimit, 'rateLimit')
  if (rate !== undefined)
    options.rateLimitPerMinute = number('rate-limit', rate, wholeAtLeast(0), 'requests per minute (0 = off)')
  const style = pick(flags.validationErrors, 'validationErrors')
  if (style !== undefined) {
    if (!(VALIDATION_ERROR_STYLES as readonly string[]).includes(style)) {
      throw new EmulatorConfigError(
        `--validation-errors: expected one of ${VALIDATION_ERROR_STYLES.join(', ')}, got "${style}"`
      )
    }
    options.validationErrors = style as ValidationErrorStyle
  }
  const profile = pick(flags.profile, 'profile')
  if (profile !== undefined) {
    if (!(EMULATOR_PROFILES as readonly string[]).includes(profile))
      throw new EmulatorConfigError(`--profile: expected one of ${EMULATOR_PROFILES.join(', ')}, got "${profile}"`)
    options.profile = profile as EmulatorProfile
  }
  const timeScale = pick(flags.timeScale, 'timeScale')
  if (timeScale !== undefined)
    options.timeScale = number('time-scale', timeScale, n => n > 0, 'a factor greater than 0 (0.01 = 100x faster)')
  const scenario = pick(flags.scenario, 'scenario')
  if (scenario) options.scenario = await loadScenarioFile(scenario, cwd)

  const orgFile = pick(flags.organizations, 'organizations')
  if (orgFile) {
    const clash = (['apiKey', 'webhookUrl', 'webhookSecret'] as const).find(k => flags[k] !== undefined)
    if (clash)
      throw new EmulatorConfigError(
        `--${clash.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)} cannot be combined with --organizations: set it in the organizations file`
      )
    options.organizations = await loadOrganizationsFile(orgFile, cwd)
  } else {
    const envKeys = env[EMULATOR_ENV.apiKeys]
      ?.split(',')
      .map(k => k.trim())
      .filter(Boolean)
    const keys = flags.apiKey?.length ? flags.apiKey : envKeys?.length ? envKeys : DEFAULT_ORGANIZATION.apiKeys
    const webhookUrl = pick(flags.webhookUrl, 'webhookUrl')
    if (webhookUrl && !URL.canParse(webhookUrl))
      throw new EmulatorConfigError(`--webhook-url: not a valid URL: "${webhookUrl}"`)
    options.organizations = [
      {
        ...DEFAULT_ORGANIZATION,
        apiKeys: keys,
        webhookUrl,
        webhookSecret: pick(flags.webhookSecret, 'webhookSecret') ?? DEFAULT_ORGANIZATION.webhookSecret
      }
    ]
  }

  const ms = (flag: string, value: string | undefined, fallback: number) =>
    value === undefined ? fallback : number(flag, value, wholeAtLeast(0), 'whole milliseconds')
  options.timings = {
    judgeReadyMs: ms('judge-ready-ms', flags.judgeReadyMs, d.timings.judgeReadyMs),
    awaitingUploadMs: ms('awaiting-upload-ms', flags.awaitingUploadMs, d.timings.awaitingUploadMs),
    pendingMs: ms('pending-ms', flags.pendingMs, d.timings.pendingMs),
    processingMs: ms('processing-ms', flags.processingMs, d.timings.processingMs)
  }
  options.webhookRetry = {
    maxAttempts:
      flags.webhookAttempts === undefined
        ? d.webhookRetry.maxAttempts
        : number('webhook-attempts', flags.webhookAttempts, wholeAtLeast(1), 'at least 1 attempt'),
    baseDelayMs: ms('webhook-backoff-ms', flags.webhookBackoffMs, d.webhookRetry.baseDelayMs),
    maxDelayMs: d.webhookRetry.maxDelayMs,
    timeoutMs: ms('webhook-timeout-ms', flags.webhookTimeoutMs, d.webhookRetry.timeoutMs)
  }
  options.faults = faultsFrom(flags)
  if (flags.measureVideos === false) options.measureVideos = false
  if (flags.uploadUrlLifetimeMs !== undefined) {
    const lifetime = number('upload-url-lifetime-ms', flags.uploadUrlLifetimeMs, wholeAtLeast(1), 'whole milliseconds')
    options.uploads = { ...d.uploads, evaluationUrlLifetimeMs: lifetime, referenceUrlLifetimeMs: lifetime }
  }
  for (const uri of flags.reference ?? [])
    if (!uri.startsWith(REFERENCE_URI_PREFIX))
      throw new EmulatorConfigError(`--reference: expected a ${REFERENCE_URI_PREFIX} URI, got "${uri}"`)
  if (flags.reference?.length) options.preloadedReferences = flags.reference
  return options
}

/**
 * Action inputs and CLI flags → one typed, validated `Settings` object (in the style of actions/checkout's
 * input helper). Both entries read through an `InputSource`, so the action and the CLI validate the same way, and
 * every error names the input (or flag) it is about as the run's `Surface` words it.
 */
import * as core from '@actions/core'
import { parseByteSize } from '../files/bytes.js'
import { HOSTS, LIMITS } from '../pique/limits.js'
import { printableLine } from '../model/text.js'
import { credentialsProblem, redactUserinfo } from './url-credentials.js'
import { type TransientPattern, parseTransientPattern } from '../pique/transient-errors.js'

import { Inputs, type InputName } from './inputs.js'
import { ACTION_SURFACE, type Surface } from './surface.js'

export { Inputs, type InputName, Outputs, type OutputName } from './inputs.js'

/** Inputs that hold secrets: masked in logs, never copied into reports. */
export const SECRET_INPUTS: readonly InputName[] = [Inputs.ApiKey, Inputs.StoreToken, Inputs.GithubToken]

/**
 * Defaults, the same as action.yml's (a test keeps them equal). The runner fills action.yml defaults in itself;
 * these serve the CLI and a bare `node dist/index.js`.
 */
export const INPUT_DEFAULTS: Partial<Record<InputName, string>> = {
  [Inputs.ApiUrl]: HOSTS.production,
  [Inputs.FailOnError]: 'true',
  [Inputs.Wait]: 'auto',
  [Inputs.TimeoutMinutes]: '30',
  [Inputs.PollIntervalSeconds]: '10',
  [Inputs.MaxConcurrency]: '4',
  [Inputs.ReportPath]: 'pique-gate-report.json',
  [Inputs.Comment]: 'true',
  [Inputs.OnlyChanged]: 'false',
  [Inputs.ForceAll]: 'false',
  [Inputs.OnMissingKey]: 'skip',
  [Inputs.MaxFileSize]: '500MB',
  [Inputs.RetryFailed]: '1',
  [Inputs.RetryAmbiguousSubmits]: 'false',
  [Inputs.ReuseMaxAge]: '7d',
  [Inputs.Cache]: 'true'
}

export const WAIT_INPUTS = ['auto', 'store', 'api', 'none'] as const
export type WaitInput = (typeof WAIT_INPUTS)[number]
export type WaitMode = Exclude<WaitInput, 'auto'>
export const MISSING_KEY_ACTIONS = ['skip', 'fail'] as const
export type MissingKeyAction = (typeof MISSING_KEY_ACTIONS)[number]

/** Requests in flight at once; more buys nothing against one API and only trips its rate limit. */
export const MAX_CONCURRENCY = 32
/** New jobs per failed URL at most: each is billed, and a failure that survives this many is not passing. */
export const MAX_RETRY_FAILED = 5

export interface Settings {
  /** Empty when not given (fork pull requests): see `onMissingKey`. */
  apiKey: string
  apiUrl: string
  judgePath?: string
  judgeId?: string
  /** URL list files and globs. */
  urlPatterns: string[]
  /** The url-list input, URLs one a line. */
  urlListInline?: string
  /** The files input: media files, globs and manifests, one a line. */
  filePatterns: string[]
  /** Files above this many bytes are refused before upload (max-file-size). */
  maxFileBytes: number
  threshold: number
  failOnError: boolean
  waitMode: WaitMode
  store?: { url: string; token: string }
  webhookUrl?: string
  timeoutMs: number
  pollIntervalMs: number
  maxConcurrency: number
  reportPath: string
  junitPath?: string
  githubToken?: string
  comment: boolean
  onlyChanged: boolean
  forceAll: boolean
  onMissingKey: MissingKeyAction
  /** New jobs per URL whose evaluation failed with a transient error (0: none). */
  retryFailed: number
  /** The user's patterns added to the built-in transient-error list. */
  transientErrors: TransientPattern[]
  /** Retry a paid submit answered 5xx or cut after sending (may bill the batch twice). */
  retryAmbiguousSubmits: boolean
  /** Reuse completed results at most this old (seconds); 0: never reuse. */
  reuseMaxAgeSeconds: number
  /** Fail an item whose score fell by more than this against its previous (or base-branch) result. */
  maxDrop?: number
  /** Without a store: keep results in a cache (the Actions cache, or `cacheDir` in the CLI). */
  cache: boolean
  cacheDir?: string
  /** The inputs as given, secrets removed: copied into the report. */
  echo: Record<string, string>
}

/** A bad input; `message` starts with the input's name as the user wrote it (`threshold` or `--threshold`). */
export class SettingsError extends Error {
  constructor(
    readonly input: InputName,
    message: string
  ) {
    // The value quoted in the message is the user's: one printable line, a long one cut.
    super(printableLine(message, 500))
    this.name = 'SettingsError'
  }
}

/** Where raw input values come from. `get` returns '' for an input that is not set. */
export interface InputSource {
  get(name: InputName): string
}

/** The action's inputs (INPUT_* variables). Secrets are masked at once, before anything can print them. */
export function actionInputs(): InputSource {
  for (const name of SECRET_INPUTS) {
    const value = core.getInput(name)
    if (value) core.setSecret(value)
  }
  return { get: name => core.getInput(name) }
}

/** Any name → value map (CLI flags, tests). */
export function mapInputs(values: Partial<Record<InputName, string | undefined>>): InputSource {
  return { get: name => (values[name] ?? '').trim() }
}

/** Reads and validates every input; errors name inputs as `surface` words them (`threshold` or `--threshold`). */
export function readSettings(source: InputSource, surface: Surface = ACTION_SURFACE): Settings {
  const r = new Reader(source, surface)
  const judgePath = r.optional(Inputs.Judge)
  const judgeId = r.optional(Inputs.JudgeId)
  if (judgePath && judgeId)
    r.fail(Inputs.JudgeId, `set either ${r.name(Inputs.Judge)} or ${r.name(Inputs.JudgeId)}, not both`)
  if (!judgePath && !judgeId)
    r.fail(
      Inputs.Judge,
      `required: a judge file (${r.name(Inputs.Judge)}) or an existing judge id (${r.name(Inputs.JudgeId)})`
    )

  const urlPatterns = r.list(Inputs.Urls)
  const urlListInline = r.optional(Inputs.UrlList)
  const filePatterns = r.list(Inputs.Files)
  if (urlPatterns.length === 0 && !urlListInline && filePatterns.length === 0) {
    r.fail(
      Inputs.Urls,
      `required: URL list files (${r.name(Inputs.Urls)}), inline URLs (${r.name(Inputs.UrlList)}) and/or media files (${r.name(Inputs.Files)})`
    )
  }

  const storeUrl = r.url(Inputs.StoreUrl)
  const storeToken = r.optional(Inputs.StoreToken)
  const waitInput = r.oneOf(Inputs.Wait, WAIT_INPUTS)
  const waitMode: WaitMode = waitInput === 'auto' ? (storeUrl ? 'store' : 'api') : waitInput
  if (waitMode === 'store' && !storeUrl) r.fail(Inputs.StoreUrl, `required when ${r.name(Inputs.Wait)} is store`)
  if (storeUrl && !storeToken)
    r.fail(Inputs.StoreToken, `required when ${r.name(Inputs.StoreUrl)} is set (the store's read token)`)

  const settings: Omit<Settings, 'echo'> = {
    apiKey: r.optional(Inputs.ApiKey) ?? '',
    apiUrl: r.url(Inputs.ApiUrl, HOSTS) ?? HOSTS.production,
    judgePath,
    judgeId,
    urlPatterns,
    urlListInline,
    filePatterns,
    maxFileBytes: r.byteSize(Inputs.MaxFileSize),
    threshold: r.number(Inputs.Threshold, { min: LIMITS.score.min, max: LIMITS.score.max }),
    failOnError: r.boolean(Inputs.FailOnError),
    waitMode,
    store: storeUrl && storeToken ? { url: storeUrl, token: storeToken } : undefined,
    webhookUrl: r.url(Inputs.WebhookUrl),
    timeoutMs: r.number(Inputs.TimeoutMinutes, { above: 0 }) * 60_000,
    pollIntervalMs: r.number(Inputs.PollIntervalSeconds, { above: 0 }) * 1000,
    maxConcurrency: r.number(Inputs.MaxConcurrency, { min: 1, max: MAX_CONCURRENCY, integer: true }),
    reportPath: r.optional(Inputs.ReportPath) ?? (INPUT_DEFAULTS[Inputs.ReportPath] as string),
    junitPath: r.optional(Inputs.JunitPath),
    githubToken: r.optional(Inputs.GithubToken),
    comment: r.boolean(Inputs.Comment),
    onlyChanged: r.boolean(Inputs.OnlyChanged),
    forceAll: r.boolean(Inputs.ForceAll),
    onMissingKey: r.oneOf(Inputs.OnMissingKey, MISSING_KEY_ACTIONS),
    retryFailed: r.number(Inputs.RetryFailed, { min: 0, max: MAX_RETRY_FAILED, integer: true }),
    transientErrors: r.patterns(Inputs.TransientErrors),
    retryAmbiguousSubmits: r.boolean(Inputs.RetryAmbiguousSubmits),
    reuseMaxAgeSeconds: r.duration(Inputs.ReuseMaxAge),
    maxDrop: r.optional(Inputs.MaxDrop)
      ? r.number(Inputs.MaxDrop, { min: LIMITS.score.min, max: LIMITS.score.max })
      : undefined,
    cache: r.boolean(Inputs.Cache),
    cacheDir: r.optional(Inputs.CacheDir)
  }
  return { ...settings, echo: r.echo() }
}

/** An input's value as reports may show it: secrets as ***, a URL's user information (a password) as ***. */
export function echoedInput(name: InputName, value: string): string {
  return SECRET_INPUTS.includes(name) ? '***' : redactUserinfo(value)
}

/** The secret values of a run, for reporters to blank out should one slip into a message. */
export function secretValues(settings: Settings): string[] {
  return [settings.apiKey, settings.store?.token, settings.githubToken].filter((v): v is string => Boolean(v))
}

const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

/** Reads raw values with defaults and turns each bad one into a SettingsError naming it. */
class Reader {
  private readonly seen = new Map<InputName, string>()
  constructor(
    private readonly source: InputSource,
    private readonly surface: Surface
  ) {}

  name(input: InputName): string {
    return this.surface.input(input)
  }

  fail(input: InputName, problem: string): never {
    throw new SettingsError(input, `${this.name(input)}: ${problem}`)
  }

  raw(input: InputName): string {
    const value = this.source.get(input).trim() || INPUT_DEFAULTS[input] || ''
    if (value) this.seen.set(input, value)
    return value
  }

  optional(input: InputName): string | undefined {
    return this.raw(input) || undefined
  }

  /** One entry a line (the action's multi-line inputs; the CLI joins repeated flags with newlines). */
  list(input: InputName): string[] {
    return this.raw(input)
      .split('\n')
      .map(s => s.trim())
      .filter(Boolean)
  }

  /** One pattern a line (`/regex/flags` or text); a bad regex names its line. */
  patterns(input: InputName): TransientPattern[] {
    return this.list(input).map((line, i) => {
      try {
        return parseTransientPattern(line)
      } catch (error) {
        return this.fail(
          input,
          `line ${i + 1}: ${line} is not a valid regular expression (${(error as Error).message})`
        )
      }
    })
  }

  number(input: InputName, rule: { min?: number; max?: number; above?: number; integer?: boolean }): number {
    const value = this.raw(input)
    if (!value) this.fail(input, 'required')
    const n = Number(value)
    const expected = rule.integer ? 'a whole number' : 'a number'
    const range =
      rule.above !== undefined
        ? ` greater than ${rule.above}`
        : rule.min !== undefined && rule.max !== undefined
          ? ` from ${rule.min} to ${rule.max}`
          : ''
    const ok =
      Number.isFinite(n) &&
      (!rule.integer || Number.isInteger(n)) &&
      (rule.above === undefined || n > rule.above) &&
      (rule.min === undefined || n >= rule.min) &&
      (rule.max === undefined || n <= rule.max)
    if (!ok) this.fail(input, `expected ${expected}${range}, got "${value}"`)
    return n
  }

  /** `200MB`, `1.5GB`, `512MiB` or a byte count. */
  byteSize(input: InputName): number {
    const value = this.raw(input)
    const bytes = parseByteSize(value)
    if (bytes === undefined) this.fail(input, `expected a size like 200MB, 1.5GB or a byte count, got "${value}"`)
    return bytes
  }

  /** `7d`, `12h`, `30m`, `90s` or a bare number of days → seconds; 0 is allowed (off). */
  duration(input: InputName): number {
    const value = this.raw(input)
    const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(value)
    if (!m) return this.fail(input, `expected a duration such as 7d, 12h, 30m or 90s (0 turns it off), got "${value}"`)
    const unit = { s: 1, m: 60, h: 3600, d: 86_400, '': 86_400 }[m[2].toLowerCase() as 's' | 'm' | 'h' | 'd' | '']
    return Math.round(Number(m[1]) * unit)
  }

  boolean(input: InputName): boolean {
    const value = this.raw(input)
    if (TRUE_VALUES.includes(value)) return true
    if (FALSE_VALUES.includes(value)) return false
    return this.fail(input, `expected true or false, got "${value}"`)
  }

  oneOf<T extends string>(input: InputName, values: readonly T[]): T {
    const value = this.raw(input)
    if ((values as readonly string[]).includes(value)) return value as T
    return this.fail(input, `expected one of ${values.join(', ')}, got "${value}"`)
  }

  /** An http(s) URL, or one of `names` (e.g. `sandbox`) standing for its URL. */
  url(input: InputName, names: Record<string, string> = {}): string | undefined {
    const value = this.optional(input)
    if (value === undefined) return undefined
    if (Object.hasOwn(names, value)) return names[value]
    const credentials = credentialsProblem(value)
    if (credentials) this.fail(input, credentials)
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return this.fail(input, `not a valid URL: "${value}"`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      this.fail(input, `expected an http or https URL, got "${value}"`)
    return value.replace(/\/+$/, '')
  }

  /** Every input read, secrets replaced, for the report. */
  echo(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [name, value] of this.seen) out[name] = echoedInput(name, value)
    return out
  }
}

/**
 * `pique-gate run`: the action's main job from a terminal or another CI. Same options as the action's inputs
 * (kebab-case flags), secrets also from the environment; prints the report as a table.
 * Exit codes: 0 passed (or skipped/submitted), 1 gate failed (also when it could not run), 2 usage or config error.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import {
  INPUT_DEFAULTS,
  type InputSource,
  Inputs,
  type InputName,
  type Settings,
  SettingsError,
  mapInputs,
  readSettings
} from '../config/settings.js'
import { CLI_SURFACE, type Surface } from '../config/surface.js'
import { executeRun } from '../run/execute.js'
import { streamLog } from '../gate/log.js'
import type { RunReport } from '../model/index.js'
import { EXIT } from './program.js'

/** Inputs the CLI also reads from the environment (flags win). */
export const ENV_INPUTS: Partial<Record<InputName, string>> = {
  [Inputs.ApiKey]: 'PIQUE_API_KEY',
  [Inputs.ApiUrl]: 'PIQUE_API_URL',
  [Inputs.StoreUrl]: 'PIQUE_STORE_URL',
  [Inputs.StoreToken]: 'PIQUE_STORE_TOKEN',
  [Inputs.GithubToken]: 'GITHUB_TOKEN',
  [Inputs.CacheDir]: 'PIQUE_GATE_CACHE_DIR'
}

const FLAGS: [InputName, string, string][] = [
  [Inputs.ApiKey, '<key>', 'Pique API key (or PIQUE_API_KEY)'],
  [Inputs.ApiUrl, '<url>', 'Pique API base URL, or production / sandbox; an emulator works too (or PIQUE_API_URL)'],
  [Inputs.Judge, '<file>', 'judge config file (YAML or JSON)'],
  [Inputs.JudgeId, '<id>', 'id of an existing ready video judge, instead of --judge'],
  [Inputs.Urls, '<files...>', 'URL list files or globs'],
  [Inputs.UrlList, '<urls>', 'inline URLs, one a line'],
  [Inputs.Files, '<files...>', 'media files, globs and files manifests (.yml/.json) to upload and evaluate'],
  [Inputs.MaxFileSize, '<size>', 'media files above this size are refused before upload (e.g. 200MB)'],
  [Inputs.Threshold, '<0..1>', 'minimum overall_score every URL must reach'],
  [Inputs.FailOnError, '[bool]', 'a failed evaluation fails the gate'],
  [Inputs.Wait, '<mode>', 'auto | store | api | none'],
  [Inputs.StoreUrl, '<url>', 'webhook store base URL (or PIQUE_STORE_URL)'],
  [Inputs.StoreToken, '<token>', 'webhook store read token (or PIQUE_STORE_TOKEN)'],
  [Inputs.WebhookUrl, '<url>', "webhook URL sent to Pique (default: the store's ingest URL)"],
  [
    Inputs.TimeoutMinutes,
    '<minutes>',
    "the run's whole time budget (judge, submit, wait; fractions allowed); URLs unfinished by then fail the gate"
  ],
  [Inputs.PollIntervalSeconds, '<seconds>', 'starting results poll interval in api mode'],
  [Inputs.MaxConcurrency, '<n>', 'requests in flight at once'],
  [Inputs.ReportPath, '<file>', 'where to write the JSON report'],
  [Inputs.JunitPath, '<file>', 'also write JUnit XML here'],
  [Inputs.OnlyChanged, '[bool]', 'on a pull request, only URLs changed against the base branch'],
  [Inputs.ForceAll, '[bool]', 'evaluate (and pay for) every URL again: no --only-changed narrowing, no reuse'],
  [
    Inputs.OnMissingKey,
    '<action>',
    'skip (validate the files only) or fail; without it a missing key is a usage error'
  ],
  [Inputs.RetryFailed, '<n>', 'new jobs per URL whose evaluation failed with a transient error (0 disables)'],
  [Inputs.TransientErrors, '<patterns...>', 'more error texts or /regexes/ that count as transient'],
  [
    Inputs.RetryAmbiguousSubmits,
    '[bool]',
    'retry a submit answered 5xx or cut after sending (Pique may bill the batch twice)'
  ],
  [
    Inputs.ReuseMaxAge,
    '<duration>',
    'reuse a completed result of the same judge and content at most this old instead of paying again (7d, 12h, 30m; 0: off)'
  ],
  [Inputs.MaxDrop, '<0..1>', 'fail a URL whose score fell by more than this against its earlier result'],
  [Inputs.Cache, '[bool]', 'without a store, keep results in the cache folder for reuse and deltas'],
  [Inputs.CacheDir, '<folder>', 'the results cache folder (or PIQUE_GATE_CACHE_DIR; default: ~/.cache/pique-gate)']
]

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('Ensure the judge, submit the URLs, wait for the scores and decide')
  for (const [name, arg, help] of FLAGS) {
    // The CLI has no on-missing-key default: a missing key is a usage error unless it is given.
    const fallback = name === Inputs.OnMissingKey ? undefined : INPUT_DEFAULTS[name]
    command.option(`--${name} ${arg}`, fallback ? `${help} (default: ${fallback})` : help)
  }
  command.option('--verbose', 'also print debug lines: why a judge is or is not reused, pacing waits, lookups')
  command.addHelpText(
    'after',
    '\nExit codes: 0 passed (or skipped / submitted without waiting), 1 the gate failed, 2 usage or config error.\n' +
      'Against the local emulator: --api-url http://127.0.0.1:4010 with its development key (pique-gate emulator prints it).\n' +
      'First runs against the real service (sandbox first): docs/real-service.md.'
  )
  command.action(async (options: Record<string, unknown>) => {
    process.exitCode = await runCommand(options, process.env)
  })
}

/** Flag values (commander's camelCase keys) plus environment fallbacks → the exit code. */
export async function runCommand(options: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<number> {
  const values: Partial<Record<InputName, string>> = {}
  for (const [name] of FLAGS) {
    const raw = options[camel(name)]
    const envName = ENV_INPUTS[name]
    values[name] =
      raw === undefined ? (envName ? env[envName] : undefined) : Array.isArray(raw) ? raw.join('\n') : String(raw)
  }
  // The terminal report has no PR comment to keep.
  values[Inputs.Comment] = 'false'
  values[Inputs.CacheDir] ??= defaultCacheDir(env)
  // An error is reported like a verdict (the stdout report, JSON report), once: not repeated on stderr.
  const { report, failure } = await executeRun(
    mapInputs(values),
    {
      surface: CLI_SURFACE,
      log: streamLog(process.stderr, { verbose: options.verbose === true }),
      env,
      verbose: options.verbose === true
    },
    readCliSettings
  )
  if (!failure) return exitCodeFor(report)
  return failure.usage ? EXIT.usage : EXIT.gateFailed
}

/** Where the CLI keeps its results cache unless told: the user's cache folder (XDG), so every checkout shares it. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'pique-gate')
}

/** The CLI has no on-missing-key default: a missing key is a usage error unless it is given. */
function readCliSettings(source: InputSource, surface: Surface): Settings {
  if (!source.get(Inputs.ApiKey) && !source.get(Inputs.OnMissingKey)) {
    throw new SettingsError(
      Inputs.ApiKey,
      'no API key: pass --api-key or set PIQUE_API_KEY (or --on-missing-key skip to only validate the files)'
    )
  }
  return readSettings(source, surface)
}

export function exitCodeFor(report: RunReport): number {
  return report.verdict === 'failed' ? EXIT.gateFailed : EXIT.ok
}

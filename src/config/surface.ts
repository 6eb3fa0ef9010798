/**
 * Where the gate runs, and so how it words what the user should change: a workflow step (inputs in its `with:`
 * block, secrets) or the command line (`--flags`, environment variables). One object per surface, passed to
 * whatever words an input or a hint (settings, the gate's messages, failure hints, the Pique client, publishing).
 */
import type { RunErrorKind } from '../model/index.js'
import type { SettingNames } from '../pique/client.js'
import { Inputs, type InputName } from './inputs.js'

export interface Surface {
  /** action: a GitHub Actions step (job summary, annotations, PR comment); cli: a terminal (a table on stdout). */
  readonly kind: 'action' | 'cli'
  /** How the user names an input: `store-token` in a workflow, `--store-token` on the command line. */
  input(name: InputName): string
  /** An input set to a value as the user would write it: `on-missing-key: skip` or `--on-missing-key skip`. */
  setting(name: InputName, value: string): string
  /** What to do about a run that stopped with this kind of error, when the message does not say. */
  hint(kind: RunErrorKind): string | undefined
  /** Why there is no API key, in this surface's terms (secrets and events mean nothing on a command line). */
  readonly missingKeyReason: string
  /** The words the Pique client uses in its hints for the key, the base URL and the deadline. */
  readonly clientNames: SettingNames
}

export const MISSING_KEY_REASON =
  'api-key is empty: repository secrets are not available to this event (a pull request from a fork, Dependabot) or the secret is not set'
/** The same outside GitHub Actions, where secrets and events mean nothing. */
const CLI_MISSING_KEY_REASON = 'no API key (--api-key or PIQUE_API_KEY)'

const ACTION_HINTS: Partial<Record<RunErrorKind, string>> = {
  settings: "Fix that input in the workflow step's with: block and re-run.",
  config: 'Fix the problems listed in the files named; pique-gate validate checks them locally without calling Pique.',
  missing_key:
    'Pass the api-key input from a repository secret, or set on-missing-key: skip to only validate the files when secrets are unavailable.',
  auth: 'Check the api-key secret: it must be a current Pique API key for the api-url used (production and sandbox keys differ).',
  network: "Pique did not answer after retries: check api-url and the runner's network, then re-run.",
  timeout: 'Pique was failing or slow until the deadline: re-run later, or raise timeout-minutes.',
  internal: "Re-run; if it happens again, report it with the step's log."
}

const CLI_HINTS: Partial<Record<RunErrorKind, string>> = {
  settings: 'Fix the flag (see pique-gate run --help) and re-run.',
  config: 'Fix the problems listed in the files named; pique-gate validate checks them without calling Pique.',
  missing_key: 'Pass --api-key or set PIQUE_API_KEY, or add --on-missing-key skip to only validate the files.',
  auth: 'Check the API key (--api-key or PIQUE_API_KEY): it must be a current Pique API key for the --api-url used (production and sandbox keys differ).',
  network: 'Pique did not answer after retries: check --api-url and the network, then re-run.',
  timeout: 'Pique was failing or slow until the deadline: re-run later, or raise --timeout-minutes.',
  internal: 'Re-run; if it happens again, report it with the command output.'
}

export const ACTION_SURFACE: Surface = {
  kind: 'action',
  input: name => name,
  setting: (name, value) => `${name}: ${value}`,
  hint: kind => ACTION_HINTS[kind],
  missingKeyReason: MISSING_KEY_REASON,
  clientNames: { key: `the ${Inputs.ApiKey} secret`, baseUrl: `the ${Inputs.ApiUrl}`, deadline: Inputs.TimeoutMinutes }
}

export const CLI_SURFACE: Surface = {
  kind: 'cli',
  input: name => `--${name}`,
  setting: (name, value) => `--${name} ${value}`,
  hint: kind => CLI_HINTS[kind],
  missingKeyReason: CLI_MISSING_KEY_REASON,
  clientNames: {
    key: `the API key (--${Inputs.ApiKey} or PIQUE_API_KEY)`,
    baseUrl: `--${Inputs.ApiUrl}`,
    deadline: `--${Inputs.TimeoutMinutes}`
  }
}

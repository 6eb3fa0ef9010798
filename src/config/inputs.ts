/** Input names, exactly as in action.yml (and the CLI's `--flags`). */
export const Inputs = {
  ApiKey: 'api-key',
  ApiUrl: 'api-url',
  Judge: 'judge',
  JudgeId: 'judge-id',
  Urls: 'urls',
  UrlList: 'url-list',
  Files: 'files',
  MaxFileSize: 'max-file-size',
  Threshold: 'threshold',
  FailOnError: 'fail-on-error',
  Wait: 'wait',
  StoreUrl: 'store-url',
  StoreToken: 'store-token',
  WebhookUrl: 'webhook-url',
  TimeoutMinutes: 'timeout-minutes',
  PollIntervalSeconds: 'poll-interval-seconds',
  MaxConcurrency: 'max-concurrency',
  ReportPath: 'report-path',
  JunitPath: 'junit-path',
  GithubToken: 'github-token',
  Comment: 'comment',
  OnlyChanged: 'only-changed',
  ForceAll: 'force-all',
  OnMissingKey: 'on-missing-key',
  RetryFailed: 'retry-failed',
  TransientErrors: 'transient-errors',
  RetryAmbiguousSubmits: 'retry-ambiguous-submits',
  ReuseMaxAge: 'reuse-max-age',
  MaxDrop: 'max-drop',
  Cache: 'cache',
  /** A results cache folder instead of the GitHub Actions cache (the CLI's default is ~/.cache/pique-gate). */
  CacheDir: 'cache-dir'
} as const
export type InputName = (typeof Inputs)[keyof typeof Inputs]

/** Output names, exactly as in action.yml. */
export const Outputs = {
  JudgeId: 'judge-id',
  JudgeCreated: 'judge-created',
  BatchIds: 'batch-ids',
  Verdict: 'verdict',
  Passed: 'passed',
  Evaluated: 'evaluated',
  Reused: 'reused',
  FailedCount: 'failed-count',
  MinScore: 'min-score',
  ReportPath: 'report-path',
  Results: 'results'
} as const
export type OutputName = (typeof Outputs)[keyof typeof Outputs]

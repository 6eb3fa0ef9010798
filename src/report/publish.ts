/**
 * Publishing a finished, skipped or errored run: the JSON report and optional JUnit XML always; then either the GitHub
 * surfaces (annotations, job summary, the sticky PR comment) or the terminal table. Each step stands alone: a
 * reporting failure becomes a warning and never changes the verdict. JUnit and the PR comment (the REST client) are
 * imported only when used: most runs need neither, and loading them would slow every start (docs/performance.md).
 */
import * as core from '@actions/core'
import type { Surface } from '../config/surface.js'
import type { RunReport } from '../model/index.js'
import {
  COMMENT_EVENTS,
  type GitHubEvent,
  type PullRequestContext,
  readEvent,
  readPullRequestContext,
  restrictedRun,
  workflowRunUrl
} from '../github/event.js'
import { emitAnnotations, planAnnotations } from './annotations.js'
import { redact, writeJsonReport, writeTextFile } from './json.js'
import type { SourceLinks } from './markdown.js'
import { renderSummary } from './summary.js'
import { renderTerminal } from './terminal.js'

export interface ReportContext {
  /** List every row in the terminal report, however large the run (CLI --verbose). */
  verbose?: boolean
  /** Where the JSON report goes; absent only when the settings could not be read (then none is written). */
  reportPath?: string
  /** Also write JUnit XML here. */
  junitPath?: string
  /** Keep one PR comment up to date (pull_request events only). */
  comment: boolean
  githubToken?: string
  /** The action: job summary, annotations, PR comment, JSON; the CLI: a table on stdout, JSON. */
  surface: Pick<Surface, 'kind'>
  /** Secret values to blank out of every report, should one have slipped into a message. */
  secrets?: string[]
  /** The PR comment's identity; defaults to the judge file, else the judge id. */
  commentKey?: string
  /** Defaults to process.env (GITHUB_* variables). */
  env?: NodeJS.ProcessEnv
  /** Where terminal output goes; defaults to stdout. */
  write?: (text: string) => void
}

/** Writes every report for a finished, skipped or errored run. Never throws for a reporting failure: it warns. */
export async function publishReports(report: RunReport, ctx: ReportContext): Promise<void> {
  const env = ctx.env ?? process.env
  const warn = (what: string, error: unknown): void => {
    const text = redact(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`, ctx.secrets)
    // `::warning::` is a workflow command: a terminal user gets a plain line on stderr instead.
    if (ctx.surface.kind === 'cli') process.stderr.write(`warning: ${text}\n`)
    else core.warning(text)
  }

  const reportPath = ctx.reportPath
  if (reportPath)
    await attempt(
      () => writeJsonReport(report, reportPath, ctx.secrets),
      e => warn(`write the JSON report to ${reportPath}`, e)
    )
  if (ctx.junitPath) {
    const path = ctx.junitPath
    await attempt(
      async () => writeTextFile(path, redact((await import('./junit.js')).renderJunit(report), ctx.secrets)),
      e => warn(`write the JUnit report to ${path}`, e)
    )
  }

  if (ctx.surface.kind === 'cli') {
    ;(ctx.write ?? ((t: string) => process.stdout.write(t)))(
      redact(renderTerminal(report, { verbose: ctx.verbose }), ctx.secrets)
    )
    return
  }

  core.startGroup('Pique gate report')
  core.info(redact(renderTerminal(report), ctx.secrets))
  core.endGroup()
  const plan = planAnnotations(report)
  emitAnnotations(report, plan, ctx.secrets)
  // The event file is read and parsed once for the summary's links and the comment alike.
  const event = readEvent(env)
  const pr = readPullRequestContext(env, event)
  const sourceLinks = sourceLinksOf(env, pr)
  if (env.GITHUB_STEP_SUMMARY) {
    const markdown = renderSummary(report, { reportPath, annotations: plan, sourceLinks })
    await attempt(
      () => core.summary.addRaw(redact(markdown, ctx.secrets), true).write(),
      e => warn('write the job summary', e)
    )
  }
  if (ctx.comment)
    await attempt(
      () => publishComment(report, ctx, { env, event, pr, sourceLinks }),
      e => warn('update the pull request comment', e)
    )
}

/** Links to the URL lists at the commit evaluated: a pull request's head, else GITHUB_SHA. */
function sourceLinksOf(env: NodeJS.ProcessEnv, pr: PullRequestContext | undefined): SourceLinks | undefined {
  const { GITHUB_SERVER_URL: serverUrl, GITHUB_REPOSITORY: repository } = env
  const sha = pr?.headSha ?? env.GITHUB_SHA
  if (!serverUrl || !repository || !sha) return undefined
  return { serverUrl, repository, sha, workspace: env.GITHUB_WORKSPACE }
}

async function attempt(step: () => Promise<unknown>, onError: (error: unknown) => void): Promise<void> {
  try {
    await step()
  } catch (error) {
    onError(error)
  }
}

/** What publishReports read of the run's environment and event, once. */
interface RunEvent {
  env: NodeJS.ProcessEnv
  event: GitHubEvent
  pr: PullRequestContext | undefined
  sourceLinks: SourceLinks | undefined
}

async function publishComment(
  report: RunReport,
  ctx: ReportContext,
  { env, event, pr, sourceLinks }: RunEvent
): Promise<void> {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  if (!(COMMENT_EVENTS as readonly string[]).includes(eventName)) return
  if (!pr) return
  // The event shows the token is read-only: no doomed requests, no warning. The job summary has the report.
  const restricted = restrictedRun(env, event)
  if (restricted) {
    core.info(`Pull request comment not posted: ${restricted.why}. The job summary has the report.`)
    return
  }
  if (!ctx.githubToken) {
    core.warning('No github-token: the pull request comment was not posted (the job summary has the report)')
    return
  }
  const [{ commentMarker, judgeKeyOf, renderComment }, { createOctokit }, { upsertStickyComment }] = await Promise.all([
    import('./comment.js'),
    import('../github/octokit.js'),
    import('../github/sticky-comment.js')
  ])
  const judgeKey = ctx.commentKey ?? judgeKeyOf(report)
  const body = renderComment(report, {
    judgeKey,
    runUrl: workflowRunUrl(env),
    sha: pr.headSha,
    sourceLinks
  })
  const result = await upsertStickyComment(
    createOctokit(ctx.githubToken, env),
    pr,
    commentMarker(judgeKey),
    redact(body, ctx.secrets)
  )
  if (result.action === 'forbidden') {
    // Fork pull requests and Dependabot get a read-only token: say so once, the job summary still has everything.
    core.warning(
      `The github-token cannot write pull request comments here (HTTP ${result.status}; read-only token on fork or Dependabot pull requests, ` +
        "or the workflow lacks 'permissions: pull-requests: write'). The verdict is in the job summary."
    )
    return
  }
  core.info(`Pull request comment ${result.action} (#${pr.number}, comment ${result.commentId})`)
}

/**
 * One pull-request comment per gate, found by its hidden marker and edited in place on every run, so a PR shows
 * the current verdict instead of a comment per push.
 */
import type { Octokit } from './octokit.js'
import { isPermissionError } from './octokit.js'
import type { PullRequestContext } from './event.js'

export type StickyResult =
  | { action: 'created' | 'updated' | 'unchanged'; commentId: number }
  | { action: 'forbidden'; status?: number; message: string }

/**
 * Creates or updates the comment whose body starts with `marker`. A comment that merely quotes the marker starts
 * with `>` and is left alone. Pages through all comments (100 a page) and stops at the first match.
 */
export async function upsertStickyComment(octokit: Octokit, pr: PullRequestContext, marker: string, body: string): Promise<StickyResult> {
  const where = { owner: pr.owner, repo: pr.repo }
  try {
    const existing = await findComment(octokit, pr, marker)
    if (existing) {
      if (existing.body === body) return { action: 'unchanged', commentId: existing.id }
      await octokit.rest.issues.updateComment({ ...where, comment_id: existing.id, body })
      return { action: 'updated', commentId: existing.id }
    }
    const created = await octokit.rest.issues.createComment({ ...where, issue_number: pr.number, body })
    return { action: 'created', commentId: created.data.id }
  } catch (error) {
    if (isPermissionError(error)) {
      const status = (error as { status: number }).status
      return { action: 'forbidden', status, message: error instanceof Error ? error.message : String(error) }
    }
    throw error
  }
}

async function findComment(octokit: Octokit, pr: PullRequestContext, marker: string): Promise<{ id: number; body: string } | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100
  })
  for await (const page of pages) {
    const found = page.data.find((c) => c.body?.trimStart().startsWith(marker))
    if (found) return { id: found.id, body: found.body ?? '' }
  }
  return undefined
}

/**
 * Reading an octokit error's HTTP status. Apart from octokit.ts, so code that only inspects errors does not load
 * the REST client: the action imports that only when it comments or compares with the base branch.
 */

/** The HTTP status of an octokit error, if it has one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** 401/403/404 on a write: the token cannot write here (read-only fork or Dependabot token, missing permission). */
export function isPermissionError(error: unknown): boolean {
  const status = httpStatus(error)
  return status === 401 || status === 403 || status === 404
}

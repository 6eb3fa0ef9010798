/** A reason the gate could not run to a verdict (judge failed, not a video judge, ...): one readable line. */
export class GateError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'GateError'
  }
}

/** api-key is empty and on-missing-key is fail. */
export class MissingKeyError extends GateError {
  constructor(message: string) {
    super(message)
    this.name = 'MissingKeyError'
  }
}

/** Errors of an HTTP answer that no retry or later poll can fix (bad key, no permission). */
export function isAuthError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status
  return status === 401 || status === 403
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

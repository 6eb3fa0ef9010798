/**
 * Errors of the Pique client. Every `message` is one line: what happened (method, path, status, the API's
 * `detail`) and what to do. None carries the API key: the client redacts anything the server echoes back.
 */

/** A setting of the client's caller that an error's message tells the user to check (worded by the caller's names). */
export type ClientSetting = 'key' | 'baseUrl' | 'deadline'

export interface PiqueErrorExtras {
  /**
   * True when a non-idempotent request (submit, create judge, ...) failed in a way that leaves open whether
   * Pique acted on it: it was not retried, and re-running would act again (a second batch, a second judge).
   */
  maybeAccepted?: boolean
  /** Attempts made before giving up (1 when no retry happened). */
  attempts?: number
  /** The setting the message already tells the user to check, if any. */
  setting?: ClientSetting
}

/**
 * A call that was made (or begun) and did not succeed: what it was, how many attempts it took, and whether Pique
 * may have acted on it anyway. The kinds below say why; callers tell them apart with `instanceof`.
 */
export abstract class PiqueCallError extends Error {
  readonly maybeAccepted: boolean
  readonly attempts: number
  readonly setting?: ClientSetting
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    extras: PiqueErrorExtras,
    defaultAttempts: number
  ) {
    super(message)
    this.name = new.target.name
    this.maybeAccepted = extras.maybeAccepted ?? false
    this.attempts = extras.attempts ?? defaultAttempts
    this.setting = extras.setting
  }
}

/** An HTTP answer from the API that is not a success. `message` is one readable line with what to do. */
export class PiqueApiError extends PiqueCallError {
  constructor(
    message: string,
    readonly status: number,
    method: string,
    path: string,
    /** The API's `detail`, rendered as one line. */
    readonly detail?: string,
    extras: PiqueErrorExtras = {}
  ) {
    super(message, method, path, extras, 1)
  }
}

/** A success status whose body is not what the endpoint documents (not JSON, or the wrong shape). */
export class PiqueResponseError extends PiqueApiError {}

/** No HTTP answer (connection refused, reset, timeout) after the retries. */
export class PiqueNetworkError extends PiqueCallError {
  /** The system error code (ECONNREFUSED, ECONNRESET, ...) when there was one. */
  readonly code?: string
  constructor(message: string, method: string, path: string, extras: PiqueErrorExtras & { code?: string } = {}) {
    super(message, method, path, extras, 1)
    this.code = extras.code
  }
}

/**
 * The call's deadline (CallOptions.deadline: the gate's timeout-minutes) came first: no time was left to send the
 * request, to wait for the next retry or the rate-limit reset, or for the answer of the request in flight.
 */
export class PiqueDeadlineError extends PiqueCallError {
  constructor(message: string, method: string, path: string, extras: PiqueErrorExtras = {}) {
    // 0 by default: the deadline may pass before any attempt is made.
    super(message, method, path, extras, 0)
  }
}

/** A request body or argument that breaks a documented rule; caught before anything is sent. */
export class PiqueRequestError extends Error {
  constructor(
    message: string,
    readonly endpoint: string,
    readonly issues: { path: string; message: string }[],
    /** The setting the message tells the user to check, if any. */
    readonly setting?: ClientSetting
  ) {
    super(message)
    this.name = 'PiqueRequestError'
  }
}

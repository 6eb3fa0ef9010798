// STUB (owned by the client helper).
/** An HTTP answer from the API that is not a success. `message` is one readable line with what to do. */
export class PiqueApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly method: string,
    readonly path: string,
    /** The API's `detail`, rendered as one line. */
    readonly detail?: string
  ) {
    super(message)
    this.name = 'PiqueApiError'
  }
}

/** No HTTP answer (connection refused, reset, timeout) after the retries. */
export class PiqueNetworkError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly path: string
  ) {
    super(message)
    this.name = 'PiqueNetworkError'
  }
}

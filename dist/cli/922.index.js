export const id = 922;
export const ids = [922];
export const modules = {

/***/ 72922:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   StoreClient: () => (/* binding */ StoreClient),
/* harmony export */   StoreError: () => (/* binding */ StoreError)
/* harmony export */ });
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(41105);

/** An answer from the store that is not a success, or no answer after the retries. */
class StoreError extends Error {
    status;
    constructor(message, 
    /** HTTP status; 0 when the store did not answer. */
    status) {
        super(message);
        this.status = status;
        this.name = 'StoreError';
    }
}
const RETRY_STATUSES = new Set([502, 503, 504]);
const RETRY_DELAY_MS = 500;
class StoreClient {
    options;
    constructor(options) {
        this.options = options;
    }
    /** Where Pique should send webhooks for this store. */
    get ingestUrl() {
        return new URL(_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .STORE_PATHS */ .PX.ingest, this.options.baseUrl).toString();
    }
    /** Long-polls when `wait_seconds` > 0; resolves early when any job changes after `after` or all are terminal. */
    async query(req) {
        const wait = Math.max(0, Math.min(req.wait_seconds ?? 0, _protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .MAX_WAIT_SECONDS */ .ZI));
        const body = { job_ids: req.job_ids, wait_seconds: wait, after: req.after ?? 0, changed_only: req.changed_only };
        return this.call('POST', _protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .STORE_PATHS */ .PX.query, _protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .queryResponseSchema */ .lX, body, wait * 1000);
    }
    async register(jobs) {
        if (jobs.length === 0)
            return;
        await this.call('POST', _protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .STORE_PATHS */ .PX.register, undefined, { jobs });
    }
    /** Reusable, previous and base-branch results for many items, in one request. */
    async lookupResults(req) {
        return this.call('POST', _protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .STORE_PATHS */ .PX.results, _protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .resultLookupResponseSchema */ .Ie, req);
    }
    /** One job, or undefined when the store has never heard of it. */
    async job(jobId) {
        return this.call('GET', `/v1/jobs/${encodeURIComponent(jobId)}`, _protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .storedJobSchema */ .c2, undefined, 0, true);
    }
    /** The registered jobs of a batch, or undefined when none are registered. */
    async batch(batchId) {
        return this.call('GET', `/v1/batches/${encodeURIComponent(batchId)}`, _protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .batchResponseSchema */ .bm, undefined, 0, true);
    }
    async call(method, path, schema, body, extraMs = 0, notFoundIsUndefined = false) {
        const url = new URL(path, this.options.baseUrl);
        const attempts = Math.max(1, this.options.maxAttempts ?? 3);
        // Whole milliseconds: AbortSignal.timeout throws on a fraction, and waits come from fractional deadlines.
        const timeoutMs = Math.ceil((this.options.timeoutMs ?? 30_000) + extraMs);
        let lastError = '';
        for (let attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1)
                await new Promise(r => setTimeout(r, RETRY_DELAY_MS * 2 ** (attempt - 2)));
            let res;
            try {
                res = await fetch(url, {
                    method,
                    headers: {
                        authorization: `Bearer ${this.options.token}`,
                        ...(body === undefined ? {} : { 'content-type': 'application/json' })
                    },
                    body: body === undefined ? undefined : JSON.stringify(body),
                    signal: AbortSignal.timeout(timeoutMs)
                });
            }
            catch (error) {
                const cause = error instanceof Error ? (error.cause?.message ?? error.message) : String(error);
                lastError = `no answer from the store at ${url.origin} (${cause})`;
                continue;
            }
            const text = await res.text();
            if (res.ok) {
                if (!schema)
                    return undefined;
                const parsed = schema.safeParse(parseJson(text));
                if (!parsed.success)
                    throw new StoreError(`the store at ${url.origin} sent an unexpected ${method} ${url.pathname} answer`, res.status);
                return parsed.data;
            }
            if (res.status === 404 && notFoundIsUndefined)
                return undefined;
            const message = `store ${method} ${url.pathname} answered ${res.status}: ${errorText(text)}`;
            if (res.status === 401)
                throw new StoreError(`${message} (check store-token)`, 401);
            if (!RETRY_STATUSES.has(res.status))
                throw new StoreError(message, res.status);
            lastError = message;
        }
        throw new StoreError(`${lastError} after ${attempts} attempts`, 0);
    }
}
/** The answer's JSON, or undefined when it is not JSON (then the schema check reports an unexpected answer). */
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function errorText(text) {
    try {
        const body = JSON.parse(text);
        if (typeof body.error === 'string')
            return body.error;
    }
    catch {
        // not JSON: fall through to the raw text
    }
    return text.slice(0, 200).replace(/\s+/g, ' ');
}


/***/ })

};

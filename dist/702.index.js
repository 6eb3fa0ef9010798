export const id = 702;
export const ids = [702];
export const modules = {

/***/ 6702:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createOctokit: () => (/* binding */ createOctokit)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1351);
/* harmony import */ var _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5555);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6856);
/**
 * An octokit for the GitHub REST API at GITHUB_API_URL (read at call time: GHES and tests point it elsewhere), with
 * the retry and throttling plugins create-pull-request uses: a 5xx or a dropped connection is retried, a rate limit
 * is waited out once when the wait is short. Permission answers (401/403/404) are never retried.
 */





/** A total budget for one client's calls, so a hanging API cannot hold the gate's report hostage. */
const CLIENT_BUDGET_MS = 60_000;
/** Retries of a failed call (5xx, network): after 1 s, then 4 s (the plugin waits retry² seconds). */
const RETRIES = 2;
/** A rate limit is waited out once, and only when it lifts this soon; longer waits give up (the summary has the verdict). */
const MAX_RATE_LIMIT_WAIT_SECONDS = 20;
function createOctokit(token, env = process.env) {
    const onLimit = (kind) => (retryAfter, options, _octokit, retryCount) => {
        const retrying = retryCount < 1 && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`GitHub ${kind} on ${options.method} ${options.url}: ` +
            (retrying ? `retrying in ${retryAfter} s` : `not retrying (lifts in ${retryAfter} s)`));
        return retrying;
    };
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(token, {
        baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
        request: { ..._actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_2__/* .defaults */ .NT.request, signal: AbortSignal.timeout(CLIENT_BUDGET_MS) },
        retry: { retries: RETRIES },
        throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') }
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_3__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_4__/* .throttling */ .A);
}


/***/ })

};

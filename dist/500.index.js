export const id = 500;
export const ids = [500];
export const modules = {

/***/ 4252:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ historyFromAnswer)
/* harmony export */ });
/* harmony import */ var _pique_results_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4974);
/**
 * Where past results come from: the webhook store (every run's results, shared by every workflow that uses the
 * store, with the base branch's) or a results cache (a file per judge, in a local folder or the GitHub Actions
 * cache). Both answer the same question in one call, by the same rule (store/db/history.ts): per item, the newest
 * completed result young enough to reuse, the one before it, and the base branch's newest.
 */

/** A lookup answer as the gate uses it; results that do not parse as result bodies are left out. */
function historyFromAnswer(answer) {
    const now = Date.parse(answer.now);
    const past = (stored) => {
        if (!stored)
            return undefined;
        const parsed = (0,_pique_results_js__WEBPACK_IMPORTED_MODULE_0__/* .parseResultBody */ .f$)(stored.result);
        if (!parsed.ok || parsed.result.outcome !== 'completed')
            return undefined;
        return {
            jobId: stored.job_id,
            completedAt: stored.completed_at,
            ageSeconds: Math.max(0, Math.round((now - Date.parse(stored.completed_at)) / 1000)),
            result: parsed.result,
            ...(stored.ref ? { ref: stored.ref } : {})
        };
    };
    const out = new Map();
    for (const item of answer.items) {
        const entry = {};
        const reusable = past(item.reusable);
        const previous = past(item.previous);
        const base = past(item.base);
        if (reusable)
            entry.reusable = reusable;
        if (previous)
            entry.previous = previous;
        if (base)
            entry.base = base;
        out.set(item.identity, entry);
    }
    return out;
}


/***/ }),

/***/ 3500:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   storeHistory: () => (/* binding */ storeHistory)
/* harmony export */ });
/* harmony import */ var _store_protocol_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1105);
/* harmony import */ var _history_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4252);


function storeHistory(store, judgeFingerprint, where) {
    return {
        kind: 'store',
        where,
        async lookup(query) {
            const out = new Map();
            const identities = [...new Set(query.identities)];
            // One request for any run up to MAX_LOOKUP_IDENTITIES items; larger ones take a request per slice.
            for (let i = 0; i < identities.length; i += _store_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .MAX_LOOKUP_IDENTITIES */ .N9) {
                const answer = await store.lookupResults({
                    judge_fingerprint: judgeFingerprint,
                    identities: identities.slice(i, i + _store_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .MAX_LOOKUP_IDENTITIES */ .N9),
                    max_age_seconds: Math.round(query.maxAgeSeconds),
                    ...(query.base ? { base: query.base } : {})
                });
                for (const [identity, entry] of (0,_history_js__WEBPACK_IMPORTED_MODULE_1__/* .historyFromAnswer */ .L)(answer))
                    out.set(identity, entry);
            }
            return out;
        },
        // The store records every result from its webhooks, job → identity from the registration.
        async remember() { }
    };
}


/***/ })

};

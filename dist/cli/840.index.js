export const id = 840;
export const ids = [840,124];
export const modules = {

/***/ 67840:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   actionsCacheAvailable: () => (/* binding */ actionsCacheAvailable),
/* harmony export */   actionsCacheHistory: () => (/* binding */ actionsCacheHistory),
/* harmony export */   actionsCacheKeyPrefix: () => (/* binding */ actionsCacheKeyPrefix)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48583);
/* harmony import */ var _result_cache_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(77124);
/**
 * The results cache through the GitHub Actions cache, for action runs without a store. The folder cache
 * (result-cache.ts) lives in the runner's temp folder: restored before the first lookup, saved after the run's
 * results are remembered. Cache keys are immutable, so every save gets a new key under the judge's prefix and a
 * restore (which matches keys by prefix) takes the newest entry with that prefix (this branch's first, then the base branch's: GitHub's cache
 * scoping). Failures only warn: the cache saves money, it never decides the verdict.
 */




/** `pique-gate-results-v1-<32 hex of the fingerprint>-`: every entry of one judge. */
function actionsCacheKeyPrefix(judgeFingerprint) {
    return `pique-gate-results-v1-${(0,_result_cache_js__WEBPACK_IMPORTED_MODULE_3__.fingerprintDigest)(judgeFingerprint)}-`;
}
/** The one folder restored and saved (its path is part of the cache version, so it never varies by run). */
function actionsCacheDir(env) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_0__.tmpdir)(), 'pique-gate-results');
}
function actionsCacheAvailable() {
    return _actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .isFeatureAvailable */ .w3();
}
function actionsCacheHistory(options) {
    const dir = actionsCacheDir(options.env);
    const prefix = actionsCacheKeyPrefix(options.judgeFingerprint);
    const folder = (0,_result_cache_js__WEBPACK_IMPORTED_MODULE_3__.folderResultCache)({ dir, judgeFingerprint: options.judgeFingerprint, onProblem: options.warning });
    let restored;
    const restore = () => (restored ??= (async () => {
        try {
            const hit = await _actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .restoreCache */ .P3([dir], prefix);
            options.info(hit ? `Results cache restored from the GitHub Actions cache (${hit})` : 'No results cache yet for this judge');
        }
        catch (error) {
            options.warning(`Could not restore the results cache: ${message(error)}; nothing is reused this run`);
        }
    })());
    return {
        kind: 'cache',
        where: 'the GitHub Actions cache',
        async lookup(query) {
            await restore();
            return folder.lookup(query);
        },
        async remember(results) {
            if (!results.some(r => r.result.outcome === 'completed'))
                return;
            await restore();
            await folder.remember(results);
            const key = `${prefix}${options.env.GITHUB_RUN_ID ?? 'local'}-${options.env.GITHUB_RUN_ATTEMPT ?? '1'}-${Date.now().toString(36)}`;
            try {
                await _actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .saveCache */ .Io([dir], key);
                options.info(`Results cache saved to the GitHub Actions cache (${key})`);
            }
            catch (error) {
                options.warning(`Could not save the results cache: ${message(error)}; the next run evaluates these again`);
            }
        }
    };
}
const message = (error) => (error instanceof Error ? error.message : String(error));


/***/ }),

/***/ 94252:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ historyFromAnswer)
/* harmony export */ });
/* harmony import */ var _pique_results_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(14974);
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

/***/ 77124:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cacheFileName: () => (/* binding */ cacheFileName),
/* harmony export */   fingerprintDigest: () => (/* binding */ fingerprintDigest),
/* harmony export */   folderResultCache: () => (/* binding */ folderResultCache)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(26921);
/* harmony import */ var _store_db_history_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(74028);
/* harmony import */ var _store_protocol_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(41105);
/* harmony import */ var _history_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(94252);
/**
 * A results cache without a store: one JSON file per judge fingerprint in a folder (the CLI's cache folder, or the
 * folder the GitHub Actions cache restores and saves). It keeps each item's two newest completed results, which is
 * all reuse and deltas need, in the store's own shapes, and answers lookups by the store's rule.
 */







const CACHE_FORMAT_VERSION = 1;
/** Results kept per item: the newest (reusable) and the one before it (for deltas). */
const KEEP_PER_ITEM = 2;
const cacheFileSchema = zod__WEBPACK_IMPORTED_MODULE_6__/* .object */ .Ikc({
    version: zod__WEBPACK_IMPORTED_MODULE_6__/* .literal */ .euz(CACHE_FORMAT_VERSION),
    judge_fingerprint: zod__WEBPACK_IMPORTED_MODULE_6__/* .string */ .YjP(),
    /** identity → completed results, newest first. */
    items: zod__WEBPACK_IMPORTED_MODULE_6__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_6__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_6__/* .array */ .YOg(_store_protocol_js__WEBPACK_IMPORTED_MODULE_4__/* .storedResultSchema */ .k1))
});
/** A judge fingerprint as 32 hex characters, for file names and cache keys (it holds characters they dislike). */
function fingerprintDigest(judgeFingerprint) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(judgeFingerprint).digest('hex').slice(0, 32);
}
/** The cache file's name for a judge. */
function cacheFileName(judgeFingerprint) {
    return `results-${fingerprintDigest(judgeFingerprint)}.json`;
}
function folderResultCache(options) {
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(options.dir, cacheFileName(options.judgeFingerprint));
    const now = options.now ?? (() => new Date());
    let loaded;
    const load = async () => {
        if (loaded)
            return loaded;
        const empty = { version: CACHE_FORMAT_VERSION, judge_fingerprint: options.judgeFingerprint, items: {} };
        let text;
        try {
            text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(path, 'utf8');
        }
        catch {
            return (loaded = empty);
        }
        let json;
        try {
            json = JSON.parse(text);
        }
        catch {
            json = undefined;
        }
        const parsed = cacheFileSchema.safeParse(json);
        if (!parsed.success || parsed.data.judge_fingerprint !== options.judgeFingerprint) {
            options.onProblem?.(`${path} is not a pique-gate results cache for this judge; it will be replaced`);
            return (loaded = empty);
        }
        return (loaded = parsed.data);
    };
    return {
        kind: 'cache',
        where: options.dir,
        async lookup(query) {
            const file = await load();
            const rows = [];
            const kept = new Map();
            for (const identity of new Set(query.identities)) {
                const results = file.items[identity] ?? [];
                results.slice(0, KEEP_PER_ITEM).forEach((r, i) => {
                    kept.set(r.job_id, r);
                    rows.push({
                        identity,
                        job_id: r.job_id,
                        updated_at: r.completed_at,
                        url: r.url ?? null,
                        repository: r.repository ?? null,
                        commit_sha: r.commit ?? null,
                        ref: r.ref ?? null,
                        rn: i + 1,
                        on_base: false
                    });
                });
            }
            // The store's selection rule over the file's results as they are (already parsed and checked on load).
            const request = {
                judge_fingerprint: options.judgeFingerprint,
                identities: query.identities,
                max_age_seconds: query.maxAgeSeconds
            };
            const at = now();
            const answer = { items: (0,_store_db_history_js__WEBPACK_IMPORTED_MODULE_3__/* .selectLookup */ .Py)(request, rows, at, row => kept.get(row.job_id)), now: at.toISOString() };
            return (0,_history_js__WEBPACK_IMPORTED_MODULE_5__/* .historyFromAnswer */ .L)(answer);
        },
        async remember(results) {
            const completed = results.filter(r => r.result.outcome === 'completed');
            if (completed.length === 0)
                return;
            const file = await load();
            const at = now().toISOString();
            for (const r of completed) {
                const before = (file.items[r.identity] ?? []).filter(p => p.job_id !== r.result.jobId);
                file.items[r.identity] = [
                    {
                        job_id: r.result.jobId,
                        completed_at: at,
                        result: r.body,
                        ...(r.url ? { url: r.url } : {}),
                        ...(r.ref ? { ref: r.ref } : {})
                    },
                    ...before
                ].slice(0, KEEP_PER_ITEM);
            }
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(options.dir, { recursive: true });
            // Written whole and renamed: a run that dies mid-write leaves the previous cache, never half a file.
            const tmp = `${path}.${process.pid}.tmp`;
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(tmp, JSON.stringify(file));
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(tmp, path);
        }
    };
}


/***/ })

};

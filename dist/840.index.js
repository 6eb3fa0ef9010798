export const id = 840;
export const ids = [840,107];
export const modules = {

/***/ 7840:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   actionsCacheAvailable: () => (/* binding */ actionsCacheAvailable),
/* harmony export */   actionsCacheHistory: () => (/* binding */ actionsCacheHistory),
/* harmony export */   actionsCacheKeyPrefix: () => (/* binding */ actionsCacheKeyPrefix)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8583);
/* harmony import */ var _result_cache_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1107);
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

/***/ 1107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cacheFileName: () => (/* binding */ cacheFileName),
  fingerprintDigest: () => (/* binding */ fingerprintDigest),
  folderResultCache: () => (/* binding */ folderResultCache)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 11 modules
var schemas = __webpack_require__(2857);
// EXTERNAL MODULE: ./src/config/source.ts + 2 modules
var source = __webpack_require__(638);
;// CONCATENATED MODULE: ./src/store/body.ts
/**
 * Decoding a delivery's raw bytes into JSON, with the store's own limits: UTF-8 only (refused otherwise, so the
 * text kept is byte for byte what was signed), a leading BOM tolerated, and a nesting depth limit so that every
 * accepted body can be read back and re-serialized (JSON.stringify recurses, and overflows a few thousand deep).
 */

/** Deepest nesting of arrays and objects a body may have; real result bodies nest about 7 deep. */
const MAX_JSON_DEPTH = 64;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Bytes → text → JSON, or one line saying which step failed (never quoting the body). */
function decodeJsonBody(raw) {
    let text;
    try {
        text = utf8.decode(raw);
    }
    catch {
        return { ok: false, reason: `body is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(raw)})` };
    }
    if (text.includes('\u0000'))
        return { ok: false, reason: 'body is not JSON: it contains NUL bytes (UTF-16? the body must be UTF-8 JSON)' };
    if (text.trim() === '')
        return { ok: false, reason: 'body is empty (expected a JSON result body)' };
    if (exceedsDepth(text, MAX_JSON_DEPTH))
        return { ok: false, reason: `body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects` };
    const json = body_parseJsonText(text);
    if (json === undefined)
        return { ok: false, reason: `body is not JSON${jsonErrorAt(text)}` };
    return { ok: true, text, json };
}
/**
 * A stored result body as an object, or undefined when it cannot be served: not JSON (a row edited by hand or
 * restored by another tool), not an object, or kept before ingest limited the depth (JSON.stringify and any reader
 * that recurses could not take it). One rule for every read that returns stored bodies.
 */
function storedBodyJson(text) {
    if (text === null || exceedsDepth(text, MAX_JSON_DEPTH))
        return undefined;
    const json = body_parseJsonText(text);
    return json !== null && typeof json === 'object' && !Array.isArray(json)
        ? json
        : undefined;
}
/** The same body as JSON text to splice into an answer unparsed (its leading BOM, which ingest tolerates, dropped). */
function servableBody(text) {
    if (storedBodyJson(text) === undefined)
        return undefined;
    return withoutBom(text);
}
/** The text without its leading byte order mark, which RFC 8259 lets a parser ignore. */
function withoutBom(text) {
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
/** JSON.parse that tolerates a leading byte order mark (RFC 8259 lets a parser ignore it); undefined if not JSON. */
function body_parseJsonText(text) {
    try {
        return JSON.parse(withoutBom(text));
    }
    catch {
        return undefined;
    }
}
/** True when arrays/objects nest deeper than `limit` (brackets inside strings do not count). Linear, no recursion. */
function exceedsDepth(text, limit) {
    // Cheap first: a text with at most `limit` opening brackets cannot nest deeper (result bodies have a few dozen).
    if (countOpenings(text, limit + 1) <= limit)
        return false;
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === 0x5c)
                i++; // backslash: skip the escaped character
            else if (c === 0x22)
                inString = false;
        }
        else if (c === 0x22)
            inString = true;
        else if (c === 0x5b || c === 0x7b) {
            if (++depth > limit)
                return true;
        }
        else if (c === 0x5d || c === 0x7d)
            depth--;
    }
    return false;
}
/** How many `{` and `[` the text holds, counting no further than `stop`. */
function countOpenings(text, stop) {
    let n = 0;
    for (const bracket of ['{', '[']) {
        for (let i = text.indexOf(bracket); i !== -1 && n < stop; i = text.indexOf(bracket, i + 1))
            n++;
    }
    return n;
}
/** Where and why the text is not JSON, as ": <what> at line L, column C" (JSON.parse's own message quotes the body). */
function jsonErrorAt(text) {
    const problem = jsonSyntaxProblem(withoutBom(text));
    if (!problem)
        return '';
    const { line, col } = offsetPosition(text, problem.offset);
    return `: ${problem.message.slice(0, 80)} at line ${line}, column ${col}`;
}
function firstInvalidUtf8(raw) {
    // The longest prefix that decodes, a sequence cut off at its end allowed, stops at the byte that broke it...
    let lo = 0;
    let hi = raw.length;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (decodes(raw.subarray(0, mid), true))
            lo = mid;
        else
            hi = mid - 1;
    }
    // ...unless that prefix ends inside a sequence: then the sequence's lead byte is the first bad one.
    if (decodes(raw.subarray(0, lo), false))
        return lo;
    let at = lo - 1;
    while (at > 0 && (raw[at] & 0xc0) === 0x80)
        at--;
    return at;
}
/** Whether `bytes` is valid UTF-8 (`cutOff`: except possibly for a sequence cut off at its end). */
function decodes(bytes, cutOff) {
    try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cutOff });
        return true;
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/store/db/history.ts
/**
 * Result history, shared by both backends: which rows a results lookup reads and how they become the answer.
 * A job joins an item's history when the gate registers it with a judge fingerprint and an identity; its result
 * counts once the job is `completed` (failed results are never reused nor compared against). The completion time
 * is the job row's `updated_at`: a terminal status is final, so the row never changes after it.
 */

/**
 * The query's body; `:fingerprint`, `:identities`, `:base_repository`, `:base_ref` and `:identity_filter` are
 * placeholders the backends fill with their own parameter syntax and set test. Without a base branch (a push, not a pull request) the second
 * ranking is left out: its sort was a third of the query's time, and the base placeholders do not appear.
 */
function historySelect(withBase) {
    // r.on_base / r.rn: the outer query reads the ranked rows only; no second join for the bodies.
    const onBase = withBase ? '(j.repository = :base_repository AND i.ref = :base_ref)' : 'false';
    return `
  WITH ranked AS (
    SELECT i.identity, i.job_id, i.ref, j.updated_at, j.url, j.repository, j.commit_sha,
      ROW_NUMBER() OVER (PARTITION BY i.identity ORDER BY j.updated_at DESC, j.job_id DESC) AS rn,
      ${withBase ? `ROW_NUMBER() OVER (PARTITION BY i.identity, ${onBase} ORDER BY j.updated_at DESC, j.job_id DESC)` : '0'} AS base_rn,
      ${onBase} AS on_base
    FROM job_identities i JOIN jobs j ON j.job_id = i.job_id
    WHERE i.judge_fingerprint = :fingerprint AND i.identity :identity_filter AND j.status = 'completed'
  )
  SELECT identity, job_id, updated_at, url, repository, commit_sha, ref, rn, on_base
  FROM ranked r
  WHERE r.rn <= 2${withBase ? ' OR (r.on_base AND r.base_rn <= 2)' : ''}`;
}
/** Registered jobs that name their item. */
function identifiedJobs(jobs) {
    return jobs.filter((j) => j.judge_fingerprint !== undefined && j.identity !== undefined);
}
/** A history row's result, parsed; undefined when its body cannot be served (then the row counts as no result). */
function toStoredResult(row, bodies) {
    const text = bodies.get(row.job_id) ?? undefined;
    const result = text === undefined ? undefined : parseJsonText(text);
    return result === undefined ? undefined : { ...resultFields(row), result: result };
}
function toRawStoredResult(row, bodies) {
    const text = bodies.get(row.job_id) ?? undefined;
    return text === undefined ? undefined : { ...resultFields(row), resultJson: text };
}
function resultFields(row) {
    return {
        job_id: row.job_id,
        completed_at: row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at,
        url: row.url,
        repository: row.repository,
        commit: row.commit_sha,
        ref: row.ref
    };
}
/**
 * Which rows answer each identity, measured against `now`: the newest completed result when fresh enough to reuse,
 * the one before it (or the newest, when nothing is reusable) for deltas, and the base branch's newest other one.
 * `convert` turns a row into its result, or undefined when the row's body cannot be served.
 */
function selectLookup(req, rows, now, convert) {
    const byIdentity = new Map();
    for (const row of rows) {
        const list = byIdentity.get(row.identity);
        if (list)
            list.push(row);
        else
            byIdentity.set(row.identity, [row]);
    }
    const oldest = now.getTime() - req.max_age_seconds * 1000;
    const items = [];
    for (const identity of new Set(req.identities)) {
        const found = byIdentity.get(identity);
        if (!found)
            continue;
        const newestFirst = found.filter(r => Number(r.rn) <= 2).sort((a, b) => Number(a.rn) - Number(b.rn));
        const [newest, second] = newestFirst.map(convert);
        const fresh = newest !== undefined && req.max_age_seconds > 0 && Date.parse(newest.completed_at) >= oldest;
        const reusable = fresh ? newest : undefined;
        const onBase = found
            .filter(r => Boolean(Number(r.on_base)) && r.job_id !== reusable?.job_id)
            .sort((a, b) => toTime(b) - toTime(a) || (a.job_id < b.job_id ? 1 : -1));
        items.push({
            identity,
            reusable: reusable ?? null,
            previous: (reusable ? second : newest) ?? null,
            base: (onBase.length ? convert(onBase[0]) : undefined) ?? null
        });
    }
    return items;
}
/** The lookup answer from the rows of historySelect, measured against `now`. */
function answerLookup(req, rows, bodies, now) {
    return { items: selectLookup(req, rows, now, row => toStoredResult(row, bodies)), now: now.toISOString() };
}
/**
 * `JSON.stringify(answerLookup(req, rows, now))` in parts (one per item, joined they are the whole), each result
 * body spliced in as stored instead of parsed and written again: 900 reusable results are about 1.6 MB, the round
 * trip was a third of the store's answer time, and one string that large made every lookup a major collection.
 */
function answerLookupJson(req, rows, bodies, now) {
    const str = JSON.stringify;
    const result = (r) => r === null
        ? 'null'
        : `{"job_id":${str(r.job_id)},"completed_at":${str(r.completed_at)},"result":${r.resultJson},"url":${str(r.url)},` +
            `"repository":${str(r.repository)},"commit":${str(r.commit)},"ref":${str(r.ref)}}`;
    const parts = selectLookup(req, rows, now, row => toRawStoredResult(row, bodies)).map((i, n) => `${n === 0 ? '{"items":[' : ','}{"identity":${str(i.identity)},"reusable":${result(i.reusable)},` +
        `"previous":${result(i.previous)},"base":${result(i.base)}}`);
    const end = `],"now":${str(now.toISOString())}}`;
    return parts.length === 0 ? [`{"items":[${end}`] : [...parts, end];
}
const toTime = (row) => row.updated_at instanceof Date ? row.updated_at.getTime() : Date.parse(row.updated_at);

// EXTERNAL MODULE: ./src/store/protocol.ts
var protocol = __webpack_require__(1105);
// EXTERNAL MODULE: ./src/reuse/history.ts
var reuse_history = __webpack_require__(4252);
;// CONCATENATED MODULE: ./src/reuse/result-cache.ts
/**
 * A results cache without a store: one JSON file per judge fingerprint in a folder (the CLI's cache folder, or the
 * folder the GitHub Actions cache restores and saves). It keeps each item's two newest completed results, which is
 * all reuse and deltas need, in the store's own shapes, and answers lookups by the store's rule.
 */







const CACHE_FORMAT_VERSION = 1;
/** Results kept per item: the newest (reusable) and the one before it (for deltas). */
const KEEP_PER_ITEM = 2;
const cacheFileSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(CACHE_FORMAT_VERSION),
    judge_fingerprint: schemas/* string */.YjP(),
    /** identity → completed results, newest first. */
    items: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* array */.YOg(protocol/* storedResultSchema */.k1))
});
/** A judge fingerprint as 32 hex characters, for file names and cache keys (it holds characters they dislike). */
function fingerprintDigest(judgeFingerprint) {
    return (0,external_node_crypto_.createHash)('sha256').update(judgeFingerprint).digest('hex').slice(0, 32);
}
/** The cache file's name for a judge. */
function cacheFileName(judgeFingerprint) {
    return `results-${fingerprintDigest(judgeFingerprint)}.json`;
}
function folderResultCache(options) {
    const path = (0,external_node_path_.join)(options.dir, cacheFileName(options.judgeFingerprint));
    const now = options.now ?? (() => new Date());
    let loaded;
    const load = async () => {
        if (loaded)
            return loaded;
        const empty = { version: CACHE_FORMAT_VERSION, judge_fingerprint: options.judgeFingerprint, items: {} };
        let text;
        try {
            text = await (0,promises_.readFile)(path, 'utf8');
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
            const answer = { items: selectLookup(request, rows, at, row => kept.get(row.job_id)), now: at.toISOString() };
            return (0,reuse_history/* historyFromAnswer */.L)(answer);
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
            await (0,promises_.mkdir)(options.dir, { recursive: true });
            // Written whole and renamed: a run that dies mid-write leaves the previous cache, never half a file.
            const tmp = `${path}.${process.pid}.tmp`;
            await (0,promises_.writeFile)(tmp, JSON.stringify(file));
            await (0,promises_.rename)(tmp, path);
        }
    };
}


/***/ })

};

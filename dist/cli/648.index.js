export const id = 648;
export const ids = [648];
export const modules = {

/***/ 7648:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   upsertStickyComment: () => (/* binding */ upsertStickyComment)
/* harmony export */ });
/* harmony import */ var _http_status_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(59110);

/**
 * Creates or updates the comment whose body starts with `marker`. A comment that merely quotes the marker starts
 * with `>` and is left alone. Candidates are tried oldest first (ours is the first one posted); one this token may
 * not edit (another bot or a person copied the marker) is passed over, and when none can be edited a new comment
 * is created, so a copied marker never leaves the PR without an up-to-date verdict.
 */
async function upsertStickyComment(octokit, pr, marker, body) {
    const where = { owner: pr.owner, repo: pr.repo };
    try {
        for await (const existing of markedComments(octokit, pr, marker)) {
            if (existing.body === body)
                return { action: 'unchanged', commentId: existing.id };
            try {
                await octokit.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
                return { action: 'updated', commentId: existing.id };
            }
            catch (error) {
                // Not ours to edit (or deleted meanwhile): try the next one. If the token cannot write at all, creating fails below.
                if (!(0,_http_status_js__WEBPACK_IMPORTED_MODULE_0__/* .isPermissionError */ .g)(error))
                    throw error;
            }
        }
        const created = await octokit.rest.issues.createComment({ ...where, issue_number: pr.number, body });
        return { action: 'created', commentId: created.data.id };
    }
    catch (error) {
        if ((0,_http_status_js__WEBPACK_IMPORTED_MODULE_0__/* .isPermissionError */ .g)(error)) {
            const status = error.status;
            return { action: 'forbidden', status, message: error instanceof Error ? error.message : String(error) };
        }
        throw error;
    }
}
/** The PR's comments that start with `marker`, oldest first, paging 100 at a time only as far as needed. */
async function* markedComments(octokit, pr, marker) {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        owner: pr.owner,
        repo: pr.repo,
        issue_number: pr.number,
        per_page: 100
    });
    for await (const page of pages) {
        for (const c of page.data)
            if (c.body?.trimStart().startsWith(marker))
                yield { id: c.id, body: c.body ?? '' };
    }
}


/***/ })

};

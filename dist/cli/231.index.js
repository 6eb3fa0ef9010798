export const id = 231;
export const ids = [231];
export const modules = {

/***/ 4231:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   COMMENT_LIMIT_CHARS: () => (/* binding */ COMMENT_LIMIT_CHARS),
/* harmony export */   commentMarker: () => (/* binding */ commentMarker),
/* harmony export */   judgeKeyOf: () => (/* binding */ judgeKeyOf),
/* harmony export */   renderComment: () => (/* binding */ renderComment)
/* harmony export */ });
/* harmony import */ var _config_settings_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4661);
/* harmony import */ var _model_index_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6768);
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4031);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4285);
/* harmony import */ var _gate_policy_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2601);
/* harmony import */ var _outcomes_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1921);
/**
 * The pull-request comment: the verdict and the URLs that need attention, under a hidden marker per judge so the
 * same comment is found and updated on every run. GitHub caps a comment body at 65,536 characters.
 */






const COMMENT_LIMIT_CHARS = 65_536;
const COMMENT_MARGIN_CHARS = 2_048;
/**
 * The hidden marker that finds this gate's comment again. The key is the judge file (or judge id) so several
 * gates in one workflow keep separate comments; characters that could end the HTML comment are replaced.
 */
function commentMarker(judgeKey) {
    return `<!-- pique-gate:${judgeKey.replace(/[^\w./:@+-]/g, '_').replace(/-{2,}/g, m => '_'.repeat(m.length))} -->`;
}
/** The key a run's comment is filed under: the judge file, else the judge id. */
function judgeKeyOf(report) {
    const file = report.inputs[_config_settings_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.Judge];
    const id = report.inputs[_config_settings_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.JudgeId];
    if (typeof file === 'string' && file)
        return file;
    if (typeof id === 'string' && id)
        return id;
    return report.judge?.id ?? 'default';
}
function renderComment(report, options) {
    // Same marker as a verdict of this gate: the error replaces a stale "passed" in place.
    if (report.error)
        return finish([commentMarker(options.judgeKey), (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(report), '', ...(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .errorLines */ .S6)(report, report.error)], [], 0, options, 'Ran on');
    if (report.verdict === 'skipped') {
        const lines = [commentMarker(options.judgeKey), (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(report), '', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .skippedExplanation */ .EG)(options.eventName), ''];
        return finish(lines, [], 0, options);
    }
    const lines = [commentMarker(options.judgeKey), (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(report), '', `**${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeMarkdown */ .FV)(report.reason)}**`, ''];
    const judge = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .judgeLine */ .sW)(report);
    lines.push(`${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .countsMarkdown */ .a_)(report)} · ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .thresholdMarkdown */ .Ju)(report)}${judge ? ` · **Judge:** ${judge}` : ''}`);
    if (report.skippedUnchanged)
        lines.push('', `${(0,_model_index_js__WEBPACK_IMPORTED_MODULE_4__/* .plural */ .L)(report.skippedUnchanged, 'unchanged URL')} skipped (only-changed).`);
    lines.push('');
    const attention = (0,_outcomes_js__WEBPACK_IMPORTED_MODULE_2__/* .sortWorstFirst */ .Qi)(report).filter(o => (0,_gate_policy_js__WEBPACK_IMPORTED_MODULE_5__/* .failsGate */ .F)(o, report) || (0,_gate_policy_js__WEBPACK_IMPORTED_MODULE_5__/* .isWarning */ .V)(o, report));
    if (!attention.length) {
        if (report.verdict === 'passed' && report.items.length) {
            lines.push(`Every URL scored at least ${(0,_outcomes_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScore */ .y)(report.threshold)}.`, '');
        }
        return finish(lines, [], 0, options);
    }
    lines.push(_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .URL_TABLE_HEADER */ .rQ);
    const rows = [];
    let size = lines.join('\n').length + 600;
    const max = (options.maxChars ?? COMMENT_LIMIT_CHARS) - COMMENT_MARGIN_CHARS;
    for (const o of attention) {
        const row = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .urlRow */ .o0)(o, report);
        if (size + row.length + 1 > max)
            break;
        rows.push(row);
        size += row.length + 1;
    }
    return finish(lines, rows, attention.length - rows.length, options);
}
function finish(lines, rows, omitted, options, commitVerb = 'Evaluated') {
    const out = [...lines, ...rows];
    if (rows.length)
        out.push('');
    const where = options.runUrl ? `the [job summary](${options.runUrl})` : 'the job summary';
    if (omitted)
        out.push(`…and ${(0,_model_index_js__WEBPACK_IMPORTED_MODULE_4__/* .plural */ .L)(omitted, 'more URL')} needing attention: see ${where} and the JSON report.`, '');
    const footer = [
        options.sha ? `${commitVerb} ${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeMarkdown */ .FV)(options.sha.slice(0, 7))}` : '',
        options.runUrl ? `[workflow run](${options.runUrl})` : ''
    ];
    out.push(`<sub>${[...footer.filter(Boolean), 'updated in place by pique-gate'].join(' · ')}</sub>`);
    return out.join('\n') + '\n';
}


/***/ })

};

export const id = 998;
export const ids = [998,231];
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
/* harmony import */ var _model_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6045);
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4031);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4285);
/* harmony import */ var _gate_policy_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2601);
/* harmony import */ var _outcomes_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1921);
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
/**
 * Verdict, reason, and the items needing attention with why first; the judge by name in the footer (its id is in
 * the job summary's details). Nothing the reason says is said again.
 */
function renderComment(report, options) {
    const marker = commentMarker(options.judgeKey);
    // Same marker as a verdict of this gate: the error replaces a stale "passed" in place.
    if (report.error)
        return finish([marker, (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .heading */ .R_)(report), '', ...(0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .errorLines */ .S6)(report, report.error, false)], [], 0, report, options);
    if (report.verdict === 'skipped')
        return finish([marker, (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .heading */ .R_)(report), '', (0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeMarkdown */ .FV)(report.reason), ''], [], 0, report, options);
    const lines = [marker, (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .heading */ .R_)(report), '', `**${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeMarkdown */ .FV)(report.reason)}**`, ''];
    if (report.skippedUnchanged)
        lines.push(`${(0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .unchangedSkipped */ ._H)(report)} (only-changed).`, '');
    const attention = (0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .sortWorstFirst */ .Qi)(report).filter(o => (0,_gate_policy_js__WEBPACK_IMPORTED_MODULE_5__/* .failsGate */ .F)(o, report) || (0,_gate_policy_js__WEBPACK_IMPORTED_MODULE_5__/* .isWarning */ .V)(o, report));
    if (!attention.length)
        return finish(lines, [], 0, report, options);
    lines.push((0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .itemTableHeader */ .j)(report));
    const rows = [];
    let size = lines.join('\n').length + 600;
    const max = (options.maxChars ?? COMMENT_LIMIT_CHARS) - COMMENT_MARGIN_CHARS;
    for (const o of attention) {
        const row = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .itemRow */ .oy)(o, report, options.sourceLinks);
        if (size + row.length + 1 > max)
            break;
        rows.push(row);
        size += row.length + 1;
    }
    return finish(lines, rows, attention.length - rows.length, report, options);
}
function finish(lines, rows, omitted, report, options) {
    const out = [...lines, ...rows];
    if (rows.length)
        out.push('');
    const where = options.runUrl ? `the [job summary](${options.runUrl})` : 'the job summary';
    if (omitted)
        out.push(`…and ${(0,_model_index_js__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .LS)(omitted, `more ${(0,_model_index_js__WEBPACK_IMPORTED_MODULE_1__/* .itemWord */ .ul)(report.items)}`)} needing attention: see ${where} and the JSON report.`, '');
    const judge = report.error ? undefined : (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .judgeLine */ .sW)(report, false);
    // What this run paid for, in the footer: the rows needing attention stay on the first screen.
    const footer = [
        report.error || !report.items.length ? '' : (0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeMarkdown */ .FV)((0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .billingLine */ .ub)(report)),
        judge ? `judge ${judge}` : '',
        options.sha ? `${report.error ? 'ran on' : 'evaluated'} ${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeMarkdown */ .FV)(options.sha.slice(0, 7))}` : '',
        options.runUrl ? `[workflow run](${options.runUrl})` : ''
    ];
    const text = [...footer.filter(Boolean), 'updated in place by pique-gate'].join(' · ');
    out.push(`<sub>${text[0].toUpperCase()}${text.slice(1)}</sub>`);
    return out.join('\n') + '\n';
}


/***/ }),

/***/ 2998:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderJunit: () => (/* binding */ renderJunit)
/* harmony export */ });
/* harmony import */ var _config_load_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3613);
/* harmony import */ var _model_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6045);
/* harmony import */ var _comment_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4231);
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4031);
/* harmony import */ var _outcomes_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1921);
/**
 * JUnit XML so test-report tools show the gate: one testcase per URL, grouped by URL list file.
 * below threshold → <failure>; unfinished at the deadline or never evaluated → <failure> (the gate fails it, like a
 * timed-out test);
 * failed evaluation → <error> (or <skipped> with fail-on-error false, since the gate then passes);
 * submitted without waiting, or a skipped run → <skipped>. A run that stopped before its verdict → one <error>.
 */





function kindOf(o, report) {
    if (report.verdict === 'skipped')
        return 'skipped';
    switch (o.state) {
        case 'passed':
            return 'passed';
        case 'below_threshold':
        case 'broke_rule':
        case 'pending':
        case 'not_evaluated':
            return 'failure';
        case 'failed':
            return report.failOnError ? 'error' : 'skipped';
        default:
            return 'skipped';
    }
}
const seconds = (ms) => ((ms ?? 0) / 1000).toFixed(3);
function testcase(o, report) {
    const kind = kindOf(o, report);
    const classname = (0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .isInlineSource */ .JG)(o.source) ? 'url-list' : o.source.file;
    const open = `    <testcase classname="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(classname)}" name="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)((0,_model_index_js__WEBPACK_IMPORTED_MODULE_1__/* .itemName */ .TJ)(o))}" time="${seconds((0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .durationMs */ .pc)(o.submittedAt, o.finishedAt))}"`;
    const explanation = report.verdict === 'skipped' ? report.reason : (0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .explainOutcome */ .Kw)(o, report);
    const out = [
        `job: ${o.jobId ?? 'none'}`,
        `source: ${(0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .formatSource */ .j2)(o.source)}`,
        ...(o.result?.detectorResults ?? []).map(d => `${d.detectorName}: ${d.passCheck === false ? 'fail' : d.passCheck ? 'pass' : '-'} ${d.score === undefined ? '-' : (0,_model_index_js__WEBPACK_IMPORTED_MODULE_1__/* .formatScore */ .y)(d.score, report)}${d.rationale ? ` ${d.rationale}` : ''}`)
    ].join('\n');
    const body = kind === 'passed'
        ? ''
        : kind === 'skipped'
            ? `      <skipped message="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(explanation)}"/>\n`
            : `      <${kind} message="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(explanation)}" type="${o.state}">${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(explanation)}</${kind}>\n`;
    return `${open}>\n${body}      <system-out>${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(out)}</system-out>\n    </testcase>`;
}
/** A run that stopped before its verdict: one testcase in error, named after the gate, with what to do. */
function errorTestcase(report, error) {
    const text = [error.message, error.hint ?? '', ...error.problems.map(_config_load_js__WEBPACK_IMPORTED_MODULE_0__/* .formatProblem */ .Vw)].filter(Boolean).join('\n');
    const name = (0,_comment_js__WEBPACK_IMPORTED_MODULE_2__.judgeKeyOf)(report);
    return (`    <testcase classname="pique-gate" name="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(name)}" time="${seconds((0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .durationMs */ .pc)(report.startedAt, report.finishedAt))}">\n` +
        `      <error message="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(error.message)}" type="${error.kind}">${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(text)}</error>\n    </testcase>`);
}
function renderJunit(report) {
    const kinds = report.error ? ['error'] : report.items.map(o => kindOf(o, report));
    const count = (k) => kinds.filter(x => x === k).length;
    const attrs = `tests="${kinds.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${seconds((0,_outcomes_js__WEBPACK_IMPORTED_MODULE_3__/* .durationMs */ .pc)(report.startedAt, report.finishedAt))}"`;
    const name = `pique-gate${report.judge ? `: ${report.judge.name}` : ''}`;
    const props = [
        ['verdict', report.verdict],
        ['reason', report.reason],
        ['threshold', String(report.threshold)],
        ['judge_id', report.judge?.id ?? ''],
        ['skipped_unchanged', String(report.skippedUnchanged)]
    ]
        .map(([k, v]) => `      <property name="${k}" value="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(v)}"/>`)
        .join('\n');
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="pique-gate" ${attrs}>`,
        `  <testsuite name="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(name)}" ${attrs} timestamp="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeXml */ .X)(report.startedAt)}">`,
        `    <properties>\n${props}\n    </properties>`,
        ...(report.error ? [errorTestcase(report, report.error)] : report.items.map(o => testcase(o, report))),
        '  </testsuite>',
        '</testsuites>',
        ''
    ].join('\n');
}


/***/ })

};

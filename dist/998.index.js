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


/***/ }),

/***/ 2998:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderJunit: () => (/* binding */ renderJunit)
/* harmony export */ });
/* harmony import */ var _config_load_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3613);
/* harmony import */ var _model_index_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5414);
/* harmony import */ var _comment_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4231);
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4031);
/* harmony import */ var _outcomes_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1921);
/**
 * JUnit XML so test-report tools show the gate: one testcase per URL, grouped by URL list file.
 * below threshold → <failure>; unfinished at the deadline → <failure> (the gate fails it, like a timed-out test);
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
        case 'pending':
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
    const classname = (0,_outcomes_js__WEBPACK_IMPORTED_MODULE_2__/* .isInlineSource */ .JG)(o.source) ? 'url-list' : o.source.file;
    const open = `    <testcase classname="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(classname)}" name="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)((0,_model_index_js__WEBPACK_IMPORTED_MODULE_4__/* .itemName */ .T)(o))}" time="${seconds((0,_outcomes_js__WEBPACK_IMPORTED_MODULE_2__/* .durationMs */ .pc)(o.submittedAt, o.finishedAt))}"`;
    const explanation = report.verdict === 'skipped' ? report.reason : (0,_outcomes_js__WEBPACK_IMPORTED_MODULE_2__/* .explainOutcome */ .Kw)(o, report);
    const out = [
        `job: ${o.jobId ?? 'none'}`,
        `source: ${(0,_outcomes_js__WEBPACK_IMPORTED_MODULE_2__/* .formatSource */ .j2)(o.source)}`,
        ...(o.result?.detectorResults ?? []).map(d => `${d.detectorName}: ${d.passCheck === false ? 'fail' : d.passCheck ? 'pass' : '-'} ${d.score ?? '-'}${d.rationale ? ` ${d.rationale}` : ''}`)
    ].join('\n');
    const body = kind === 'passed'
        ? ''
        : kind === 'skipped'
            ? `      <skipped message="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(explanation)}"/>\n`
            : `      <${kind} message="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(explanation)}" type="${o.state}">${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(explanation)}</${kind}>\n`;
    return `${open}>\n${body}      <system-out>${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(out)}</system-out>\n    </testcase>`;
}
/** A run that stopped before its verdict: one testcase in error, named after the gate, with what to do. */
function errorTestcase(report, error) {
    const text = [error.message, error.hint ?? '', ...error.problems.map(_config_load_js__WEBPACK_IMPORTED_MODULE_0__/* .formatProblem */ .Vw)].filter(Boolean).join('\n');
    const name = (0,_comment_js__WEBPACK_IMPORTED_MODULE_1__.judgeKeyOf)(report);
    return (`    <testcase classname="pique-gate" name="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(name)}" time="${seconds((0,_outcomes_js__WEBPACK_IMPORTED_MODULE_2__/* .durationMs */ .pc)(report.startedAt, report.finishedAt))}">\n` +
        `      <error message="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(error.message)}" type="${error.kind}">${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(text)}</error>\n    </testcase>`);
}
function renderJunit(report) {
    const kinds = report.error ? ['error'] : report.items.map(o => kindOf(o, report));
    const count = (k) => kinds.filter(x => x === k).length;
    const attrs = `tests="${kinds.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${seconds((0,_outcomes_js__WEBPACK_IMPORTED_MODULE_2__/* .durationMs */ .pc)(report.startedAt, report.finishedAt))}"`;
    const name = `pique-gate${report.judge ? `: ${report.judge.name}` : ''}`;
    const props = [
        ['verdict', report.verdict],
        ['reason', report.reason],
        ['threshold', String(report.threshold)],
        ['judge_id', report.judge?.id ?? ''],
        ['skipped_unchanged', String(report.skippedUnchanged)]
    ]
        .map(([k, v]) => `      <property name="${k}" value="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(v)}"/>`)
        .join('\n');
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="pique-gate" ${attrs}>`,
        `  <testsuite name="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(name)}" ${attrs} timestamp="${(0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeXml */ .X)(report.startedAt)}">`,
        `    <properties>\n${props}\n    </properties>`,
        ...(report.error ? [errorTestcase(report, report.error)] : report.items.map(o => testcase(o, report))),
        '  </testsuite>',
        '</testsuites>',
        ''
    ].join('\n');
}


/***/ })

};

/**
 * Config loading: judge files and URL lists, validated against the schema module, every problem reported
 * at `file:line:column: field: message` in one pass.
 */
export { ConfigError, formatProblem } from './problems.js'
export { type JudgeFileOptions, allowedContentTypes, loadJudgeFile } from './judge-file.js'
export { INLINE_SOURCE, type UrlListOptions, loadUrlLists, urlListByteLimit } from './url-list.js'

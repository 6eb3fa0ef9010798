/**
 * How the emulator answers a request that fails validation. `plain` is what the seed pages show (400 with a
 * string `detail`); `fastapi` is FastAPI's own shape (422 with a list of `{loc, msg, type}`), which the contract
 * says clients must also read. Both are built from the same zod issues, so they name the same problems.
 */
import type { z } from 'zod'
import { issuesLine, pathKey } from '../pique/schema.js'
import { type Reply, detail } from './http.js'

export const VALIDATION_ERROR_STYLES = ['plain', 'fastapi'] as const
export type ValidationErrorStyle = (typeof VALIDATION_ERROR_STYLES)[number]

/** Where the rejected input came from: FastAPI's first `loc` element. */
export type InputSource = 'body' | 'query'

export interface FastApiValidationItem {
  loc: (string | number)[]
  msg: string
  type: string
}

/** A pydantic-style error type per zod issue code (FastAPI clients show `msg`; `type` is for machines). */
const TYPES: Record<string, string> = {
  too_small: 'too_short',
  too_big: 'too_long',
  invalid_value: 'enum',
  invalid_format: 'url_parsing',
  unrecognized_keys: 'extra_forbidden',
  invalid_union: 'union_tag_invalid',
  not_multiple_of: 'multiple_of',
  custom: 'value_error'
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let v = input
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined
  return v
}

function errorType(issue: z.core.$ZodIssue, input: unknown, path: (string | number)[]): string {
  if (issue.code === 'invalid_type') return valueAt(input, path) === undefined ? 'missing' : `${issue.expected}_type`
  if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'number') {
    return issue.code === 'too_small' ? 'greater_than_equal' : 'less_than_equal'
  }
  return TYPES[issue.code] ?? issue.code
}

/** FastAPI's `detail` list for the issues of `input`: loc like ["body", "video_urls", 0]. */
export function fastApiDetail(
  issues: readonly z.core.$ZodIssue[],
  source: InputSource,
  input: unknown
): FastApiValidationItem[] {
  return issues.map(issue => {
    const path = issue.path.map(pathKey)
    return { loc: [source, ...path], msg: issue.message, type: errorType(issue, input, path) }
  })
}

const MALFORMED_JSON = 'Request body is not valid JSON'

/** A body that is not JSON at all: FastAPI reports it as a validation failure too (`json_invalid`). */
export function malformedJson(style: ValidationErrorStyle): Reply {
  if (style === 'fastapi')
    return { status: 422, body: { detail: [{ loc: ['body'], msg: MALFORMED_JSON, type: 'json_invalid' }] } }
  return detail(400, MALFORMED_JSON)
}

/** The reply to a request whose `source` failed validation, in the configured style. */
export function validationReply(
  style: ValidationErrorStyle,
  issues: readonly z.core.$ZodIssue[],
  source: InputSource,
  input: unknown
): Reply {
  if (style === 'fastapi') return { status: 422, body: { detail: fastApiDetail(issues, source, input) } }
  return detail(400, issuesLine(issues))
}

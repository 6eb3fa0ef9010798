/**
 * Scenario rules: map submitted URLs to exact outcomes (fixed score, failing detectors, failed job, delay,
 * never finishing), so tests and demos state what they expect. The first matching rule wins.
 */
import { z } from 'zod'
import { LIMITS } from '../pique/limits.js'
import { loadValidatedFile } from './file.js'
import type { ScenarioRule } from './options.js'

export const scenarioRuleSchema = z.strictObject({
  match: z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      const problem = patternProblem(value)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
  score: z.number().min(LIMITS.score.min).max(LIMITS.score.max).optional(),
  failDetectors: z.array(z.string().min(1)).optional(),
  fail: z.string().min(1).optional(),
  failAtSubmit: z.string().min(1).optional(),
  delayMs: z.number().int().min(0).optional(),
  never: z.boolean().optional(),
  reject: z.string().min(1).optional()
})
export const scenarioSchema = z.array(scenarioRuleSchema)

function isRegexPattern(pattern: string): boolean {
  return pattern.length > 2 && pattern.startsWith('/') && pattern.lastIndexOf('/') > 0
}

function patternProblem(pattern: string): string | undefined {
  if (!isRegexPattern(pattern)) return undefined
  try {
    compilePattern(pattern)
    return undefined
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`
  }
}

/** `/regex/flags` as a RegExp; anything else is a glob over the whole URL where `*` is any run of characters. */
export function compilePattern(pattern: string): RegExp {
  if (isRegexPattern(pattern)) {
    const end = pattern.lastIndexOf('/')
    return new RegExp(pattern.slice(1, end), pattern.slice(end + 1))
  }
  const body = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}$`)
}

/** Rules compiled once; `find` returns the first rule matching a URL. */
export class Scenario {
  private readonly compiled: { rule: ScenarioRule; re: RegExp }[]
  constructor(rules: readonly ScenarioRule[]) {
    this.compiled = rules.map(rule => ({ rule, re: compilePattern(rule.match) }))
  }
  find(url: string): ScenarioRule | undefined {
    return this.compiled.find(c => c.re.test(url))?.rule
  }
}

/** Reads a YAML or JSON list of rules; throws ConfigError naming file, line and field of each problem. */
export function loadScenarioFile(file: string, cwd = process.cwd()): Promise<ScenarioRule[]> {
  return loadValidatedFile(file, scenarioSchema, cwd)
}

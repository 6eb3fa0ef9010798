/**
 * One number format for scores in every report: two decimals, more only when a score would otherwise print like the
 * threshold it differs from. Every comparison any reporter prints ("0.699 < 0.700") reads true.
 */
import { describe, expect, it } from '@jest/globals'
import { XMLParser } from 'fast-xml-parser'
import { digitsToTell, formatScore } from '../../src/model/index.js'
import type { RunReport } from '../../src/model/index.js'
import { explainOutcome } from '../../src/report/outcomes.js'
import { renderJunit } from '../../src/report/junit.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { commentOf, completed, good, reportOf, summaryOf } from './fixtures.js'

/** Scores just under and at the threshold, as Pique may return them. */
function closeCall(threshold: number, scores: number[]): RunReport {
  return reportOf(
    scores.map((score, i) => completed(`https://v.example/${i}`, 'content/urls.txt', i + 1, score, threshold, good())),
    { threshold }
  )
}

/** Every "a < b" / "a ≥ b" comparison in a text (HTML-escaped `<` included), as printed. */
function comparisons(text: string): { a: string; op: string; b: string }[] {
  const plain = text.replace(/&#60;/g, '<')
  return [...plain.matchAll(/(\d+\.\d+) (<|≥) (\d+\.\d+)/g)].map(m => ({ a: m[1], op: m[2], b: m[3] }))
}

/** Each comparison reads true as printed, and `<` never joins two numbers that print alike. */
function expectHonest(text: string): void {
  const found = comparisons(text)
  for (const { a, op, b } of found) {
    if (op === '<') expect(Number(a)).toBeLessThan(Number(b))
    else expect(Number(a)).toBeGreaterThanOrEqual(Number(b))
  }
}

describe('formatScore', () => {
  it('uses two decimals when they tell every score from the threshold', () => {
    const scale = { threshold: 0.7, items: [{ score: 0.41 }, { score: 0.92 }, { score: 0.7 }] }
    expect([0.41, 0.92, 0.7, 1].map(s => formatScore(s, scale))).toEqual(['0.41', '0.92', '0.70', '1.00'])
    expect(formatScore(undefined, scale)).toBe('—')
  })

  it('adds the digits a close score needs, for every number of the run alike', () => {
    const scale = { threshold: 0.7, items: [{ score: 0.699 }, { score: 0.92 }] }
    expect([0.699, 0.7, 0.92].map(s => formatScore(s, scale))).toEqual(['0.699', '0.700', '0.920'])
    const perfect = { threshold: 1, items: [{ score: 0.999 }] }
    expect([0.999, 1].map(s => formatScore(s, perfect))).toEqual(['0.999', '1.000'])
    expect(formatScore(0.69999, { threshold: 0.7, items: [{ score: 0.69999 }] })).toBe('0.69999')
  })

  it('prints a threshold as given', () => {
    expect(formatScore(0.755, { threshold: 0.755, items: [] })).toBe('0.755')
  })

  it('digitsToTell: equal numbers need no extra digit; rounding never reorders', () => {
    expect(digitsToTell(0.7, 0.7)).toBe(2)
    expect(digitsToTell(0.699, 0.7)).toBe(3)
    // 0.695 is stored as 0.69499…: two decimals already print it below 0.70.
    expect(digitsToTell(0.695, 0.7)).toBe(2)
    expect(digitsToTell(0.1 + 0.2, 0.3)).toBe(17)
    for (const [a, b] of [
      [0.6949, 0.695],
      [0, 0.00001],
      [0.12345678, 0.12345679]
    ]) {
      const d = digitsToTell(a, b)
      expect(Number(a.toFixed(d))).toBeLessThan(Number(b.toFixed(d)))
    }
  })
})

describe('every reporter prints the same honest numbers', () => {
  const cases: [string, RunReport][] = [
    ['0.699 against 0.7', closeCall(0.7, [0.699, 0.92, 0.7])],
    ['0.999 against 1', closeCall(1, [0.999, 1])],
    ['ordinary scores', closeCall(0.7, [0.41, 0.88])]
  ]
  for (const [name, report] of cases) {
    it(`${name}: summary, comment, terminal, annotations and JUnit`, () => {
      const annotations = report.items.map(o => explainOutcome(o, report)).join('\n')
      const junit = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(renderJunit(report))
      const junitText = JSON.stringify(junit)
      const texts = [summaryOf(report), commentOf(report), renderTerminal(report), annotations, junitText]
      for (const text of texts) expectHonest(text)
      expect(comparisons(texts.join('\n')).length).toBeGreaterThan(report.items.length)
      expect(report.reason).not.toMatch(/0\.70 .*0\.70|1\.00 .*1\.00/)
    })
  }

  it('the close call reads the same everywhere', () => {
    const report = closeCall(0.7, [0.699, 0.92])
    expect(report.reason).toBe('1 of 2 URLs scored below 0.700')
    // The table shows the score in the run's digits; the details compare it with the threshold.
    expect(summaryOf(report)).toContain('| ❌ 0.699 |')
    expect(summaryOf(report)).toContain('<summary>❌ 0.699 &#60; 0.700 — ')
    expect(commentOf(report)).toContain('| ❌ 0.699 |')
    expect(commentOf(report)).not.toContain('0.70 ')
    expect(renderTerminal(report)).toMatch(/below threshold\s+0\.699\s/)
    expect(explainOutcome(report.items[0], report)).toMatch(/^score 0\.699 < 0\.700/)
    expect(renderJunit(report)).toContain('message="score 0.699 &#60; 0.700')
  })
})

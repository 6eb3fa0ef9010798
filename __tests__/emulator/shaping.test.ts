/**
 * Scenario scores that fix `overall_score`: detector results must stay self-consistent (pass_check, score and
 * rationale agree), rule-based detectors keep their check-based scores when the target allows it, and the
 * weighted mean is the target.
 */
import { describe, expect, it } from '@jest/globals'
import type { DetectorResult } from '../../src/pique/results.js'
import { PASS_SCORE, type ScoredDetector, scoreEvaluation } from '../../src/emulator/scoring.js'
import type { ScenarioRule } from '../../src/emulator/options.js'

const DETECTORS: ScoredDetector[] = [
  {
    id: 'd1',
    detector_name: 'video_specs',
    config: { min_width: 720, allowed_aspect_ratios: ['9:16'], min_fps: 24 },
    weight: 1
  },
  { id: 'd2', detector_name: 'audio_noise', config: {}, weight: 3 },
  { id: 'd3', detector_name: 'language', config: { accepted_languages: ['en'] }, weight: 1 },
  { id: 'd4', detector_name: 'transcript_product', config: { brand_name: 'Lumen' }, weight: 1 },
  { id: 'd5', detector_name: 'subtitles', config: { require_subtitles: true }, weight: 1 },
  { id: 'd6', detector_name: 'title_and_description', config: { required_hashtags: ['#lumen'] }, weight: 1 }
]
const W = DETECTORS.reduce((a, d) => a + d.weight, 0)
/** The demo's judge: video_specs, audio_noise and transcript_product, equal weights. */
const THREE: ScoredDetector[] = [DETECTORS[0], { ...DETECTORS[1], weight: 1 }, DETECTORS[3]]

/** Words only a passing (GOOD) or only a failing (BAD) result may use. */
const GOOD =
  /meet requirements|is clean|present and legible|is accepted|matches the desired|hashtags present|points covered|(?<!not )mentioned clearly|check passed/
const BAD =
  /do not meet|rejected|could not be matched|drifts|Missing required|not mentioned|missing or|Noticeable|violated|did not pass/

function score(rule: Omit<ScenarioRule, 'match'>, url = 'https://clips.example/v', detectors = DETECTORS, seed = 1) {
  return scoreEvaluation({ seed, judgeFingerprint: 'fp', detectors, url, rule: { match: '*', ...rule } })
}

const mean = (results: DetectorResult[], detectors = DETECTORS) =>
  results.reduce((a, r, i) => a + (r.score ?? 0) * detectors[i].weight, 0) / detectors.reduce((a, d) => a + d.weight, 0)

/** The score video_specs' own checks give: 1 when all pass, passed/total otherwise. */
function checkScore(r: DetectorResult): number {
  const m = r.metrics as { issues_count: number; total_checks: number }
  return m.total_checks ? Math.round(((m.total_checks - m.issues_count) / m.total_checks) * 1e4) / 1e4 : 1
}

function expectConsistent(r: DetectorResult, failed: readonly string[] = []): void {
  const said = `${r.detectorName} ${r.score} pass=${r.passCheck}: ${r.rationale}`
  if (r.passCheck) {
    expect([said, BAD.test(r.rationale ?? '')]).toEqual([said, false])
    expect(r.score).toBeGreaterThanOrEqual(PASS_SCORE)
    expect(r.timestamps).toBeUndefined()
  } else {
    expect([said, GOOD.test(r.rationale ?? '')]).toEqual([said, false])
  }
  if (failed.includes(r.detectorName)) {
    expect([said, r.passCheck]).toEqual([said, false])
    // Above the pass line only when the target leaves no other way, and then the text says why.
    if ((r.score ?? 0) >= PASS_SCORE)
      expect(r.rationale).toMatch(/\(failed by the emulator scenario, scored [\d.]+ to reach its overall score\)$/)
  } else if (r.detectorName !== 'video_specs') {
    // Drawn detectors pass exactly when they score at the pass line, and a miss is flagged at a moment.
    expect([said, r.passCheck]).toEqual([said, (r.score ?? 0) >= PASS_SCORE])
    if (!r.passCheck) expect(r.timestamps).toEqual([expect.any(Number)])
  }
}

describe('a fixed-score scenario rule', () => {
  const targets = [0, 0.2, 0.35, 0.52, 0.6, 0.73, 0.84, 0.91, 1]
  const failSets = [[], ['video_specs'], ['audio_noise'], ['language', 'subtitles']]

  it("gives exactly the target, with every detector's pass_check agreeing with its text", () => {
    for (const target of targets) {
      for (const failDetectors of failSets) {
        for (const url of ['https://clips.example/a', 'https://clips.example/b', 'https://clips.example/c']) {
          const { overallScore, detectorResults } = score({ score: target, failDetectors }, url)
          expect(overallScore).toBe(target)
          expect(Math.abs(mean(detectorResults) - target)).toBeLessThan(1e-4)
          detectorResults.forEach(r => expectConsistent(r, failDetectors))
          for (const name of failDetectors)
            expect(detectorResults.find(r => r.detectorName === name)?.passCheck).toBe(false)
        }
      }
    }
  })

  it('keeps video_specs at its check-based score whenever the other detectors can reach the target', () => {
    // Weights 1 of 8: the others reach any target in [1/8, 7/8 + 1/8].
    expect(W).toBe(8)
    for (const target of [0.2, 0.52, 0.73, 0.91]) {
      const specs = score({ score: target }).detectorResults[0]
      expect(specs).toMatchObject({ detectorName: 'video_specs', passCheck: true, score: 1 })
      expect(specs.score).toBe(checkScore(specs))
      expect(specs.rationale).toMatch(/^Video specs meet requirements: \d+x\d+ \(9:16\)/)
      expect(specs.rationale).not.toMatch(/emulator scenario/)
    }
  })

  it('keeps a partly failing video_specs at passed/total, failing, with its failed check named', () => {
    const strict: ScoredDetector[] = [
      { ...DETECTORS[0], config: { min_width: 4000, min_fps: 1 } },
      ...DETECTORS.slice(1)
    ]
    const specs = score({ score: 0.73 }, 'https://clips.example/v', strict).detectorResults[0]
    expect(specs).toMatchObject({ passCheck: false, score: 0.5 })
    expect(specs.rationale).toMatch(/^Video specs do not meet requirements: width below minimum/)
  })

  it('moves video_specs only when the target needs it, and then says so', () => {
    // Every other detector at 0 still leaves 1/8 from a perfect video_specs: 0.05 needs it lower.
    const { detectorResults } = score({ score: 0.05 })
    const specs = detectorResults[0]
    expect(specs.score).toBeCloseTo(0.4, 4)
    expect(specs.passCheck).toBe(false)
    expect(specs.rationale).toMatch(/^Video specs rejected: .* \(scored 0\.4 by the emulator scenario\)$/)
    // A judge of video_specs alone: the target is its score, and the checks it passes stay in its metrics.
    const [only] = score({ score: 0.9 }, 'https://clips.example/v', [DETECTORS[0]]).detectorResults
    expect(only).toMatchObject({ passCheck: true, score: 0.9, metrics: { issues_count: 0 } })
    expect(only.rationale).toMatch(/^Video specs meet requirements: .* \(scored 0\.9 by the emulator scenario\)$/)
  })

  it('lifts a scenario-failed detector over the pass line only for a target nothing else reaches, still failing', () => {
    // audio_noise weighs 3 of 8: with it below 0.5 the mean is at most (3 * 0.4999 + 5) / 8 < 0.91.
    const noise = score({ score: 0.91, failDetectors: ['audio_noise'] }).detectorResults[1]
    expect(noise).toMatchObject({
      detectorName: 'audio_noise',
      passCheck: false,
      score: 0.76,
      timestamps: [expect.any(Number)]
    })
    expect(noise.rationale).toBe(
      'Noticeable background noise (failed by the emulator scenario, scored 0.76 to reach its overall score)'
    )
    // Reachable: it stays below the pass line.
    expect(score({ score: 0.52, failDetectors: ['audio_noise'] }).detectorResults[1].score).toBeLessThan(PASS_SCORE)
  })

  it('reads sensibly in the demo: the worst detector of a passing clip is a passing one with a passing text', () => {
    const { detectorResults } = score({ score: 0.73 }, 'https://www.instagram.com/reel/C1a2B3c4D5e/')
    const worst = [...detectorResults].sort((a, b) => (a.score ?? 0) - (b.score ?? 0))[0]
    expect(worst.detectorName).not.toBe('video_specs')
    expectConsistent(worst)
    expect(worst.passCheck).toBe(true)
  })

  it('fails only the listed detectors when lowering them reaches the target', () => {
    // Equal weights, video_specs failed by the scenario, a low target.
    const three = THREE
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const url of [
        'https://clips.example/a',
        'https://clips.example/b',
        'https://www.instagram.com/reel/C9z8Y7x6W5v/'
      ]) {
        const { overallScore, detectorResults } = score(
          { score: 0.4, failDetectors: ['video_specs'] },
          url,
          three,
          seed
        )
        expect(overallScore).toBe(0.4)
        expect(Math.abs(mean(detectorResults, three) - 0.4)).toBeLessThan(1e-4)
        expect(detectorResults.map(r => [r.detectorName, r.passCheck])).toEqual([
          ['video_specs', false],
          ['audio_noise', true],
          ['transcript_product', true]
        ])
        detectorResults.forEach(r => expectConsistent(r, ['video_specs']))
      }
    }
    // Out of reach that way (video_specs at 0 and the others at the pass line give 1/3): the others fail too, and say so.
    const low = score({ score: 0.2, failDetectors: ['video_specs'] }, 'https://clips.example/a', three).detectorResults
    expect(low.map(r => r.passCheck)).toEqual([false, false, false])
    low.forEach(r => expectConsistent(r, ['video_specs']))
  })

  it('keeps every unlisted detector passing whenever the listed ones can reach the target', () => {
    const cases: [ScoredDetector[], string[][]][] = [
      [DETECTORS, failSets.filter(f => f.length)],
      [THREE, [['video_specs'], ['audio_noise'], ['video_specs', 'transcript_product']]]
    ]
    let reached = 0
    for (const [detectors, sets] of cases) {
      const total = detectors.reduce((a, d) => a + d.weight, 0)
      for (const target of targets) {
        for (const failDetectors of sets) {
          for (const url of ['https://clips.example/a', 'https://clips.example/b', 'https://clips.example/c']) {
            const { detectorResults } = score({ score: target, failDetectors }, url, detectors)
            const listed = (i: number) => failDetectors.includes(detectors[i].detector_name)
            // The range the listed detectors (below the pass line) reach with every drawn unlisted one passing and
            // video_specs at its check-based score.
            const fixed = (floor: number) =>
              detectors.reduce(
                (a, d, i) => a + (listed(i) ? 0 : d.weight * (i === 0 ? checkScore(detectorResults[0]) : floor)),
                0
              )
            const wListed = detectors.reduce((a, d, i) => a + (listed(i) ? d.weight : 0), 0)
            if (fixed(PASS_SCORE) / total > target || target > (fixed(1) + wListed * 0.4999) / total) continue
            reached++
            const said = detectorResults.map(r => [r.detectorName, r.score, r.passCheck])
            expect([target, said]).toEqual([
              target,
              detectorResults.map((r, i) => [r.detectorName, r.score, !listed(i)])
            ])
            detectorResults.forEach(r => expectConsistent(r, failDetectors))
          }
        }
      }
    }
    expect(reached).toBeGreaterThan(30)
  })

  it('is deterministic', () => {
    const a = JSON.stringify(score({ score: 0.52, failDetectors: ['video_specs'] }))
    expect(JSON.stringify(score({ score: 0.52, failDetectors: ['video_specs'] }))).toBe(a)
  })
})

describe('without a fixed score', () => {
  it('draws results whose text agrees with pass_check, scenario-failed ones included', () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const failDetectors of [[], ['audio_noise', 'video_specs']]) {
        const { overallScore, detectorResults } = score(
          { failDetectors },
          `https://clips.example/${seed}`,
          DETECTORS,
          seed
        )
        detectorResults.forEach(r => expectConsistent(r, failDetectors))
        expect(overallScore).toBeCloseTo(mean(detectorResults), 4)
      }
    }
  })
})

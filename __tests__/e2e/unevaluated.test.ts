/**
 * Nothing unevaluated ever passes, through the bundled action: a submit endpoint that is down, a batch refused
 * because of one URL, transient evaluation failures (retry-failed), jobs that never finish in the gate's eyes, and
 * two runs of one new judge file started together.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { NO_FAULTS, type EmulatorOptions, type ScenarioRule } from '../../src/emulator/options.js'
import { type ActionRun, type Environment, reportOf, runAction, startEnvironment } from './harness.js'
import { SCENARIO, judgeYaml, urlList } from './fixtures.js'

let env: Environment | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

async function gate(
  scenario: ScenarioRule[],
  overrides: Partial<EmulatorOptions>,
  urls: string,
  inputs: Record<string, string> = {}
): Promise<ActionRun> {
  env = await startEnvironment(scenario, overrides)
  return runAction(
    env,
    { judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7', wait: 'api', ...inputs },
    { 'judge.yml': judgeYaml(), 'urls.txt': urls }
  )
}

const items = (run: ActionRun) => reportOf(run).urls
const counts = (run: ActionRun) => reportOf(run).counts

describe('nothing unevaluated passes', () => {
  it('fails the gate when the submit endpoint is down, even with fail-on-error false', async () => {
    const run = await gate(
      SCENARIO,
      { faults: { ...NO_FAULTS, endpoints: { socialMedia: { errorRate: 1, errorStatus: 502 } } } },
      urlList('pass/1', 'good/2', 'pass/3'),
      { 'fail-on-error': 'false' }
    )
    expect(run.code).toBe(1)
    expect(run.report?.verdict).toBe('failed')
    expect(run.report?.reason).toBe('3 URLs not evaluated (3 not accepted)')
    for (const item of items(run)) {
      expect(item.state).toBe('not_evaluated')
      expect(item.not_evaluated?.reason).toBe('not_accepted')
      expect(item.not_evaluated?.detail).toMatch(
        /^its batch was not accepted: submit social-media batch: Pique answered 502/
      )
    }
    expect(run.outputs).toMatchObject({ passed: 'false', evaluated: '0', 'failed-count': '3' })
    expect(run.stdout).toMatch(
      /Not evaluated \(these fail the gate under any setting\):%0A {2}https:\/\/clips.example\/pass\/1 \(urls.txt:2\): its batch was not accepted/
    )
    expect(run.summary).toContain('not evaluated')
  })

  it.each([['plain'], ['fastapi']] as const)(
    'evaluates the other 19 URLs of a batch refused for one URL, and reports the refused one with its reason (%s errors)',
    async style => {
      const scenario: ScenarioRule[] = [
        { match: 'https://clips.example/unsupported/*', reject: 'video platform is not supported' },
        ...SCENARIO
      ]
      const paths = Array.from({ length: 20 }, (_, i) =>
        i === 6 ? 'unsupported/7' : i === 13 ? 'low/14' : `pass/${i + 1}`
      )
      const run = await gate(scenario, { validationErrors: style }, urlList(...paths), { 'fail-on-error': 'false' })
      expect(run.code).toBe(1)
      const all = items(run)
      expect(all.filter(i => i.job_id).length).toBe(19)
      expect(all.filter(i => i.state === 'passed').length).toBe(18)
      // The URL that would have been left unevaluated with its batch scores below the threshold.
      expect(all[13]).toMatchObject({ url: 'https://clips.example/low/14', state: 'below_threshold' })
      expect(all[6]).toMatchObject({
        url: 'https://clips.example/unsupported/7',
        state: 'not_evaluated',
        not_evaluated: {
          reason: 'refused',
          detail: 'Pique refused https://clips.example/unsupported/7: video platform is not supported'
        }
      })
      expect(JSON.stringify(run.report)).not.toContain('video_urls[')
      expect(run.report?.reason).toBe('1 of 20 URLs scored below 0.70; 1 URL not evaluated (1 refused by Pique)')
    }
  )
})

describe('retry-failed', () => {
  const scenario: ScenarioRule[] = [
    { match: 'https://clips.example/private/*', fail: 'Failed to download video: this video is private' },
    ...SCENARIO
  ]
  const transient: Partial<EmulatorOptions> = {
    faults: {
      ...NO_FAULTS,
      transientJobFailures: [
        { match: 'https://clips.example/flaky/*', error: 'Failed to download video: bot detection', times: 1 }
      ]
    }
  }

  it('resubmits a transient failure, which then passes; a permanent one is not resubmitted', async () => {
    const run = await gate(scenario, transient, urlList('pass/1', 'flaky/2', 'private/3'), { 'fail-on-error': 'false' })
    expect(run.code).toBe(0)
    const [, flaky, permanent] = items(run)
    expect(flaky).toMatchObject({ state: 'passed', error: null })
    expect(flaky.attempts).toEqual([
      expect.objectContaining({ state: 'failed', error: 'Failed to download video: bot detection', decides: false }),
      expect.objectContaining({ state: 'passed', decides: true, job_id: flaky.job_id })
    ])
    expect(flaky.attempts[0].job_id).not.toBe(flaky.job_id)
    expect(permanent).toMatchObject({ state: 'failed', error: 'Failed to download video: this video is private' })
    expect(permanent.attempts).toHaveLength(1)
    // Three URLs, four jobs: the resubmission is billed too, and the report says so.
    expect(counts(run).billed_jobs).toBe(4)
    expect(run.stdout).toContain('Resubmitting 1 URL whose evaluation failed with a transient error')
    expect(run.stdout).toContain('4 jobs billed')
    expect(run.outputs['batch-ids'].split(',')).toHaveLength(2)
  })

  it('retry-failed 0 leaves the transient failure as it is', async () => {
    const run = await gate(scenario, transient, urlList('pass/1', 'flaky/2'), { 'retry-failed': '0' })
    expect(run.code).toBe(1)
    expect(items(run)[1]).toMatchObject({ state: 'failed', error: 'Failed to download video: bot detection' })
    expect(counts(run).billed_jobs).toBe(2)
  })
})

describe('unfinished jobs say why', () => {
  it('tells "still processing at the deadline" from "its result never reached the gate", with why the lookup stopped', async () => {
    const run = await gate(
      SCENARIO,
      {
        faults: {
          ...NO_FAULTS,
          endpoints: { getResult: { errorRate: 1, errorStatus: 503 } },
          webhooks: { ...NO_FAULTS.webhooks, dropRate: 1 }
        }
      },
      urlList('pass/1'),
      { 'timeout-minutes': '0.05', 'retry-failed': '0' }
    )
    expect(run.code).toBe(1)
    const [lost] = items(run)
    expect(lost.state).toBe('pending')
    expect(lost.not_evaluated?.reason).toBe('result_not_received')
    expect(lost.not_evaluated?.detail).toMatch(
      /^its result never reached the gate: (its lookup|the last of its \d+ lookups) (failed at [\d:]+: get result: Pique answered 503|was cut short by the deadline at [\d:]+ \(get result: .*the last one got HTTP 503\)).*; job job_\w+ may well have finished at Pique\.$/
    )
  })

  it('says a job was still processing when the last lookup saw it running', async () => {
    const run = await gate(SCENARIO, {}, urlList('pass/1', 'never/2'), { 'timeout-minutes': '0.03' })
    expect(run.code).toBe(1)
    const never = items(run)[1]
    expect(never.not_evaluated?.reason).toBe('still_processing')
    expect(never.not_evaluated?.detail).toMatch(
      /^still processing at Pique at the deadline \(job job_\w+, last looked up at [\d:]+\)$/
    )
  })
})

describe('two runs of the same new judge file started together', () => {
  it('evaluate with one judge', async () => {
    env = await startEnvironment(SCENARIO)
    const judge = judgeYaml()
    const one = () =>
      runAction(
        env as Environment,
        { judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7', wait: 'api' },
        { 'judge.yml': judge, 'urls.txt': urlList('pass/1') }
      )
    const [a, b] = await Promise.all([one(), one()])
    expect(a.code).toBe(0)
    expect(b.code).toBe(0)
    expect(a.outputs['judge-id']).toBe(b.outputs['judge-id'])
    const listed = await fetch(`${env.emulator.url}/v1/judges?limit=100`, {
      headers: { 'X-API-Key': 'pk_emulator_local_development_key' }
    }).then(r => r.json() as Promise<{ judges: unknown[] }>)
    // One judge, but for runs whose random pauses end within one list-and-create round trip (docs/config.md): then
    // both created one, and both used the older, as the outputs above show.
    if (listed.judges.length === 2) expect(`${a.stdout}${b.stdout}`).toContain('Another run created the same judge')
    else expect(listed.judges).toHaveLength(1)
    expect([a.outputs['judge-created'], b.outputs['judge-created']].sort()).toEqual(
      listed.judges.length === 1 ? ['false', 'true'] : expect.any(Array)
    )
  })
})

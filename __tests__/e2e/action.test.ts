/**
 * The bundled action (dist/index.js) run as GitHub runs it, against the emulator and store started here.
 * Verdicts, outputs (read back from the GITHUB_OUTPUT file) and exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { API_KEY, type Environment, runAction, startEnvironment } from './harness.js'
import { MATCHING_DETECTOR, SCENARIO, judgeYaml, urlList } from './fixtures.js'

let env: Environment
beforeAll(async () => {
  env = await startEnvironment(SCENARIO)
})
afterAll(async () => {
  await env?.close()
})

const gate = (
  files: Record<string, string>,
  inputs: Record<string, string> = {},
  extraEnv: Record<string, string> = {}
) => runAction(env, { judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7', wait: 'api', ...inputs }, files, extraEnv)

describe('the action (dist/index.js) against the emulator', () => {
  it('passes when every URL reaches the threshold, creating the judge, then reuses it', async () => {
    const judge = judgeYaml()
    const first = await gate({ 'judge.yml': judge, 'urls.txt': urlList('pass/1', 'pass/2', 'good/3') })
    expect(first.code).toBe(0)
    expect(first.outputs).toMatchObject({
      passed: 'true',
      'judge-created': 'true',
      evaluated: '3',
      'failed-count': '0',
      'min-score': '0.8',
      'report-path': 'pique-gate-report.json'
    })
    expect(first.outputs['judge-id']).not.toBe('')
    expect(first.outputs['batch-ids'].split(',')).toHaveLength(1)
    expect(JSON.parse(first.outputs.results)).toEqual([
      { url: 'https://clips.example/pass/1', state: 'passed', score: 0.9, job_id: expect.stringMatching(/^job_/) },
      { url: 'https://clips.example/pass/2', state: 'passed', score: 0.9, job_id: expect.stringMatching(/^job_/) },
      { url: 'https://clips.example/good/3', state: 'passed', score: 0.8, job_id: expect.stringMatching(/^job_/) }
    ])
    expect(first.report?.verdict).toBe('passed')
    expect(first.stdout).toContain('Created judge')

    const second = await gate({ 'judge.yml': judge, 'urls.txt': urlList('pass/4') })
    expect(second.code).toBe(0)
    expect(second.outputs).toMatchObject({
      'judge-created': 'false',
      'judge-id': first.outputs['judge-id'],
      passed: 'true'
    })
    expect(second.stdout).toContain('Reusing judge')
  })

  it('fails the step when one URL scores below the threshold', async () => {
    const run = await gate({ 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1', 'low/2', 'pass/3') })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ passed: 'false', evaluated: '3', 'failed-count': '1', 'min-score': '0.4' })
    expect(run.stdout).toContain('::error::1 of 3 URLs scored below 0.70')
    expect(run.report?.urls.map(u => u.state)).toEqual(['passed', 'below_threshold', 'passed'])
  })

  it('fails on a failed evaluation, or warns and passes with fail-on-error false', async () => {
    const files = { 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1', 'fail/2') }
    const strict = await gate(files)
    expect(strict.code).toBe(1)
    expect(strict.outputs).toMatchObject({ passed: 'false', evaluated: '2', 'failed-count': '1' })
    expect(strict.stdout).toContain('::error::1 evaluation failed')

    const lenient = await gate(files, { 'fail-on-error': 'false' })
    expect(lenient.code).toBe(0)
    expect(lenient.outputs).toMatchObject({ passed: 'true', evaluated: '2', 'failed-count': '0', 'min-score': '0.9' })
    expect(lenient.report?.urls[1]).toMatchObject({ state: 'failed' })
    expect(lenient.stdout).toMatch(
      /::warning [^\n]*file=urls.txt,line=3[^\n]*::[^\n]*clips.example\/fail\/2[^\n]*evaluation failed/i
    )
  })

  it('submits and reports the job ids without waiting in wait: none', async () => {
    const run = await gate({ 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1', 'never/2') }, { wait: 'none' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      verdict: 'submitted',
      passed: 'false',
      evaluated: '0',
      'failed-count': '0',
      'min-score': ''
    })
    expect(run.outputs['batch-ids']).toMatch(/^batch_/)
    expect(
      (JSON.parse(run.outputs.results) as { state: string; job_id: string }[]).map(r => [r.state, r.job_id.slice(0, 4)])
    ).toEqual([
      ['submitted', 'job_'],
      ['submitted', 'job_']
    ])
    expect(run.report?.verdict).toBe('submitted')
  })

  it('waits for a judge that starts pending until it is ready', async () => {
    const run = await gate({ 'judge.yml': judgeYaml(undefined, MATCHING_DETECTOR), 'urls.txt': urlList('pass/1') })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ passed: 'true', 'judge-created': 'true' })
    expect(run.stdout).toMatch(/Created judge .*status pending/)
    expect(run.stdout).toContain('waiting until it is ready')
  })

  it('fails clearly with a wrong key, and never prints it', async () => {
    const wrongKey = 'pk_wrong_key_0123456789'
    const run = await gate({ 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1') }, { 'api-key': wrongKey })
    expect(run.code).toBe(1)
    expect(run.outputs.passed).toBe('false')
    expect(run.stdout).toMatch(/::error::.*401/)
    expect(run.stdout.split('\n').filter(l => l.includes(wrongKey))).toEqual([`::add-mask::${wrongKey}`])
    expect(run.stderr).not.toContain(wrongKey)
    expect(run.stdout).not.toContain(API_KEY)
  })

  it('fails clearly with an unknown judge id', async () => {
    const run = await gate(
      { 'urls.txt': urlList('pass/1') },
      { judge: '', 'judge-id': '00000000-0000-4000-8000-000000000000' }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::error::Judge 00000000-0000-4000-8000-000000000000 not found: check the id')
  })

  it('validates and skips without a key (a pull request from a fork), or fails with on-missing-key fail', async () => {
    const files = { 'judge.yml': judgeYaml(), 'urls.txt': urlList('pass/1', 'pass/2') }
    const skipped = await gate(files, { 'api-key': '' }, { GITHUB_EVENT_NAME: 'pull_request' })
    expect(skipped.code).toBe(0)
    expect(skipped.outputs.passed).toBe('false')
    expect(skipped.outputs.verdict).toBe('skipped')
    expect(skipped.report?.verdict).toBe('skipped')
    expect(skipped.stdout).toContain('api-key is empty')
    const failing = await gate(files, { 'api-key': '', 'on-missing-key': 'fail' })
    expect(failing.code).toBe(1)
    expect(failing.stdout).toMatch(/::error::api-key is empty.*on-missing-key: fail/)
    expect(failing.outputs.verdict).toBe('error')
  })

  it('annotates a bad URL list at its file and line', async () => {
    const run = await gate({
      'judge.yml': judgeYaml(),
      'urls.txt': '# clips\nhttps://clips.example/pass/1\nftp://clips.example/x\n'
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error file=urls.txt,line=3,col=\d+.*::.*expected an http or https URL/)
  })
})

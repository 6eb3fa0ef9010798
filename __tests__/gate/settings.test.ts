import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { CLI_SURFACE } from '../../src/config/surface.js'
import {
  INPUT_DEFAULTS,
  Inputs,
  Outputs,
  SettingsError,
  actionInputs,
  mapInputs,
  readSettings
} from '../../src/config/settings.js'

const BASE = { judge: 'examples/judge.yml', urls: 'examples/urls.txt', threshold: '0.7' }

function withEnv(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.toUpperCase()}`] = value
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
})

const settingsError = (values: Record<string, string>): SettingsError => {
  try {
    readSettings(mapInputs(values))
  } catch (error) {
    if (error instanceof SettingsError) return error
    throw error
  }
  throw new Error('expected a SettingsError')
}

describe('readSettings from the action inputs (INPUT_* variables)', () => {
  it('reads dashed names and applies action.yml defaults for the rest', () => {
    withEnv({
      ...BASE,
      'api-key': 'pk_test',
      'timeout-minutes': '0.5',
      'url-list': 'https://a.example/1\nhttps://a.example/2',
      urls: 'a.txt\nlists/*.yaml'
    })
    const s = readSettings(actionInputs())
    expect(s.apiKey).toBe('pk_test')
    expect(s.apiUrl).toBe('https://api.getpique.ai')
    expect(s.urlPatterns).toEqual(['a.txt', 'lists/*.yaml'])
    expect(s.urlListInline).toBe('https://a.example/1\nhttps://a.example/2')
    expect(s.threshold).toBe(0.7)
    expect(s.timeoutMs).toBe(30_000)
    expect(s.pollIntervalMs).toBe(10_000)
    expect(s.maxConcurrency).toBe(4)
    expect(s.failOnError).toBe(true)
    expect(s.waitMode).toBe('api')
    expect(s.onMissingKey).toBe('skip')
    expect(s.reportPath).toBe('pique-gate-report.json')
    expect(s.echo['api-key']).toBe('***')
    expect(JSON.stringify(s.echo)).not.toContain('pk_test')
  })

  it('auto waits through the store when store-url is set, and needs its token', () => {
    withEnv({ ...BASE, 'store-url': 'https://store.example/', 'store-token': 'tok' })
    const s = readSettings(actionInputs())
    expect(s.waitMode).toBe('store')
    expect(s.store).toEqual({ url: 'https://store.example', token: 'tok' })
    expect(settingsError({ ...BASE, 'store-url': 'https://store.example' }).message).toBe(
      "store-token: required when store-url is set (the store's read token)"
    )
    expect(settingsError({ ...BASE, wait: 'store' }).message).toBe('store-url: required when wait is store')
  })

  it.each([
    [{ threshold: '' }, 'threshold: required'],
    [{ threshold: '1.5' }, 'threshold: expected a number from 0 to 1, got "1.5"'],
    [{ threshold: 'high' }, 'threshold: expected a number from 0 to 1, got "high"'],
    [{ 'fail-on-error': 'yes' }, 'fail-on-error: expected true or false, got "yes"'],
    [{ wait: 'sometimes' }, 'wait: expected one of auto, store, api, none, got "sometimes"'],
    [{ 'max-concurrency': '2.5' }, 'max-concurrency: expected a whole number from 1 to 32, got "2.5"'],
    [{ 'timeout-minutes': '0' }, 'timeout-minutes: expected a number greater than 0, got "0"'],
    [{ 'api-url': 'ftp://x' }, 'api-url: expected an http or https URL, got "ftp://x"'],
    [{ 'api-url': 'not a url' }, 'api-url: not a valid URL: "not a url"'],
    [{ 'on-missing-key': 'ignore' }, 'on-missing-key: expected one of skip, fail, got "ignore"'],
    [{ judge: '' }, 'judge: required: a judge file (judge) or an existing judge id (judge-id)'],
    [{ 'judge-id': 'j1' }, 'judge-id: set either judge or judge-id, not both'],
    [{ urls: '' }, 'urls: required: URL list files (urls), inline URLs (url-list) and/or media files (files)'],
    [{ 'retry-failed': '-1' }, 'retry-failed: expected a whole number from 0 to 5, got "-1"'],
    [{ 'retry-failed': 'twice' }, 'retry-failed: expected a whole number from 0 to 5, got "twice"'],
    [{ 'retry-ambiguous-submits': 'maybe' }, 'retry-ambiguous-submits: expected true or false, got "maybe"'],
    [
      { 'transient-errors': 'please wait\n/quota (exceeded/' },
      'transient-errors: line 2: /quota (exceeded/ is not a valid regular expression (Invalid regular expression: /quota (exceeded/i: Unterminated group)'
    ]
  ])('rejects %j naming the input', (override, message) => {
    const error = settingsError({ ...BASE, ...override })
    expect(error.message).toBe(message)
    expect(error.input).toBe(message.split(':')[0])
  })

  it('accepts production and sandbox as api-url names', () => {
    expect(readSettings(mapInputs({ ...BASE, 'api-url': 'sandbox' })).apiUrl).toBe('https://api-sandbox.getpique.ai')
    expect(readSettings(mapInputs({ ...BASE, 'api-url': 'http://127.0.0.1:8787/' })).apiUrl).toBe(
      'http://127.0.0.1:8787'
    )
  })

  it('names CLI flags as flags', () => {
    expect(() => readSettings(mapInputs({ ...BASE, threshold: '2' }), CLI_SURFACE)).toThrow(
      '--threshold: expected a number from 0 to 1, got "2"'
    )
  })

  it('keeps its defaults and names equal to action.yml', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as {
      inputs: Record<string, { default?: string; required?: boolean }>
      outputs: Record<string, unknown>
    }
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort())
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
    for (const [name, value] of Object.entries(INPUT_DEFAULTS))
      expect([name, action.inputs[name].default]).toEqual([name, value])
  })

  it('reads retry-failed (default 1), retry-ambiguous-submits (default false) and extra transient-error patterns', () => {
    const defaults = readSettings(mapInputs(BASE))
    expect(defaults.retryFailed).toBe(1)
    expect(defaults.retryAmbiguousSubmits).toBe(false)
    expect(defaults.transientErrors).toEqual([])
    const s = readSettings(
      mapInputs({
        ...BASE,
        'retry-failed': '0',
        'retry-ambiguous-submits': 'true',
        'transient-errors': 'Quota (hourly)\n/upstream .* busy/'
      })
    )
    expect(s.retryFailed).toBe(0)
    expect(s.retryAmbiguousSubmits).toBe(true)
    // Text is literal (the parentheses are not a group) and case-insensitive; /regex/ is a regex.
    expect(s.transientErrors.map(p => p.pattern.test('QUOTA (HOURLY) reached'))).toEqual([true, false])
    expect(s.transientErrors.map(p => p.pattern.test('upstream cache busy'))).toEqual([false, true])
  })
})

describe('reuse and history inputs', () => {
  const BASE_INPUTS = { judge: 'judge.yml', urls: 'urls.txt', threshold: '0.7' }
  const read = (extra: Record<string, string>) => readSettings(mapInputs({ ...BASE_INPUTS, ...extra }))

  it('reuse-max-age defaults to 7 days and takes durations; 0 turns reuse off', () => {
    expect(read({}).reuseMaxAgeSeconds).toBe(7 * 86_400)
    expect(read({ 'reuse-max-age': '12h' }).reuseMaxAgeSeconds).toBe(43_200)
    expect(read({ 'reuse-max-age': '30m' }).reuseMaxAgeSeconds).toBe(1800)
    expect(read({ 'reuse-max-age': '90s' }).reuseMaxAgeSeconds).toBe(90)
    expect(read({ 'reuse-max-age': '2' }).reuseMaxAgeSeconds).toBe(172_800)
    expect(read({ 'reuse-max-age': '0' }).reuseMaxAgeSeconds).toBe(0)
    expect(() => read({ 'reuse-max-age': 'a week' })).toThrow(
      'reuse-max-age: expected a duration such as 7d, 12h, 30m or 90s (0 turns it off), got "a week"'
    )
  })

  it('max-drop is off unless given, and a score difference from 0 to 1', () => {
    expect(read({}).maxDrop).toBeUndefined()
    expect(read({ 'max-drop': '0.05' }).maxDrop).toBe(0.05)
    expect(() => read({ 'max-drop': '-0.1' })).toThrow('max-drop: expected a number from 0 to 1, got "-0.1"')
  })

  it('the results cache is on by default, with an optional folder', () => {
    expect(read({})).toMatchObject({ cache: true, cacheDir: undefined })
    expect(read({ cache: 'false', 'cache-dir': '/tmp/c' })).toMatchObject({ cache: false, cacheDir: '/tmp/c' })
  })
})

import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, formatProblem } from '../../src/config/problems.js'
import { emulatorOptionsFrom } from '../../src/emulator/config.js'
import { DEFAULT_EMULATOR_API_KEY } from '../../src/emulator/options.js'
import { Scenario, compilePattern, loadScenarioFile } from '../../src/emulator/scenario.js'

const dir = mkdtempSync(join(tmpdir(), 'pique-emulator-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text)
  return join(dir, name)
}

describe('scenario rules', () => {
  it('match globs over the whole URL and /regex/ patterns; the first matching rule wins', () => {
    expect(compilePattern('https://www.tiktok.com/*').test('https://www.tiktok.com/@a/video/1')).toBe(true)
    expect(compilePattern('*tiktok.com*').test('https://www.youtube.com/?q=tiktok.com')).toBe(true)
    expect(compilePattern('https://a.example/v?x=1').test('https://a.example/vax=1')).toBe(false)
    expect(compilePattern('/youtu\\.?be/i').test('https://YOUTUBE.com/x')).toBe(true)
    const s = new Scenario([
      { match: '*/a*', score: 0.1 },
      { match: '*', score: 0.9 }
    ])
    expect(s.find('https://x.example/ab')?.score).toBe(0.1)
    expect(s.find('https://x.example/b')?.score).toBe(0.9)
  })

  it('load from YAML and JSON', async () => {
    const yaml = file(
      's.yaml',
      '- match: "*tiktok.com/@bot/*"\n  fail: "Failed to download video: bot detection"\n- match: "/slow/"\n  delayMs: 500\n  score: 0.8\n  failDetectors: [language]\n'
    )
    expect(await loadScenarioFile(yaml)).toEqual([
      { match: '*tiktok.com/@bot/*', fail: 'Failed to download video: bot detection' },
      { match: '/slow/', delayMs: 500, score: 0.8, failDetectors: ['language'] }
    ])
    const json = file('s.json', '[{"match": "*", "never": true}]')
    expect(await loadScenarioFile(json)).toEqual([{ match: '*', never: true }])
  })

  it('report bad rules as one line with file, line and field', async () => {
    const bad = file('bad.yaml', '- match: "*"\n  score: 0.5\n- match: "*/x"\n  score: 1.5\n')
    await expect(loadScenarioFile(bad)).rejects.toThrow(`${bad}:4:10: [1].score: must be at most 1`)
    const regex = file('regex.yaml', '- match: "/(unclosed/"\n')
    await expect(loadScenarioFile(regex)).rejects.toThrow(
      /regex\.yaml:1:10: \[0\]\.match: not a valid regular expression/
    )
    await expect(loadScenarioFile(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: file not found/)
  })

  it('report an unknown key at the key, with the closest known one, and every problem in reading order', async () => {
    const typo = file(
      'typo.yml',
      '- match: "*"\n  scroe: 0.5\n- match: "*/x"\n  failDetector: [video_specs]\n  score: 2\n  colour: red\n'
    )
    const error = (await loadScenarioFile(typo).then(
      () => undefined,
      (e: unknown) => e
    )) as ConfigError
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.problems.map(formatProblem)).toEqual([
      `${typo}:2:3: [0].scroe: unknown key (did you mean "score"?)`,
      `${typo}:4:3: [1].failDetector: unknown key (did you mean "failDetectors"?)`,
      `${typo}:5:10: [1].score: must be at most 1`,
      `${typo}:6:3: [1].colour: unknown key; expected one of match, score, failDetectors, fail, failAtSubmit, delayMs, never, reject`
    ])
    // The organizations file reads the same way.
    const orgs = file(
      'orgs.yml',
      '- id: org_a\n  apiKeys: [pk_a]\n  webhookSecret: s\n  webhookURL: http://127.0.0.1:9/hook\n'
    )
    await expect(emulatorOptionsFrom({ organizations: orgs }, {})).rejects.toThrow(
      `${orgs}:4:3: [0].webhookURL: unknown key (did you mean "webhookUrl"?)`
    )
  })
})

describe('emulator options from flags and environment', () => {
  it('defaults to the built-in key and reads PIQUE_EMULATOR_* variables, flags winning', async () => {
    const none = await emulatorOptionsFrom({}, {})
    expect(none.organizations?.[0].apiKeys).toEqual([DEFAULT_EMULATOR_API_KEY])
    const env = {
      PIQUE_EMULATOR_API_KEYS: 'pk_a, pk_b',
      PIQUE_EMULATOR_SEED: '4',
      PIQUE_EMULATOR_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      PIQUE_EMULATOR_WEBHOOK_SECRET: 's3cret'
    }
    const fromEnv = await emulatorOptionsFrom({ seed: '5' }, env)
    expect(fromEnv.organizations?.[0]).toMatchObject({
      apiKeys: ['pk_a', 'pk_b'],
      webhookUrl: 'http://127.0.0.1:9/hook',
      webhookSecret: 's3cret'
    })
    expect(fromEnv.seed).toBe(5)
  })

  it('parses timings, retries and faults', async () => {
    const o = await emulatorOptionsFrom(
      {
        processingMs: '50',
        webhookAttempts: '3',
        webhookBackoffMs: '10',
        faultErrorRate: 'socialMedia=0.2,*=0.05',
        faultErrorStatus: '503',
        faultLatencyMs: 'getResult=100',
        fault429: '0.1:4:2',
        webhookDelay: '0.5:200',
        webhookDropRate: '0.1',
        rateLimit: '100'
      },
      {}
    )
    expect(o.timings?.processingMs).toBe(50)
    expect(o.webhookRetry).toMatchObject({ maxAttempts: 3, baseDelayMs: 10 })
    expect(o.faults?.endpoints).toEqual({
      socialMedia: { errorRate: 0.2, errorStatus: 503 },
      '*': { errorRate: 0.05, errorStatus: 503 },
      getResult: { latencyMs: 100 }
    })
    expect(o.faults?.rateLimitBurst).toEqual({ rate: 0.1, length: 4, retryAfterSeconds: 2 })
    expect(o.faults?.webhooks).toMatchObject({ delayRate: 0.5, delayMs: 200, dropRate: 0.1 })
    expect(o.rateLimitPerMinute).toBe(100)
  })

  it('names the flag of a bad value', async () => {
    await expect(emulatorOptionsFrom({ port: 'eighty' }, {})).rejects.toThrow(
      '--port: expected a port number (0-65535), got "eighty"'
    )
    await expect(emulatorOptionsFrom({ faultErrorRate: 'sociaMedia=0.2' }, {})).rejects.toThrow(
      /--fault-error-rate: unknown endpoint "sociaMedia"/
    )
    await expect(emulatorOptionsFrom({ webhookDropRate: '2' }, {})).rejects.toThrow(
      /--webhook-drop-rate: expected a probability/
    )
  })

  it('reads the profile and its time scale from flags or the environment, naming a bad value', async () => {
    expect(await emulatorOptionsFrom({ profile: 'realistic', timeScale: '0.01' }, {})).toMatchObject({
      profile: 'realistic',
      timeScale: 0.01
    })
    const env = { PIQUE_EMULATOR_PROFILE: 'realistic', PIQUE_EMULATOR_TIME_SCALE: '0.5' }
    expect(await emulatorOptionsFrom({}, env)).toMatchObject({ profile: 'realistic', timeScale: 0.5 })
    await expect(emulatorOptionsFrom({ profile: 'realstic' }, {})).rejects.toThrow(
      '--profile: expected one of documented, realistic, got "realstic"'
    )
    await expect(emulatorOptionsFrom({ timeScale: '0' }, {})).rejects.toThrow(
      '--time-scale: expected a factor greater than 0 (0.01 = 100x faster), got "0"'
    )
  })

  it('loads organizations from a file', async () => {
    const orgs = file(
      'orgs.yaml',
      '- id: org_a\n  apiKeys: [pk_a]\n  webhookSecret: sa\n- id: org_b\n  apiKeys: [pk_b]\n  webhookSecret: sb\n  webhookUrl: http://127.0.0.1:9/b\n'
    )
    const o = await emulatorOptionsFrom({ organizations: orgs }, {})
    expect(o.organizations?.map(org => org.id)).toEqual(['org_a', 'org_b'])
    await expect(emulatorOptionsFrom({ organizations: orgs, apiKey: ['pk_x'] }, {})).rejects.toThrow(
      '--api-key cannot be combined with --organizations: set it in the organizations file'
    )
    const bad = file('orgs-bad.yaml', '- id: org_a\n  apiKeys: []\n  webhookSecret: sa\n')
    await expect(emulatorOptionsFrom({ organizations: bad }, {})).rejects.toThrow(
      /orgs-bad\.yaml:2:12: \[0\]\.apiKeys: must have at least 1 item/
    )
  })
})

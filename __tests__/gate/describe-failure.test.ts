/** describeFailure reads what an error says it is (its class and fields), never its message text. */
import { describe, expect, it } from '@jest/globals'
import { SettingsError } from '../../src/config/settings.js'
import { ACTION_SURFACE, CLI_SURFACE } from '../../src/config/surface.js'
import { describeFailure } from '../../src/gate/failure.js'
import { PiqueApiError } from '../../src/pique/errors.js'

const unauthorized = (setting?: 'key') =>
  new PiqueApiError('get judge: Pique answered 401 to GET /v1/judges', 401, 'GET', '/v1/judges', undefined, {
    setting
  })

describe('describeFailure', () => {
  it('adds no second key hint when the client already says to check the key', () => {
    expect(describeFailure(unauthorized('key'), ACTION_SURFACE)).toMatchObject({ kind: 'auth', hint: undefined })
  })

  it('words the hint for the surface when the message does not point at the key', () => {
    expect(describeFailure(unauthorized(), ACTION_SURFACE).hint).toBe(ACTION_SURFACE.hint('auth'))
    expect(describeFailure(unauthorized(), ACTION_SURFACE).hint).toContain('Check the api-key secret')
    expect(describeFailure(unauthorized(), CLI_SURFACE).hint).toContain('--api-key or PIQUE_API_KEY')
  })

  it("a bad input is a usage error with the surface's hint", () => {
    const failure = describeFailure(new SettingsError('threshold', '--threshold: expected a number'), CLI_SURFACE)
    expect(failure).toMatchObject({ kind: 'settings', usage: true, hint: CLI_SURFACE.hint('settings') })
    expect(failure.hint).toEqual(expect.any(String))
  })
})

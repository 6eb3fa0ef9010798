// Identifiers in the shapes the service issues (ID_FORMATS); random, since readers treat them as opaque.
import { randomInt, randomUUID } from 'node:crypto'
import { ID_FORMATS } from '../pique/limits.js'

function suffix(): string {
  let out = ''
  for (let i = 0; i < ID_FORMATS.suffixLength; i++)
    out += ID_FORMATS.suffixAlphabet[randomInt(ID_FORMATS.suffixAlphabet.length)]
  return out
}

export const newJobId = (): string => ID_FORMATS.jobPrefix + suffix()
export const newBatchId = (): string => ID_FORMATS.batchPrefix + suffix()
export const newWebhookId = (): string => ID_FORMATS.webhookPrefix + suffix()
export const newUuid = (): string => randomUUID()

/** ISO 8601 with microseconds and `Z`, like the service's timestamps. */
export function isoTimestamp(ms = Date.now()): string {
  const micros = String(Math.floor((performance.now() % 1) * 1000)).padStart(3, '0')
  return new Date(ms).toISOString().replace('Z', `${micros}Z`)
}

/**
 * `pique-gate verify-delivery`: judge one captured delivery (headers file + raw body file) exactly as the store would,
 * and say why: which header and format arrived, each one's check, the timestamp skew, which secret matched (by
 * index, never the secret), and whether the body is one the store files (recognised or not). Exit 0 when the store
 * would answer 200, 1 when it would refuse the delivery, 2 on a usage problem.
 */
import { readFileSync, statSync } from 'node:fs'
import { type Command, Option } from 'commander'
import { type SignatureCheck, type SignatureFormat, verifyDelivery } from '../pique/signature.js'
import { parseCapturedHeaders } from '../store/capture.js'
import { type DeliveryCheck, type DeliveryRules, checkDelivery, fileBody } from '../store/delivery.js'
import { EXIT } from './program.js'
import { addDeliveryRuleOptions, deliveryRulesFrom, secretList } from './store.js'

const SECRETS_ENV = 'PIQUE_STORE_WEBHOOK_SECRETS'

interface VerifyFlags {
  headers: string
  body: string
  secretsFile?: string
  at?: string
  toleranceSeconds: string | number
  bodyLimitBytes: string | number
  acceptBodyOnlySignatures: boolean
}

const FORMAT_WORDS: Record<SignatureFormat, string> = {
  t_v1: 't=…,v1=… (timestamped)',
  sha256: 'sha256=<hex> (body only)',
  hex: 'bare hex (body only)',
  unknown: 'unrecognised format'
}

export function registerVerifyDelivery(program: Command): void {
  const command = program
    .command('verify-delivery')
    .description(
      'Check one captured webhook delivery exactly as the store would.\n' +
        'Says which signature header and format arrived, whether and why it verifies\n' +
        '(timestamp skew, which secret matched), and whether the store keeps the body.\n' +
        `Secrets (never printed): ${SECRETS_ENV} (comma-separated),\n` +
        `${SECRETS_ENV}_FILE, or --secrets-file.\n` +
        'Exit 0: the store would answer 200; 1: it would refuse it; 2: a usage problem.'
    )
    .requiredOption('--headers <file>', 'the request headers: "Name: value" lines (as captured) or a JSON object')
    .requiredOption('--body <file>', 'the raw request body, byte for byte')
    .option('--secrets-file <file>', 'webhook secrets, one per line or comma-separated (instead of the environment)')
    .addOption(new Option('--at <unix-seconds>', 'judge the timestamp as of this moment instead of now'))
  addDeliveryRuleOptions(command)
  command.action((flags: VerifyFlags, cmd: Command) => {
    const lines = verify(flags, cmd)
    if (typeof lines === 'string') {
      console.error(`pique-gate verify-delivery: ${lines}`)
      process.exitCode = EXIT.usage
      return
    }
    for (const line of lines.out) console.log(line)
    process.exitCode = lines.accepted ? EXIT.ok : EXIT.gateFailed
  })
}

/** The report lines, or a usage problem's message. */
function verify(flags: VerifyFlags, command: Command): { out: string[]; accepted: boolean } | string {
  const rules = deliveryRulesFrom(flags, command)
  if (typeof rules === 'string') return rules
  if (flags.at !== undefined && !/^\d{1,12}$/.test(flags.at.trim()))
    return `--at: expected unix seconds, got "${flags.at.slice(0, 20)}"`
  const headerText = readText(flags.headers, '--headers')
  if (typeof headerText !== 'string') return headerText.error
  const captured = parseCapturedHeaders(headerText, flags.headers)
  if (!captured.ok) return captured.error
  const { headers } = captured
  const body = readBytes(flags.body, '--body')
  if (!Buffer.isBuffer(body)) return body.error
  const secrets = flags.secretsFile
    ? secretList({ [`${SECRETS_ENV}_FILE`]: flags.secretsFile }, SECRETS_ENV)
    : secretList(process.env, SECRETS_ENV)
  if (secrets.length === 0)
    return `no webhook secret: set ${SECRETS_ENV} (or ${SECRETS_ENV}_FILE), or pass --secrets-file`
  const all: DeliveryRules = {
    ...rules,
    webhookSecrets: secrets,
    nowSeconds: flags.at === undefined ? undefined : Number(flags.at)
  }
  const check = checkDelivery(headers, body, all)
  return { out: report(check, headers, body, all), accepted: check.status === 200 }
}

function report(check: DeliveryCheck, headers: Record<string, string[]>, body: Buffer, rules: DeliveryRules): string[] {
  const out = [verdictLine(check)]
  if (check.status === 413) return out
  const { checks } = check.verdict
  if (checks.length === 0) out.push('signature: no X-Pique-Signature or X-Webhook-Signature header in the headers file')
  // What a timestamped check would say with the timestamp ignored: tells a wrong secret from a late check.
  const timeless = (c: SignatureCheck, i: number) =>
    c.t === undefined ? undefined : verifyDelivery({ headers, rawBody: body, ...asOf(rules, c.t) }).checks[i]
  checks.forEach((c, i) =>
    out.push(`signature: ${c.header}, ${FORMAT_WORDS[c.format]}: ${checkLine(c, rules, timeless(c, i))}`)
  )
  if (!check.verdict.ok && check.verdict.failure === 'no_match') out.push(...trailingNewlineHint(headers, body, rules))
  out.push(bodyLine(headers, body))
  return out
}

function asOf(rules: DeliveryRules, t: number) {
  return {
    secrets: rules.webhookSecrets,
    toleranceSeconds: rules.toleranceSeconds,
    acceptBodyOnly: rules.acceptBodyOnlySignatures,
    nowSeconds: t
  }
}

function verdictLine(check: DeliveryCheck): string {
  if (check.status === 200)
    return check.state.status === undefined
      ? 'accepted: the store would answer 200 and keep it marked unrecognised (not final)'
      : `accepted: the store would answer 200 and file it as ${check.state.status}`
  return `rejected: the store would answer ${check.status}: ${check.reason}`
}

function checkLine(c: SignatureCheck, rules: DeliveryRules, timeless: SignatureCheck | undefined): string {
  const secret = (i: number) => `secret #${i + 1} of ${rules.webhookSecrets.length}`
  const skew =
    c.skewSeconds === undefined
      ? ''
      : `; signed ${Math.abs(c.skewSeconds)} s ${c.skewSeconds >= 0 ? 'before' : 'after'} ${rules.nowSeconds === undefined ? 'now' : '--at'} (tolerance ${rules.toleranceSeconds} s)`
  if (c.ok) return `verified with ${secret(c.secretIndex!)}${skew}`
  if (c.failure === 'stale' || c.failure === 'future') {
    const mac = timeless?.ok
      ? `the HMAC matches ${secret(timeless.secretIndex!)}, only the timestamp is out of tolerance`
      : 'the HMAC matches no secret either'
    return `${c.reason}${skew}; ${mac}`
  }
  if (c.failure === 'not_enabled') return `${c.reason}: allowed only with --accept-body-only-signatures (replayable)`
  if (c.failure === 'no_match') return `${c.reason}: no configured secret gives this HMAC over the body${skew}`
  return c.reason
}

/** A capture (or an editor) often adds a final newline: say when the signature would match without it. */
function trailingNewlineHint(headers: Record<string, string[]>, body: Buffer, rules: DeliveryRules): string[] {
  const trimmed = body.subarray(0, body.length - (body.at(-1) === 0x0a ? (body.at(-2) === 0x0d ? 2 : 1) : 0))
  if (trimmed.length === body.length) return []
  const again = verifyDelivery({ headers, rawBody: trimmed, ...asOf(rules, rules.nowSeconds ?? Date.now() / 1000) })
  return again.ok
    ? ['hint: it verifies without the final newline of the body file: save the body exactly as received']
    : []
}

function bodyLine(headers: Record<string, string[]>, body: Buffer): string {
  const size = `body: ${body.length} bytes`
  const filed = fileBody(headers, body)
  if (!filed.ok) return `${size}: ${filed.reason}`
  const { state } = filed
  const job = `job ${shown(state.jobId)}`
  return state.status === undefined
    ? `${size}, UTF-8 JSON, ${job}: ${shown(state.undocumented)}; kept as received, marked unrecognised (not final)`
    : `${size}, UTF-8 JSON, ${job}, status ${state.status} (documented)`
}

/** Text from the body, made safe for a terminal: anything but printable ASCII as \uXXXX, cut to 80 characters. */
function shown(text: string): string {
  const safe = text.replace(/[^\x20-\x7e]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return safe.length > 80 ? `${safe.slice(0, 79)}…` : safe
}

function readText(file: string, flag: string): string | { error: string } {
  const bytes = readBytes(file, flag)
  return Buffer.isBuffer(bytes) ? bytes.toString('utf8') : bytes
}

function readBytes(file: string, flag: string): Buffer | { error: string } {
  try {
    // Only a regular file: a FIFO or device would hang or never end.
    if (!statSync(file).isFile()) return { error: `${flag}: ${file} is not a regular file` }
    return readFileSync(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return { error: `${flag}: cannot read ${file}${code ? ` (${code})` : ''}` }
  }
}

/** The action metadata reaches users whole, and the README's tables are the ones generated from it. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'yaml'
import { DOCUMENTED_ACTIONS, generatedReadme, parseActionMetadata } from '../../scripts/docs-inputs.js'

const root = resolve('.')
const readme = readFileSync('README.md', 'utf8')

describe.each(DOCUMENTED_ACTIONS)('$file', ({ file }) => {
  const metadata = parseActionMetadata(readFileSync(file, 'utf8'), file)

  it('documents every input and output in the README table', () => {
    const names = [...Object.keys(metadata.inputs ?? {}), ...Object.keys(metadata.outputs ?? {})]
    expect(names.length).toBeGreaterThan(0)
    for (const name of names) expect(readme).toContain(`| \`${name}\` |`)
  })

  it('keeps each description whole through YAML parsing', () => {
    const raw = readFileSync(file, 'utf8')
    for (const section of ['inputs', 'outputs'] as const)
      for (const [name, entry] of Object.entries(metadata[section] ?? {})) {
        const description = entry.description ?? ''
        // The parsed text is the whole of the source line's value (quotes undone): no word was lost to the parser.
        expect({ name, description }).toEqual({ name, description: sourceDescription(raw, section, name) })
        expect(description).toMatch(/[.)]$/)
      }
  })
})

/**
 * The value written after `description:` under `  <name>:` in the top-level `section`, its quotes undone. The action
 * files write each description on one line, plain or quoted.
 */
function sourceDescription(raw: string, section: 'inputs' | 'outputs', name: string): string | undefined {
  const lines = raw.split('\n')
  const entry = lines.indexOf(`  ${name}:`, lines.indexOf(`${section}:`))
  if (entry < 0) return undefined
  const line = lines.slice(entry + 1).find(l => l.trimStart().startsWith('description:'))
  const text = line?.trimStart().slice('description:'.length).trim()
  if (text?.startsWith("'")) return text.slice(1, -1).replaceAll("''", "'")
  if (text?.startsWith('"')) return JSON.parse(text) as string
  return text
}

describe('README', () => {
  it('has the tables generated from the action files (run npm run docs:inputs when this fails)', () => {
    expect(readme).toBe(generatedReadme(root))
  })
})

describe('parseActionMetadata', () => {
  const yaml = (description: string) =>
    `name: x\ndescription: y\ninputs:\n  urls:\n    description: ${description}\nruns:\n  using: node24\n  main: a.js\n`

  it.each([
    ['a plain value cut at #', 'URL lists (.txt with # comments).', 'a comment cuts this value short: "# comments)."'],
    ['a comment after a quoted value', "'Lists.' # note", 'a comment cuts this value short'],
    ['an unpaired bracket', "'Lists (txt or yaml.'", 'inputs.urls.description: unpaired brackets or backticks'],
    ['an unpaired backtick', "'The `urls input.'", 'inputs.urls.description: unpaired brackets or backticks'],
    ['no description', "''", 'inputs.urls.description: missing']
  ])('refuses %s, naming the file and line', (_case, description, message) => {
    expect(() => parseActionMetadata(yaml(description), 'action.yml')).toThrow(`action.yml:5: `)
    expect(() => parseActionMetadata(yaml(description), 'action.yml')).toThrow(message)
  })

  it('accepts # inside a quoted or block value', () => {
    expect(parseActionMetadata(yaml("'Lists (.txt with # comments).'"), 'a.yml').inputs?.urls.description).toBe(
      'Lists (.txt with # comments).'
    )
    expect(
      parseActionMetadata(yaml('>-\n      Lists (.txt with\n      # comments).'), 'a.yml').inputs?.urls.description
    ).toBe('Lists (.txt with # comments).')
  })
})

describe('workflows', () => {
  const dir = '.github/workflows'
  it.each(readdirSync(dir).filter(f => /\.ya?ml$/.test(f)))('%s: every job sets timeout-minutes', file => {
    const workflow = parse(readFileSync(`${dir}/${file}`, 'utf8')) as { jobs: Record<string, Record<string, unknown>> }
    for (const [name, job] of Object.entries(workflow.jobs))
      expect({ job: name, timeout: typeof job['timeout-minutes'] }).toEqual({ job: name, timeout: 'number' })
  })

  it('the self-test starts the emulator with the emulator action', () => {
    const workflow = parse(readFileSync(`${dir}/self-test.yml`, 'utf8')) as {
      jobs: Record<string, { steps: { uses?: string }[] }>
    }
    for (const job of Object.values(workflow.jobs)) expect(job.steps.map(s => s.uses)).toContain('./emulator')
  })
})

/**
 * Generates the README's input and output tables from the action metadata, so the two cannot drift:
 * `npm run docs:inputs` rewrites the blocks between the markers; `__tests__/docs/action-docs.test.ts` fails when the
 * README is stale. Plain TypeScript with no imports from src/, so `node scripts/docs-inputs.ts` runs it directly.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Node, isMap, isPair, isScalar, parseDocument, visit } from 'yaml'

/** Each action file and the README block its tables go in. */
export const DOCUMENTED_ACTIONS = [
  { file: 'action.yml', block: 'action' },
  { file: 'emulator/action.yml', block: 'emulator-action' }
] as const

export interface ActionMetadata {
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>
  outputs?: Record<string, { description?: string }>
}

const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
const code = (text: string): string => '`' + text + '`'

/** The markdown tables (inputs, then outputs) for one action's metadata. */
export function renderActionTables(metadata: ActionMetadata): string {
  const lines: string[] = []
  const inputs = Object.entries(metadata.inputs ?? {})
  if (inputs.length) {
    lines.push('| input | required | default | description |', '| --- | --- | --- | --- |')
    for (const [name, input] of inputs) {
      const value = input.default === undefined || input.default === '' ? '' : code(String(input.default))
      lines.push(
        `| ${code(name)} | ${input.required ? 'yes' : 'no'} | ${cell(value)} | ${cell(input.description ?? '')} |`
      )
    }
  }
  const outputs = Object.entries(metadata.outputs ?? {})
  if (outputs.length) {
    if (lines.length) lines.push('')
    lines.push('| output | description |', '| --- | --- |')
    for (const [name, output] of outputs) lines.push(`| ${code(name)} | ${cell(output.description ?? '')} |`)
  }
  return lines.join('\n')
}

const markers = (block: string) => ({
  begin: `<!-- begin generated: ${block} (npm run docs:inputs) -->`,
  end: `<!-- end generated: ${block} -->`
})

/** The README with `block`'s generated section replaced by `content`; throws when the markers are missing. */
export function replaceBlock(readme: string, block: string, content: string): string {
  const { begin, end } = markers(block)
  const start = readme.indexOf(begin)
  const stop = readme.indexOf(end)
  if (start < 0 || stop < start) throw new Error(`README.md: the markers of the generated block "${block}" are missing`)
  return readme.slice(0, start) + `${begin}\n${content}\n` + readme.slice(stop)
}

/**
 * Parses action metadata, refusing what would reach users damaged: a YAML error, a comment inside the document (a
 * plain scalar ends at ` #`, so a description that mentions `# comments` loses its tail silently), an input or output
 * without a description, or a description whose brackets or backticks do not pair up. Each problem names the file,
 * line and field.
 */
export function parseActionMetadata(text: string, file: string): ActionMetadata {
  const doc = parseDocument(text, { keepSourceTokens: false })
  const problems: string[] = doc.errors.map(e => `${file}:${e.linePos?.[0].line ?? 1}: ${e.message.split('\n')[0]}`)
  const lineOf = (node: Node | null | undefined) => {
    const offset = node?.range?.[0] ?? 0
    return text.slice(0, offset).split('\n').length
  }
  visit(doc, {
    Node(_key, node) {
      if (node.comment) problems.push(`${file}:${lineOf(node)}: a comment cuts this value short: "#${node.comment}"`)
    },
    Pair(_key, pair, path) {
      const parent = path.at(-2)
      const section = isPair(parent) && isScalar(parent.key) ? parent.key.value : undefined
      if (!isScalar(pair.key) || (section !== 'inputs' && section !== 'outputs') || !isMap(pair.value)) return
      const field = `${section}.${pair.key.value}.description`
      const description = pair.value.get('description', true)
      const value = isScalar(description) ? String(description.value ?? '') : ''
      if (!value.trim()) problems.push(`${file}:${lineOf((description as Node) ?? pair.key)}: ${field}: missing`)
      else if (!balanced(value))
        problems.push(`${file}:${lineOf(description as Node)}: ${field}: unpaired brackets or backticks`)
    }
  })
  if (doc.commentBefore || doc.comment) problems.push(`${file}:1: comments are not kept by the generated docs`)
  if (problems.length) throw new Error(problems.join('\n'))
  return doc.toJS() as ActionMetadata
}

function balanced(text: string): boolean {
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' }
  const stack: string[] = []
  for (const char of text.replace(/`[^`]*`/g, '')) {
    if ('([{'.includes(char)) stack.push(char)
    else if (char in closing && stack.pop() !== closing[char]) return false
  }
  return stack.length === 0 && !text.replace(/`[^`]*`/g, '').includes('`')
}

/** The README as the generator would write it, from the action files under `root`. */
export function generatedReadme(root: string): string {
  let readme = readFileSync(`${root}/README.md`, 'utf8')
  for (const { file, block } of DOCUMENTED_ACTIONS) {
    const metadata = parseActionMetadata(readFileSync(`${root}/${file}`, 'utf8'), file)
    readme = replaceBlock(readme, block, renderActionTables(metadata))
  }
  return readme
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  try {
    const before = readFileSync(`${root}/README.md`, 'utf8')
    const after = generatedReadme(root)
    if (after !== before) writeFileSync(`${root}/README.md`, after)
    console.log(after === before ? 'README.md: action tables up to date' : 'README.md: action tables regenerated')
  } catch (error) {
    console.error((error as Error).message)
    process.exitCode = 1
  }
}

/**
 * Folders show the architecture, and data flows one way between them: no cycle among the top-level folders of
 * `src/` (config → gate → config, say), found from the import statements themselves.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

const SRC = resolve(import.meta.dirname, '../../src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** The top-level folder under src/ a file lives in; undefined for entry files at src/ itself. */
function folderOf(file: string): string | undefined {
  const parts = relative(SRC, file).split(sep)
  return parts.length > 1 ? parts[0] : undefined
}

/** Relative specifiers of static imports, re-exports and dynamic imports (type-only ones too: they still couple). */
function relativeImports(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)
  return [...found].map(m => m[1])
}

/** Edges between top-level folders, each with one import that makes it (for the failure message). */
export function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>()
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file)
    if (!from) continue
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const to = folderOf(resolve(dirname(file), spec))
      if (!to || to === from) continue
      const edges = graph.get(from) ?? new Map<string, string>()
      if (!edges.has(to)) edges.set(to, `${relative(SRC, file)} imports ${spec}`)
      graph.set(from, edges)
    }
  }
  return graph
}

/** Every cycle as a list of folders, found by depth-first search from each folder. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = []
  const seen = new Set<string>()
  const visit = (node: string, path: string[]): void => {
    const at = path.indexOf(node)
    if (at >= 0) {
      const cycle = path.slice(at)
      const key = [...cycle].sort().join(',')
      if (!seen.has(key)) found.push([...cycle, node])
      seen.add(key)
      return
    }
    for (const next of graph.get(node)?.keys() ?? []) visit(next, [...path, node])
  }
  for (const node of graph.keys()) visit(node, [])
  return found
}

describe('import graph between src/ folders', () => {
  it('has no cycle', () => {
    const graph = folderGraph()
    const described = cycles(graph).map(cycle =>
      cycle
        .slice(1)
        .map((to, i) => `${cycle[i]} → ${to} (${graph.get(cycle[i])?.get(to)})`)
        .join('; ')
    )
    expect(described).toEqual([])
  })

  it('sees the imports it checks', () => {
    // Guards the check itself: a regex that matched nothing would pass any tree.
    const graph = folderGraph()
    expect(graph.get('gate')?.has('pique')).toBe(true)
    expect(graph.get('report')?.has('model')).toBe(true)
  })
})

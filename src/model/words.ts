/** `1 URL`, `2 URLs`: every count the gate words goes through this. */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`

/** What to call a run's items in counts: `URL` when all are URLs (or none), `file` when all are files, else `item`. */
export function itemWord(items: readonly { kind: string }[]): string {
  if (items.every(i => i.kind === 'url')) return 'URL'
  return items.every(i => i.kind === 'file') ? 'file' : 'item'
}

/** What to call the items only-changed skipped, by their kinds; `URL` when the kinds are not known. */
export function skippedWord(kinds: readonly string[] | undefined): string {
  return itemWord((kinds ?? []).map(kind => ({ kind })))
}

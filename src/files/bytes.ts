/** Byte sizes as people write and read them: `200MB`, `1.5 GB`, `500 KiB`, plain byte counts. */

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4
}

/** Bytes for `200MB`, `1.5 GB`, `512MiB` or `1000`; undefined when the text is none of these. */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  if (!m) return undefined
  const unit = UNITS[(m[2] || 'b').toLowerCase()]
  if (unit === undefined) return undefined
  const bytes = Math.floor(Number(m[1]) * unit)
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined
}

const DISPLAY_UNITS = {
  // As storage consoles show file sizes.
  decimal: { base: 1000, names: ['bytes', 'KB', 'MB', 'GB', 'TB'] },
  // As the documented read limits are set (1 MiB judge files, 10 MiB URL lists).
  binary: { base: 1024, names: ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] }
} as const

/** "1.5 MB", "200 KB" (or "1 MiB" with `binary`): sizes in messages and reports. */
export function formatBytes(bytes: number, units: keyof typeof DISPLAY_UNITS = 'decimal'): string {
  const { base, names } = DISPLAY_UNITS[units]
  let n = bytes
  let unit = 0
  while (n >= base && unit < names.length - 1) {
    n /= base
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(n.toFixed(n < 10 ? 1 : 0))} ${names[unit]}`
}

/**
 * Checks every planned media file before anything is uploaded (inspect.ts: LFS pointer, size, content type from
 * extension and bytes, the judge's type) and hashes it for its identity. Problems come back as config problems at
 * the manifest line that named the file, or at the file itself, all in one pass.
 */
import { resolve } from 'node:path'
import type { ConfigProblem, FileItem, NamedFile } from '../model/index.js'
import { FileProblem, inspectFile, sha256File } from './inspect.js'

export interface CheckFilesOptions {
  cwd?: string
  maxBytes: number
  judgeContentType?: string
}

export async function checkFiles(
  files: readonly NamedFile[],
  options: CheckFilesOptions
): Promise<{ files: FileItem[]; problems: ConfigProblem[] }> {
  const cwd = options.cwd ?? process.cwd()
  const checked: FileItem[] = []
  const problems: ConfigProblem[] = []
  // One file at a time: hashing reads every byte, and the disk, not the CPU, sets the pace.
  for (const file of files) {
    const absolutePath = resolve(cwd, file.path)
    try {
      const inspected = await inspectFile(absolutePath, file.path, options)
      checked.push({
        ...file,
        kind: 'file',
        size: inspected.size,
        sha256: await sha256File(absolutePath),
        contentType: inspected.contentType,
        mime: inspected.mime
      })
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error
      problems.push(fileProblemAt(file, error.message))
    }
  }
  return { files: checked, problems }
}

/**
 * A problem about a file: at the manifest entry that named it (its line and the column of the path written there; a
 * glob's matches share it, so the field names the file), or at the file itself.
 */
function fileProblemAt(file: NamedFile, message: string): ConfigProblem {
  return file.source.line > 0
    ? { file: file.source.file, line: file.source.line, column: file.source.column ?? 1, field: file.path, message }
    : { file: file.path, line: 0, column: 0, field: '', message }
}

// `npm run package`: the three bundles (action, CLI, emulator action) are built into a scratch folder and replace
// dist/ only when every build succeeded, so an interrupted or failed build never leaves dist/ half deleted; building
// from scratch also means no stale chunk from an earlier build lingers.
import { execFileSync } from 'node:child_process'
import { renameSync, rmSync } from 'node:fs'

const scratch = '.dist-build'
const ncc = (entry, out, ...flags) =>
  execFileSync(
    process.execPath,
    ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', out, '-q', ...flags],
    {
      stdio: 'inherit'
    }
  )

rmSync(scratch, { recursive: true, force: true })
try {
  ncc('src/index.ts', scratch, '--license', 'licenses.txt')
  ncc('src/cli/index.ts', `${scratch}/cli`)
  ncc('src/emulator-action/index.ts', `${scratch}/emulator-action`)
} catch {
  rmSync(scratch, { recursive: true, force: true })
  process.exit(1)
}
rmSync('dist', { recursive: true, force: true })
renameSync(scratch, 'dist')

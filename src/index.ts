// The action's entry: everything lives in main.ts so tests can import it without running it.
import { run } from './main.js'

// run() reports its own failures; this only catches a failure to report (e.g. an unwritable GITHUB_OUTPUT).
await run().catch((error: unknown) => {
  process.exitCode = 1
  console.log(`::error::${error instanceof Error ? error.message : String(error)}`)
})

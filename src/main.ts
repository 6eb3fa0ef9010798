import * as core from '@actions/core'

/** The action: inputs → plan → submit → wait → verdict → report. */
export async function run(): Promise<void> {
  try {
    const apiKey = core.getInput('api-key')
    if (apiKey) core.setSecret(apiKey)
    if (!apiKey) throw new Error('api-key is empty: set it from a repository secret (with: api-key: ${{ secrets.PIQUE_API_KEY }})')
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}

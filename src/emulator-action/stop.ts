/**
 * The emulator action's post step (runs even when the job failed): stops the emulator the main step started and
 * prints its log in a collapsed group, so a failing job shows what the emulator saw.
 */
import { readFileSync } from 'node:fs'
import * as core from '@actions/core'
import { State } from './state.js'

/** How long the emulator gets to close after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5000

export async function stopFromState(): Promise<void> {
  const pid = Number(core.getState(State.Pid))
  const logFile = core.getState(State.LogFile)
  if (!Number.isInteger(pid) || pid <= 0) {
    core.info('No Pique emulator to stop (the main step did not start one)')
    return
  }
  const how = await stopProcess(pid)
  core.info(`Pique emulator (pid ${pid}) ${how}`)
  if (!logFile) return
  core.startGroup('Pique emulator log')
  try {
    core.info(readFileSync(logFile, 'utf8').trimEnd())
  } catch (error) {
    core.info(`(could not read ${logFile}: ${(error as Error).message})`)
  }
  core.endGroup()
}

/** SIGTERM, then SIGKILL after the grace period. Resolves to what happened, in words. */
export async function stopProcess(pid: number, graceMs = STOP_GRACE_MS): Promise<string> {
  if (!signal(pid, 'SIGTERM')) return 'had already stopped'
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'stopped'
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  signal(pid, 'SIGKILL')
  return `did not stop within ${graceMs / 1000} s and was killed`
}

function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name)
    return true
  } catch {
    return false
  }
}

// Signal 0 only checks that the process exists.
const alive = (pid: number): boolean => signal(pid, 0)

import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { foldInvocations, readRecords, sessionDir } from '../../src/trace/index.ts'
import type { Invocation } from '../../src/trace/index.ts'
import type { ClaudeRun } from '../harness/index.ts'
import { runCli } from './cli.ts'

/** The data folder of a run's Switchboard (loaded with --plugin-dir: switchboard-inline). */
export function runDataDir(run: ClaudeRun): string {
  return join(run.home, '.claude', 'plugins', 'data', 'switchboard-inline')
}

/** `switchboard trace` on a run's session, as the bundled CLI prints it. */
export function traceOutput(run: ClaudeRun, ...args: string[]): string {
  const result = runCli(['trace', '--session', String(run.init?.session_id), '--data-dir', runDataDir(run), ...args])
  if (result.code !== 0) throw new Error(`switchboard trace exited ${result.code}: ${result.stderr}`)
  return result.stdout
}

/** The invocations Switchboard traced in a run (switchboard loaded with --plugin-dir: data folder switchboard-inline). */
export function tracedInvocations(run: ClaudeRun): Invocation[] {
  const sessionId = String(run.init?.session_id)
  const dir = sessionDir(runDataDir(run), sessionId)
  return [...foldInvocations(readRecords(dir)).values()].sort((a, b) => a.start - b.start)
}

/** Which runtime traced a run's agent calls: the hooks module (its own log) or the settings hooks. */
export function runtimeOf(run: ClaudeRun): 'module' | 'settings' | 'none' {
  const dir = sessionDir(runDataDir(run), String(run.init?.session_id))
  const records = readRecords(dir)
  if (records.some((r) => r.e === 'link' && r.how === 'module')) return 'module'
  return records.some((r) => r.e === 'call' && r.kind === 'agent') ? 'settings' : 'none'
}

/**
 * The bundled hooks whose node process ran in a run, at least once: each one writes its code cache in
 * its plugin's data folder on its first run (scripts/code-cache.mjs). Only SessionStart's is a process
 * today; the companion's folder (switchboard-hooks-inline) is looked in too, where an earlier layout's
 * per-call hook processes wrote theirs, so a process there would show.
 */
export function hookProcessesRun(run: ClaudeRun): string[] {
  const folders = [runDataDir(run), join(run.home, '.claude', 'plugins', 'data', 'switchboard-hooks-inline')]
  const names = folders.flatMap((folder) => {
    const dir = join(folder, 'code-cache')
    return existsSync(dir) ? readdirSync(dir).map((f) => f.replace(/-[0-9a-f]{16}-.*$/, '')) : []
  })
  return [...new Set(names)].sort()
}

/**
 * The per-call settings hooks Claude Code ran in a run (its hook events, in the order they started):
 * none where the hooks module keeps the companion's hooks out, not even a `/bin/sh` to step aside.
 */
export function perCallHooksRun(run: ClaudeRun): string[] {
  return run.hookEvents.flatMap((e) =>
    e.subtype === 'hook_started' && e.hook_event !== 'SessionStart' ? [String(e.hook_event)] : [],
  )
}

/** The agents whose stop a run's SubagentStop hook recorded. */
export function stoppedAgents(run: ClaudeRun): string[] {
  const records = readRecords(sessionDir(runDataDir(run), String(run.init?.session_id)))
  return records.flatMap((r) => (r.e === 'stop' ? [r.agent] : []))
}

/** The runtime each pinned version must use: hooks modules load from 2.1.287 on. */
export const expectedRuntime = (version: string): 'module' | 'settings' =>
  version === '2.1.197' ? 'settings' : 'module'

/** Each invocation as `parent-target -> target status`, for readable assertions. */
export function edges(invocations: Invocation[]): string[] {
  const byId = new Map(invocations.map((i) => [i.id, i]))
  return invocations.map((i) => `${i.parent ? (byId.get(i.parent)?.target ?? '?') : 'main'} -> ${i.target} ${i.status}`)
}

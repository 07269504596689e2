import { join } from 'node:path'
import { foldInvocations, readRecords, sessionDir } from '../../src/trace/index.ts'
import type { Invocation } from '../../src/trace/index.ts'
import type { ClaudeRun } from '../harness/index.ts'

/** The invocations Switchboard traced in a run (switchboard loaded with --plugin-dir: data folder switchboard-inline). */
export function tracedInvocations(run: ClaudeRun): Invocation[] {
  const sessionId = String(run.init?.session_id)
  const dir = sessionDir(join(run.home, '.claude', 'plugins', 'data', 'switchboard-inline'), sessionId)
  return [...foldInvocations(readRecords(dir)).values()].sort((a, b) => a.start - b.start)
}

/** Each invocation as `parent-target -> target status`, for readable assertions. */
export function edges(invocations: Invocation[]): string[] {
  const byId = new Map(invocations.map((i) => [i.id, i]))
  return invocations.map((i) => `${i.parent ? byId.get(i.parent)?.target ?? '?' : 'main'} -> ${i.target} ${i.status}`)
}

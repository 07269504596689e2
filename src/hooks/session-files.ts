/**
 * What the hooks of one session share on disk, under Switchboard's data folder:
 *   sessions/<session id>/registry-path   which registry snapshot this session uses (trace/own-session.ts)
 *   sessions/<session id>/calls.jsonl     the call log (trace/call-log.ts)
 * and how a hook finds the invocation its calling agent runs in.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { dataDir } from '../registry/data-dir.ts'
import { appendRecord, foldInvocations, invocationOfAgent, readRecords, sessionDir } from '../trace/index.ts'
import type { CallRecord, Invocation } from '../trace/index.ts'
import type { HookEnv } from './run-hook.ts'
import { readTextNoWait, SMALL_FILE_BYTES } from '../registry/read-bounded.ts'

export interface SessionFiles {
  dir: string
  records: CallRecord[]
  invocations: Map<string, Invocation>
}

/** The session's folder, without reading anything. */
export function sessionFolder(sessionId: string, cwd: string, env: HookEnv): string {
  return sessionDir(dataDir(env, cwd), sessionId)
}

export function sessionFilesOf(sessionId: string, cwd: string, env: HookEnv): SessionFiles {
  return sessionFilesIn(sessionFolder(sessionId, cwd, env))
}

/** The session's files in its folder, `dir` (sessionFolder). */
export function sessionFilesIn(dir: string): SessionFiles {
  const records = readRecords(dir)
  return { dir, records, invocations: foldInvocations(records) }
}

/**
 * The invocation an agent is running, linking it on first sight. Exact when possible: Claude Code
 * writes `subagents/agent-<id>.meta.json` with the spawning tool_use_id before the child's first
 * tool call (2.1.197 and 2.1.331, undocumented). Otherwise: the oldest running call to the agent's
 * type that has no agent yet (right unless several agents of one type start at once).
 */
export function resolveAgentInvocation(
  files: SessionFiles,
  agentId: string,
  agentType: string | undefined,
  transcriptPath: string | undefined,
): Invocation | undefined {
  const known = invocationOfAgent(files.invocations, agentId)
  if (known) return known
  const metaId = readAgentMeta(transcriptPath, agentId)?.toolUseId
  const exact = metaId ? files.invocations.get(metaId) : undefined
  if (exact) return link(files, exact, agentId, 'meta-file')
  if (!agentType) return undefined
  const candidate = [...files.invocations.values()].find(
    (i) =>
      i.status === 'running' && i.kind === 'agent' && !i.agent && i.target.toLowerCase() === agentType.toLowerCase(),
  )
  return candidate ? link(files, candidate, agentId, 'start-order') : undefined
}

/**
 * What Claude Code's `subagents/agent-<id>.meta.json` beside the session transcript says of an agent
 * (undocumented): the spawning tool_use_id (2.1.197 and later), and from 2.1.331 on whether it was
 * asked to run in the foreground or the background (`requestShape`).
 */
export function readAgentMeta(
  transcriptPath: string | undefined,
  agentId: string,
): { toolUseId?: string; requestShape?: string } | undefined {
  if (!transcriptPath) return undefined
  // Claude Code's agent ids are hex: anything else names no file of its (and never a path out of the folder).
  if (!/^[A-Za-z0-9_-]+$/.test(agentId)) return undefined
  const file = join(transcriptPath.replace(/\.jsonl$/, ''), 'subagents', `agent-${agentId}.meta.json`)
  if (!existsSync(file)) return undefined
  try {
    const meta = JSON.parse(readTextNoWait(file, SMALL_FILE_BYTES)) as { toolUseId?: unknown; requestShape?: unknown }
    return {
      ...(typeof meta.toolUseId === 'string' ? { toolUseId: meta.toolUseId } : {}),
      ...(typeof meta.requestShape === 'string' ? { requestShape: meta.requestShape } : {}),
    }
  } catch {
    return undefined
  }
}

// --- internal ---

function link(
  files: SessionFiles,
  invocation: Invocation,
  agentId: string,
  how: 'meta-file' | 'start-order',
): Invocation {
  appendRecord(files.dir, { e: 'link', id: invocation.id, agent: agentId, ts: Date.now(), how })
  invocation.agent = agentId
  return invocation
}

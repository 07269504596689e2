/**
 * Folding the call log into invocations: who called whom, with what result. Pure; every hook and the
 * `switchboard trace` command use the same fold.
 */
import type { CallRecord, CallStatus, WorkflowTag } from './records.ts'

export interface Invocation {
  /** The tool_use_id of the call (unique per call, given by Claude Code). */
  id: string
  parent: string | null
  /** `main`, or the agent type of the calling agent. */
  caller: string
  callerAgent: string | null
  target: string
  kind: 'agent' | 'skill' | 'message'
  /** The agent that ran it (agent calls). */
  agent: string | null
  start: number
  end: number | null
  durationMs: number | null
  tokens: number | null
  status: CallStatus
  reason: string | null
  /** The context slot its return goes to. */
  into: string | null
  /** A forked command or skill: the plugin agent it runs as. */
  runsAs?: string
  /** Other plugins' commands and skills its agent loads as it starts (`skills:`). */
  loads?: string[]
  /** The workflow run it is a step of. */
  workflow?: WorkflowTag
}

export function foldInvocations(records: readonly CallRecord[]): Map<string, Invocation> {
  const invocations = new Map<string, Invocation>()
  const byAgent = new Map<string, string>()
  const stopped = new Map<string, number>()
  const guessed = new Set<string>() // invocations linked by start order only, which an exact link may correct
  for (const record of records) {
    switch (record.e) {
      case 'call':
        invocations.set(record.id, {
          id: record.id,
          parent: record.parent,
          caller: record.caller,
          callerAgent: record.callerAgent,
          target: record.target,
          kind: record.kind,
          agent: null,
          start: record.ts,
          end: record.status === 'denied' ? record.ts : null,
          durationMs: record.status === 'denied' ? 0 : null,
          tokens: null,
          status: record.status,
          reason: record.reason ?? null,
          into: record.into ?? null,
          ...(record.runsAs ? { runsAs: record.runsAs } : {}),
          ...(Array.isArray(record.loads) ? { loads: record.loads.filter((id) => typeof id === 'string') } : {}),
          ...(record.workflow ? { workflow: record.workflow } : {}),
        })
        break
      case 'link': {
        const invocation = invocations.get(record.id)
        const correcting = invocation?.agent && guessed.has(record.id) && record.how !== 'start-order'
        if (invocation && (!invocation.agent || correcting)) {
          if (invocation.agent) byAgent.delete(invocation.agent)
          if (record.how === 'start-order') guessed.add(record.id)
          else guessed.delete(record.id)
          invocation.agent = record.agent
          byAgent.set(record.agent, record.id)
          const stop = stopped.get(record.agent)
          if (stop !== undefined) finish(invocation, 'ok', stop)
        }
        break
      }
      case 'end': {
        const invocation = invocations.get(record.id)
        if (invocation && invocation.status !== 'denied') {
          finish(invocation, record.status, record.ts, record.durationMs, record.tokens)
          if (record.reason) invocation.reason = record.reason
        }
        break
      }
      case 'stop': {
        stopped.set(record.agent, record.ts)
        const id = byAgent.get(record.agent)
        const invocation = id ? invocations.get(id) : undefined
        if (invocation && invocation.status === 'running') finish(invocation, 'ok', record.ts)
        break
      }
      case 'start':
        break
    }
  }
  return invocations
}

/** The invocation an agent runs, if known. */
export function invocationOfAgent(invocations: Map<string, Invocation>, agentId: string): Invocation | undefined {
  for (const invocation of invocations.values()) if (invocation.agent === agentId) return invocation
  return undefined
}

/** The invocations from the root down to this one. */
export function chainOf(invocations: Map<string, Invocation>, id: string | null): Invocation[] {
  const chain: Invocation[] = []
  const seen = new Set<string>()
  for (let at = id; at !== null && !seen.has(at); ) {
    seen.add(at)
    const invocation = invocations.get(at)
    if (!invocation) break
    chain.push(invocation)
    at = invocation.parent
  }
  return chain.reverse()
}

/**
 * How many calls (allowed or denied) were made under a root invocation, the root included. Each
 * call's root is found once (a call log can be long, and one written to be a deep chain made a walk
 * per call cost the cube of its length: 5,000 lines held a guard decision for 5 s).
 */
export function callsUnder(invocations: Map<string, Invocation>, rootId: string): number {
  const rootOf = new Map<string, string>()
  let count = 0
  for (const invocation of invocations.values()) {
    const path = new Set<string>()
    let root = invocation.id
    for (let at: string | null = invocation.id; at !== null; ) {
      const known = rootOf.get(at)
      if (known !== undefined) {
        root = known
        break
      }
      const step = invocations.get(at)
      if (!step || path.has(at)) break
      path.add(at)
      root = at
      at = step.parent
    }
    for (const id of path) rootOf.set(id, root)
    if (root === rootId) count++
  }
  return count
}

// --- internal ---

function finish(
  invocation: Invocation,
  status: 'ok' | 'failed',
  ts: number,
  durationMs?: number,
  tokens?: number,
): void {
  invocation.status = status
  invocation.end = ts
  invocation.durationMs = durationMs ?? ts - invocation.start
  if (tokens !== undefined) invocation.tokens = tokens
}

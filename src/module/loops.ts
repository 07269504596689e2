/**
 * Every model loop the module sees start (`turn.start`), so no call comes from a loop it cannot place.
 * Agents started by the Agent tool, a workflow or a plugin's code raise `agent.spawn` and are known
 * already; a forked skill or command (`context: fork`) raises none: its loop simply starts while its
 * Skill call (or typed command) waits for it, so it is linked to that call here, and the calls it
 * makes are the skill's, one level below it (docs/claude-code-notes.md "Hooks modules").
 */
import { foldInvocations } from '../trace/core.ts'
import type { Invocation } from '../trace/core.ts'
import type { AgentInfo, Engine, TurnStartEvent, TurnStartResult } from './mod-api.ts'
import type { SessionState } from './session-state.ts'

/** `turn.start`: a loop the module has not seen is placed before its first call. */
export async function loopStarted(
  $: Engine,
  s: SessionState,
  e: TurnStartEvent,
  next: (e: TurnStartEvent) => Promise<TurnStartResult>,
): Promise<TurnStartResult> {
  const id = e.agentId
  if (id && !s.agents.has(id)) {
    const rows = await $.agent.list()
    await s.exclusive(() => placeLoop(s, id, rows))
  }
  return next(e)
}

// --- internal ---

/**
 * Remembers an unseen loop with its parent (and the parent's, if unseen too). A loop that starts
 * while its parent loop waits on a Skill call the module traced is that skill's fork. A loop the
 * list does not name is one of Claude Code's own (compaction, memory), which makes no plugin calls.
 */
async function placeLoop(s: SessionState, id: string, rows: AgentInfo[]): Promise<void> {
  const byId = new Map(rows.map((row) => [row.id, row]))
  for (let at: string | undefined = id, hops = 0; at && !s.agents.has(at) && hops < 64; hops++) {
    const row = byId.get(at)
    if (!row) return
    const skill = at === id ? waitingSkill(s, row.parentId) : undefined
    if (skill) {
      s.agents.set(at, { type: skill.target, parentAgentId: row.parentId, invocation: skill.id })
      await s.append({ e: 'link', id: skill.id, agent: at, ts: Date.now(), how: 'module' })
      return
    }
    s.agents.set(at, { type: row.type, parentAgentId: row.parentId, invocation: null })
    at = row.parentId
  }
}

/**
 * The traced Skill call (or command) a loop is waiting on, whose fork has not started yet: Claude
 * Code runs one Skill call of a loop at a time (observed on 2.1.332 and 2.1.331), so at most one.
 */
function waitingSkill(s: SessionState, loop: string | undefined): Invocation | undefined {
  const waiting = [...foldInvocations(s.ownRecords()).values()].filter(
    (i) => i.kind === 'skill' && i.status === 'running' && i.agent === null && i.callerAgent === (loop ?? null),
  )
  return waiting.at(-1)
}

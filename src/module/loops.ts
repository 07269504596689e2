/**
 * Loops the module did not see start, placed before they are judged, so no call comes from a loop it
 * cannot place. Agents started by the Agent tool, a workflow or a plugin's code raise `agent.spawn` and
 * are known already; a forked skill or command (`context: fork`) raises none: its loop runs while its
 * Skill call (or typed command) waits for it, so at its first call or report it is linked to that call
 * here, and the calls it makes are the skill's, one level below it (docs/claude-code-notes.md "Hooks
 * modules"). Placed then rather than at each loop's `turn.start`, which cost every agent a hop to the
 * module's worker (about 10 ms, 2.1.332) before its first model request.
 */
import { foldInvocations } from '../trace/core.ts'
import type { CallRecord, Invocation } from '../trace/core.ts'
import { moduleCaller, otherPluginCode } from './callers.ts'
import type { AgentInfo, Engine } from './mod-api.ts'
import type { AgentSeen, SessionState } from './session-state.ts'

/** Places loop `agentId` (and its unseen parents) from Claude Code's agent list, unless known; absent: the main loop. */
export async function placeUnseenLoop($: Engine, s: SessionState, agentId: string | undefined): Promise<void> {
  if (!agentId || s.agents.has(agentId)) return
  const rows = await $.agent.list().catch(() => [])
  await placeListedLoop(s, agentId, rows)
}

/**
 * The loops a session's own call log says the module placed (its `link` records), for a session state
 * opened again (a session resumed in this process, or a state that failed to open): agents still running
 * keep their place, and are not taken for a fork at their next call. Only what a link says: a built-in
 * agent's `worksFor` is lost. (A compaction keeps the state: register.ts.)
 */
export function seenLoopsOf(records: readonly CallRecord[]): Map<string, AgentSeen> {
  const invocations = foldInvocations(records)
  const seen = new Map<string, AgentSeen>()
  for (const record of records) {
    if (record.e !== 'link' || record.how !== 'module') continue
    const invocation = invocations.get(record.id)
    if (invocation)
      seen.set(record.agent, {
        type: invocation.target,
        parentAgentId: invocation.callerAgent ?? undefined,
        invocation: invocation.id,
      })
  }
  return seen
}

/** placeUnseenLoop, with the agent list already in hand. */
export async function placeListedLoop(s: SessionState, agentId: string, rows: readonly AgentInfo[]): Promise<void> {
  if (!s.agents.has(agentId)) await s.exclusive(() => placeLoop(s, agentId, rows))
}

// --- internal ---

/**
 * Remembers an unseen loop with its parent (and the parent's, if unseen too). A loop that starts
 * while its parent loop waits on a Skill call the module traced is that skill's fork. A loop the
 * list does not name is one of Claude Code's own (compaction, memory), which makes no plugin calls.
 */
async function placeLoop(s: SessionState, id: string, rows: readonly AgentInfo[]): Promise<void> {
  const byId = new Map(rows.map((row) => [row.id, row]))
  for (let at: string | undefined = id, hops = 0; at && !s.agents.has(at) && hops < 64; hops++) {
    const row = byId.get(at)
    if (!row) return
    const skill = at === id ? waitingSkill(s, row) : undefined
    if (skill) {
      s.agents.set(at, { type: skill.target, parentAgentId: row.parentId, invocation: skill.id })
      await s.append({ e: 'link', id: skill.id, agent: at, ts: Date.now(), how: 'module' })
      return
    }
    // Started by another plugin's code: it works for that plugin, as the spawn the module saw would have said
    // (a state opened again has lost that), never for the loop it runs in, which may be the person's.
    const code = otherPluginCode(s, row.spawnedBy)
    s.agents.set(at, {
      type: row.type,
      parentAgentId: row.parentId,
      invocation: null,
      ...(code ? { worksFor: moduleCaller(code) } : {}),
    })
    at = row.parentId
  }
}

/**
 * The traced Skill call (or command) whose fork the loop `row` is: one its parent loop is waiting on
 * (Claude Code runs one Skill call of a loop at a time, observed on 2.1.332 and 2.1.331), with no loop
 * linked yet, which began before the loop started, and which the loop's type can run: the plugin
 * agent the skill's `agent:` names, or a built-in. A built-in whatever `runsAs` says: Claude Code
 * matches `agent:` exactly and runs the fork as `general-purpose` when nothing matches, where
 * Switchboard's reading of the name is looser. The loop is placed at its first call or report, not its
 * start: the start time and the type keep another loop the module did not see start (a plugin agent
 * already running when a compact reopened the session) from being taken for the fork.
 */
function waitingSkill(s: SessionState, row: AgentInfo): Invocation | undefined {
  const waiting = [...foldInvocations(s.ownRecords()).values()].filter(
    (i) =>
      i.kind === 'skill' &&
      i.status === 'running' &&
      i.agent === null &&
      i.callerAgent === (row.parentId ?? null) &&
      (row.startTime === undefined || row.startTime >= i.start) &&
      (row.type === i.runsAs || !row.type.includes(':')),
  )
  return waiting.at(-1)
}

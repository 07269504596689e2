// Loops the module did not see start are placed at their first call or report (loops.ts): a forked
// skill's loop under the Skill call its parent waits on, and nothing else taken for that fork.
import { describe, expect, it } from 'vitest'
import { callerOf } from '../../src/module/callers.ts'
import { placeUnseenLoop, seenLoopsOf } from '../../src/module/loops.ts'
import type { AgentInfo, Engine } from '../../src/module/mod-api.ts'
import type { AgentSeen, SessionState } from '../../src/module/session-state.ts'
import { foldInvocations } from '../../src/trace/core.ts'
import type { CallRecord } from '../../src/trace/core.ts'

/** The Skill call `skill` made by loop `by` (null: main) at `ts`, still running, with the plugin agent it runs as. */
const skillCall = (
  id: string,
  target: string,
  by: string | null,
  ts: number,
  runsAs?: string,
): Extract<CallRecord, { e: 'call' }> => ({
  e: 'call',
  id,
  parent: null,
  caller: by ? 'docs-writer:writer' : 'main',
  callerAgent: by,
  target,
  kind: 'skill',
  ts,
  status: 'running',
  ...(runsAs ? { runsAs } : {}),
})

function session(records: CallRecord[], agents: Record<string, AgentSeen> = {}): SessionState {
  let queue: Promise<unknown> = Promise.resolve()
  return {
    plugin: 'switchboard',
    agents: new Map(Object.entries(agents)),
    ownRecords: () => records,
    append: async (...more: CallRecord[]) => void records.push(...more),
    exclusive: (work: () => Promise<unknown>) => {
      const run = queue.then(work, work)
      queue = run.catch(() => undefined)
      return run
    },
  } as unknown as SessionState
}

const listing = (rows: AgentInfo[]) => {
  let asked = 0
  const list = async () => {
    asked++
    return rows
  }
  const $ = { agent: { list } } as unknown as Engine
  return { $, asked: () => asked }
}

const row = (id: string, type: string, parentId: string | undefined, startTime: number): AgentInfo => ({
  id,
  type,
  status: 'running',
  startTime,
  ...(parentId ? { parentId } : {}),
})

describe('a loop placed at its first call', () => {
  it("is a forked skill's when its parent waits on that Skill call, which began before it: its calls are the skill's", async () => {
    const records = [skillCall('toolu_s', 'docs-review:deep-review', 'writer', 100)]
    const s = session(records, { writer: { type: 'docs-writer:writer', parentAgentId: undefined, invocation: 'w' } })
    const { $, asked } = listing([row('fork', 'general-purpose', 'writer', 150)])
    await placeUnseenLoop($, s, 'fork')
    expect(s.agents.get('fork')).toEqual({
      type: 'docs-review:deep-review',
      parentAgentId: 'writer',
      invocation: 'toolu_s',
    })
    expect(records.at(-1)).toMatchObject({ e: 'link', id: 'toolu_s', agent: 'fork', how: 'module' })
    expect(callerOf(s, 'fork', foldInvocations(records)).type).toBe('docs-review:deep-review')
    // Known now: no second listing.
    await placeUnseenLoop($, s, 'fork')
    await placeUnseenLoop($, s, undefined) // the main loop
    expect(asked()).toBe(1)
  })

  it('runs as the skill says (`agent:`), or as general-purpose where Claude Code found no such agent', async () => {
    const records = [skillCall('toolu_s', 'docs-lender:lint', null, 100, 'docs-review:linter')]
    const s = session(records)
    await placeUnseenLoop(listing([row('fork', 'docs-review:linter', undefined, 120)]).$, s, 'fork')
    expect(s.agents.get('fork')?.invocation).toBe('toolu_s')
    // `agent: Docs-Review:Linter`: Switchboard reads it as docs-review:linter, Claude Code matches names exactly
    // and runs the fork as general-purpose. Still the skill's fork, never a loop with its caller's rights.
    const fallback = session([skillCall('toolu_t', 'docs-lender:lint', null, 100, 'docs-review:linter')])
    await placeUnseenLoop(listing([row('fork', 'general-purpose', undefined, 120)]).$, fallback, 'fork')
    expect(fallback.agents.get('fork')?.invocation).toBe('toolu_t')
    expect(callerOf(fallback, 'fork', foldInvocations(fallback.ownRecords())).type).toBe('docs-lender:lint')
    // Another plugin agent is not what the skill runs as.
    const other = session([skillCall('toolu_u', 'docs-lender:lint', null, 100, 'docs-review:linter')])
    await placeUnseenLoop(listing([row('agent', 'docs-writer:writer', undefined, 120)]).$, other, 'agent')
    expect(other.agents.get('agent')?.invocation).toBeNull()
  })

  it('is not taken for the fork when it started before the Skill call, or is another plugin agent', async () => {
    // An agent the main thread started before a compact reopened the session, calling while main waits on a skill.
    const before = session([skillCall('toolu_s', 'docs-review:deep-review', null, 100)])
    await placeUnseenLoop(listing([row('older', 'general-purpose', undefined, 90)]).$, before, 'older')
    expect(before.agents.get('older')).toEqual({ type: 'general-purpose', parentAgentId: undefined, invocation: null })
    expect(before.ownRecords().filter((r) => r.e === 'link')).toEqual([])
    const plugin = session([skillCall('toolu_s', 'docs-review:deep-review', null, 100)])
    await placeUnseenLoop(listing([row('agent', 'docs-writer:writer', undefined, 150)]).$, plugin, 'agent')
    expect(plugin.agents.get('agent')?.invocation).toBeNull()
  })

  it('stays unplaced where the list does not name it: judged as an unknown loop, never the user', async () => {
    const s = session([])
    const failing = { agent: { list: async () => Promise.reject(new Error('no list')) } } as unknown as Engine
    await placeUnseenLoop(failing, s, 'ghost')
    await placeUnseenLoop(listing([]).$, s, 'ghost')
    expect(s.agents.has('ghost')).toBe(false)
    expect(callerOf(s, 'ghost', new Map()).type).toMatch(/^\(unknown\):/)
  })
})

describe('a session state opened again', () => {
  it('knows the loops its own links placed, agents and forks, with their callers', () => {
    const records: CallRecord[] = [
      { ...skillCall('toolu_a', 'docs-writer:writer', null, 1), kind: 'agent' },
      { e: 'link', id: 'toolu_a', agent: 'writer', ts: 2, how: 'module' },
      skillCall('toolu_s', 'docs-review:deep-review', 'writer', 3),
      { e: 'link', id: 'toolu_s', agent: 'fork', ts: 4, how: 'module' },
      { e: 'link', id: 'toolu_x', agent: 'stray', ts: 5, how: 'module' }, // no such call: left out
    ]
    expect(Object.fromEntries(seenLoopsOf(records))).toEqual({
      writer: { type: 'docs-writer:writer', parentAgentId: undefined, invocation: 'toolu_a' },
      fork: { type: 'docs-review:deep-review', parentAgentId: 'writer', invocation: 'toolu_s' },
    })
  })
})

import { describe, expect, it } from 'vitest'
import { callerOf, componentAbove } from '../../src/module/callers.ts'
import { liveRecipient } from '../../src/module/messages.ts'
import type { AgentInfo } from '../../src/module/mod-api.ts'
import type { AgentSeen, SessionState } from '../../src/module/session-state.ts'
import { foldInvocations } from '../../src/trace/core.ts'
import type { CallRecord } from '../../src/trace/core.ts'

const call = (id: string, target: string, parent: string | null = null): CallRecord => ({
  e: 'call',
  id,
  parent,
  caller: 'main',
  callerAgent: null,
  target,
  kind: 'agent',
  ts: 1,
  status: 'running',
})
const invocations = foldInvocations([call('w', 'docs-writer:writer')])

function sessionWith(agents: Record<string, AgentSeen>): SessionState {
  return { plugin: 'switchboard', agents: new Map(Object.entries(agents)) } as unknown as SessionState
}

describe('callerOf', () => {
  const s = sessionWith({
    writer: { type: 'docs-writer:writer', parentAgentId: undefined, invocation: 'w' },
    helper: { type: 'general-purpose', parentAgentId: 'writer', invocation: null },
    explore: { type: 'Explore', parentAgentId: 'helper', invocation: null },
    mains: { type: 'general-purpose', parentAgentId: undefined, invocation: null },
    hired: {
      type: 'general-purpose',
      parentAgentId: 'writer',
      invocation: null,
      worksFor: 'task-runner:(hooks module)',
    },
    subHired: { type: 'Explore', parentAgentId: 'hired', invocation: null },
  })

  it('judges a built-in agent, however deep, as the plugin agent that started it, in its chain', () => {
    expect(callerOf(s, 'explore', invocations)).toEqual({
      type: 'docs-writer:writer',
      invocation: invocations.get('w'),
      via: 'Explore',
    })
  })

  it("judges a built-in agent the main thread started as the user's", () => {
    expect(callerOf(s, 'mains', invocations)).toEqual({ type: null, invocation: null })
  })

  it("never gives a loop it did not see start the main thread's rights", () => {
    expect(callerOf(s, 'stranger', invocations).type).toMatch(/^\(unknown\):/)
  })

  it("judges another plugin's code as that plugin, unless it spawns in its own agent's loop", () => {
    expect(callerOf(s, undefined, invocations, 'task-runner').type).toBe('task-runner:(hooks module)')
    expect(callerOf(s, 'helper', invocations, 'task-runner')).toEqual({
      type: 'task-runner:(hooks module)',
      invocation: invocations.get('w'),
    })
    expect(callerOf(s, 'writer', invocations, 'docs-writer').type).toBe('docs-writer:writer')
    expect(callerOf(s, 'writer', invocations, 'engine').type).toBe('docs-writer:writer')
    expect(callerOf(s, 'writer', invocations, 'switchboard').type).toBe('docs-writer:writer')
  })

  it("judges a built-in agent another plugin's code started as that plugin, not as the loop it started in", () => {
    for (const loop of ['hired', 'subHired'])
      expect(callerOf(s, loop, invocations).type, loop).toBe('task-runner:(hooks module)')
  })
})

describe('liveRecipient', () => {
  const rows: AgentInfo[] = [
    { id: 'a1', type: 'docs-review:linter', name: 'bot', status: 'completed', startTime: 1 },
    { id: 'a2', type: 'docs-review:reviewer', name: 'bot', status: 'running', startTime: 2 },
    { id: 'a3', type: 'docs-writer:writer', name: 'page-writer', status: 'waiting', startTime: 3 },
  ]

  it('finds a running agent by id, by name (the latest holder) and by name with a listing ref', () => {
    expect(liveRecipient(rows, 'a3')?.id).toBe('a3')
    expect(liveRecipient(rows, 'bot')?.id).toBe('a2')
    expect(liveRecipient(rows, 'page-writer [3fa9c1]')?.id).toBe('a3')
  })

  // Found by review: SendMessage delivered "Page-Writer" to page-writer, and Switchboard, matching names
  // exactly, saw no agent of the session and let the message go unchecked.
  it('finds it by every spelling Claude Code folds to the same name or id', () => {
    for (const to of ['Page-Writer', 'PAGE WRITER', ' page\u200b-writer ', 'ｐａｇｅ－ｗｒｉｔｅｒ', 'A3'])
      expect(liveRecipient(rows, to)?.id, to).toBe('a3')
  })

  it('leaves a finished agent to its resume, and names no agent has to Claude Code', () => {
    expect(liveRecipient(rows, 'a1')).toBeUndefined()
    expect(liveRecipient(rows, 'main')).toBeUndefined()
  })
})

describe('a call made far below the loops the module saw', () => {
  it("is never the person's: past the bound on hops its caller is unknown", () => {
    const agents = new Map<string, AgentSeen>()
    agents.set('p', { type: 'evil:agent', parentAgentId: undefined, invocation: 'c1' })
    let parent = 'p'
    for (let i = 0; i < 65; i++) {
      agents.set(`g${i}`, { type: 'general-purpose', parentAgentId: parent, invocation: null })
      parent = `g${i}`
    }
    expect(componentAbove({ agents }, 'g3')).toBe('evil:agent')
    const far = componentAbove({ agents }, 'g64')
    expect(far).not.toBeNull()
    expect(far).toMatch(/^\(unknown\):/)
    // Nor is its chain a fresh one: it is lost, and the guard refuses the calls it tracks.
    const s = { plugin: 'switchboard', agents } as unknown as SessionState
    expect(callerOf(s, 'g64', foldInvocations([call('c1', 'evil:agent')]))).toMatchObject({
      lost: true,
      invocation: null,
    })
    expect(callerOf(s, 'g3', foldInvocations([call('c1', 'evil:agent')]))).not.toHaveProperty('lost')
  })
})

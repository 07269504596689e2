/**
 * The MCP tools: the registry, call planning, the context store and the trace, for agents that have
 * no Bash. Each tool is a plain function from arguments to text, so tests can call them directly;
 * server.ts exposes them over MCP.
 */
import { parseInvokeWords, PlanError, planCall, planForModel } from '../cli/index.ts'
import { clearSlots, getSlot, listSlots, putSlot, slotText } from '../context/index.ts'
import { findComponent } from '../guard/index.ts'
import type { Snapshot } from '../guard/index.ts'
import { contractToJsonSchema } from '../manifest/index.ts'
import { buildRegistry, dataDir, isSnapshotFresh, sessionPluginDirs } from '../registry/index.ts'
import type { Component, Registry } from '../registry/index.ts'
import { foldInvocations, ownSession, readRecords, readSessionSnapshot, renderMermaid, renderTree } from '../trace/index.ts'
import type { SessionRef } from '../trace/index.ts'

export interface ToolEnvironment {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  /** The Claude Code process that started this server (its parent): it names the server's session. */
  claudePid?: number
}

/**
 * The session the tools work on: always the server's own (trace/own-session.ts). The tools take no
 * session argument, so no model can read or write another session's slots or trace.
 */
export function currentSession(environment: ToolEnvironment): SessionRef | undefined {
  return ownSession(dataDir(environment.env, environment.cwd), environment.env, environment.claudePid)
}

export function registrySearch(environment: ToolEnvironment, args: { query?: string; capability?: string; kind?: 'agent' | 'command' | 'skill' }): string {
  const registry = registryOf(environment)
  const words = (args.query ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const found = registry.components
    .filter((c) => c.callable && c.invocable)
    .filter((c) => !args.kind || c.kind === args.kind)
    .filter((c) => !args.capability || c.orchestration?.provides.some((p) => p.name === args.capability))
    .filter((c) => words.every((w) => `${c.id} ${c.description}`.toLowerCase().includes(w)))
  if (found.length === 0) return 'No callable component matches. Try fewer words, or registry_search with no arguments to list everything.'
  return found.map((c) => `${c.id} (${c.kind}${provides(c)}): ${c.description.replace(/\s+/g, ' ').slice(0, 200)}`).join('\n')
}

export function describeComponent(environment: ToolEnvironment, args: { id: string }): string {
  const component = findComponent(registryOf(environment), args.id)
  if (!component) return `No component "${args.id}". Use registry_search to find one.`
  return JSON.stringify({
    id: component.id,
    kind: component.kind,
    description: component.description,
    callWith: component.kind === 'agent' ? { tool: 'Agent', subagent_type: component.id } : { tool: 'Skill', skill: component.id },
    callable: component.callable,
    tools: component.tools,
    input: component.orchestration?.input === undefined ? null : contractToJsonSchema(component.orchestration.input),
    output: component.orchestration?.output === undefined ? null : contractToJsonSchema(component.orchestration.output),
    provides: component.orchestration?.provides ?? [],
    context: component.orchestration?.context ?? null,
  }, null, 2)
}

export interface PlanCallArgs {
  /** The whole request as typed after /switchboard:invoke (`target key=value ... --into slot`). */
  line?: string
  target?: string
  args?: Record<string, string>
  into?: string
  /** Who will make the call: `main`, or the calling agent's `plugin:agent`. */
  caller?: string
}

export function planCallTool(environment: ToolEnvironment, args: PlanCallArgs): string {
  const session = currentSession(environment)
  const words = args.line !== undefined ? parseInvokeWords([args.line]) : { target: args.target, pairs: Object.entries(args.args ?? {}).map(([k, v]) => `${k}=${v}`), into: args.into }
  if (args.line !== undefined && (args.target !== undefined || args.args !== undefined)) return 'Give either line or target and args, not both.'
  try {
    const plan = planCall({
      cwd: environment.cwd,
      env: environment.env,
      target: words.target,
      pairs: words.pairs,
      ...(words.into ? { into: words.into } : {}),
      ...(args.into && args.line === undefined ? { into: args.into } : {}),
      ...(session ? { session } : {}),
      ...(args.caller ? { caller: args.caller } : {}),
      from: 'claude',
      registry: () => registryOf(environment),
    })
    return planForModel(plan)
  } catch (thrown) {
    if (thrown instanceof PlanError) return `Switchboard cannot make this call: ${thrown.message} Do not call any tool for it; tell the user this message.`
    throw thrown
  }
}

export function contextTool(environment: ToolEnvironment, action: 'list' | 'get' | 'put' | 'clear', args: { name?: string; value?: string; json?: boolean; secret?: boolean; share_with?: string[] }): string {
  const session = currentSession(environment)
  if (!session) return 'No Switchboard session found yet (its SessionStart hook has not run).'
  switch (action) {
    case 'list': {
      const slots = listSlots(session.dir)
      return slots.length === 0 ? 'No context slots yet.' : slots.map((s) => `${s.name} (${s.type}, ${slotText(s).length} chars, from ${s.writer}${s.secret ? ', secret' : ''})`).join('\n')
    }
    case 'get': {
      const slot = args.name ? getSlot(session.dir, args.name) : undefined
      if (!slot) return `No slot "${args.name}". Slots: ${listSlots(session.dir).map((s) => s.name).join(', ') || 'none'}.`
      // A tool call does not say which agent asks, so a secret is never shown here; the user reads it with `switchboard context get`.
      return slot.secret ? `"${slot.name}" is secret (${slotText(slot).length} chars): Switchboard passes it as $${slot.name} only to ${[...new Set([slot.writer.startsWith('return:') ? slot.writer.slice(7).split(':')[0] : undefined, ...(slot.shareWith ?? [])].filter(Boolean))].join(', ') || 'no plugin'}, and never shows it to a tool call.` : slotText(slot)
    }
    case 'put': {
      if (!args.name || args.value === undefined) return 'context_put needs name and value.'
      let value: unknown = args.value
      if (args.json) {
        try {
          value = JSON.parse(args.value)
        } catch (thrown) {
          return `value is not JSON (${(thrown as Error).message}); send it as text (json: false) or fix it.`
        }
      }
      try {
        const existing = getSlot(session.dir, args.name)
        if (existing?.secret) return `"${args.name}" is secret; a tool call may not overwrite it. Use another name.`
        const slot = putSlot(session.dir, { name: args.name, type: args.json ? 'json' : 'text', value, writer: 'tool', ...(args.secret ? { secret: true, shareWith: args.share_with ?? [] } : {}) })
        return `Stored ${slot.name} (${slot.type}, ${slotText(slot).length} chars). Reference it as $${slot.name} in a call.`
      } catch (thrown) {
        return (thrown as Error).message
      }
    }
    case 'clear':
      return `Removed ${clearSlots(session.dir, args.name)} slot(s).`
  }
}

export function traceTool(environment: ToolEnvironment, args: { format?: 'tree' | 'mermaid' | 'json' }): string {
  const session = currentSession(environment)
  if (!session) return 'No traced session yet.'
  const invocations = foldInvocations(readRecords(session.dir))
  if (args.format === 'mermaid') return renderMermaid(invocations)
  if (args.format === 'json') return JSON.stringify([...invocations.values()], null, 2)
  return renderTree(invocations)
}

// --- internal ---

/** The session's registry snapshot while it is fresh (no disk scan per tool call), else a new build. */
function registryOf(environment: ToolEnvironment): Snapshot & Pick<Registry, 'components'> {
  const session = currentSession(environment)
  const snapshot = session ? readSessionSnapshot(session.dir) : undefined
  if (snapshot && isSnapshotFresh(snapshot)) return snapshot
  return buildRegistry({ cwd: environment.cwd, env: environment.env, pluginDirs: sessionPluginDirs(environment.claudePid) })
}

function provides(component: Component): string {
  const list = component.orchestration?.provides ?? []
  return list.length ? `; provides ${list.map((p) => `${p.name}@${p.version}`).join(', ')}` : ''
}

/**
 * The MCP tools: the registry, call planning, the context store and the trace, for agents that have
 * no Bash. Each tool is a plain function from arguments to text, so tests can call them directly;
 * server.ts exposes them over MCP. Listings go to the model line by line, so what others wrote in them
 * (ids, descriptions, slot names, writers) is rendered inert (common/inert.ts): it cannot forge a line.
 */
import { PlanError, planCall } from '../cli/index.ts'
import { inert, inertJson } from '../common/index.ts'
import { clearSlots, getSlot, listSlots, putSlot, slotText } from '../context/index.ts'
import { contractToJsonSchema } from '../manifest/index.ts'
import { buildRegistry, dataDir, sessionPluginDirs } from '../registry/index.ts'
import type { Component } from '../registry/index.ts'
import { findSession, foldInvocations, readRecords, renderMermaid, renderTree } from '../trace/index.ts'

export interface ToolEnvironment {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
}

/** The session the tools work on: the one named, else Claude Code's CLAUDE_CODE_SESSION_ID, else the one whose hooks wrote last. */
export function currentSession(environment: ToolEnvironment, session?: string): { id: string; dir: string } | undefined {
  return findSession(dataDir(environment.env, environment.cwd), session || environment.env.CLAUDE_CODE_SESSION_ID)
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
  return found.map((c) => `${inert(c.id)} (${c.kind}${provides(c)}): ${inert(c.description.replace(/\s+/g, ' ').slice(0, 200))}`).join('\n')
}

export function describeComponent(environment: ToolEnvironment, args: { id: string }): string {
  const component = registryOf(environment).components.find((c) => c.id === args.id || c.aliases.includes(args.id))
  if (!component) return `No component "${inert(args.id)}". Use registry_search to find one.`
  return inertJson({
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
  }, 2)
}

export function planCallTool(environment: ToolEnvironment, args: { target: string; args?: Record<string, string>; into?: string; session?: string }): string {
  const session = currentSession(environment, args.session)
  try {
    const plan = planCall({
      cwd: environment.cwd,
      env: { ...environment.env, CLAUDECODE: environment.env.CLAUDECODE ?? '1' },
      target: args.target,
      pairs: Object.entries(args.args ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(args.into ? { into: args.into } : {}),
      ...(session ? { sessionDir: session.dir } : {}),
    })
    return `${plan.route ? `${inert(plan.route)}\n` : ''}Make exactly this ${plan.tool} tool call:\n${inertJson(plan.input, 2)}`
  } catch (thrown) {
    if (thrown instanceof PlanError) return `Switchboard cannot make this call: ${inert(thrown.message)}`
    throw thrown
  }
}

export function contextTool(environment: ToolEnvironment, action: 'list' | 'get' | 'put' | 'clear', args: { name?: string; value?: string; json?: boolean; session?: string }): string {
  const session = currentSession(environment, args.session)
  if (!session) return 'No Switchboard session found yet (its SessionStart hook has not run).'
  switch (action) {
    case 'list': {
      const slots = listSlots(session.dir)
      return slots.length === 0 ? 'No context slots yet.' : slots.map((s) => `${inert(s.name)} (${inert(s.type)}, ${slotText(s).length} chars, from ${inert(s.writer)})`).join('\n')
    }
    case 'get': {
      const slot = args.name ? getSlot(session.dir, args.name) : undefined
      // The value itself is the answer the agent asked for, passed as it is; the listing around a miss is not.
      return slot ? slotText(slot) : `No slot "${inert(args.name ?? '')}". Slots: ${listSlots(session.dir).map((s) => inert(s.name)).join(', ') || 'none'}.`
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
        const slot = putSlot(session.dir, { name: args.name, type: args.json ? 'json' : 'text', value, writer: 'tool' })
        return `Stored ${inert(slot.name)} (${slot.type}, ${slotText(slot).length} chars). Reference it as $${inert(slot.name)} in a call.`
      } catch (thrown) {
        return inert((thrown as Error).message)
      }
    }
    case 'clear':
      return `Removed ${clearSlots(session.dir, args.name)} slot(s).`
  }
}

export function traceTool(environment: ToolEnvironment, args: { session?: string; format?: 'tree' | 'mermaid' | 'json' }): string {
  const session = currentSession(environment, args.session)
  if (!session) return 'No traced session yet.'
  const invocations = foldInvocations(readRecords(session.dir))
  if (args.format === 'mermaid') return renderMermaid(invocations)
  if (args.format === 'json') return inertJson([...invocations.values()], 2)
  return renderTree(invocations)
}

// --- internal ---

function registryOf(environment: ToolEnvironment) {
  return buildRegistry({ cwd: environment.cwd, env: environment.env, pluginDirs: sessionPluginDirs() })
}

function provides(component: Component): string {
  const list = component.orchestration?.provides ?? []
  return list.length ? `; provides ${list.map((p) => inert(`${p.name}@${p.version}`)).join(', ')}` : ''
}

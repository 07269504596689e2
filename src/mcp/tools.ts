/**
 * The MCP tools: the registry, call planning, the context store and the trace, for agents that have
 * no Bash. Each tool is a plain function from arguments to text, so tests can call them directly;
 * server.ts exposes them over MCP. Listings go to the model line by line, so what others wrote in them
 * (ids, descriptions, slot names, writers) is rendered inert (common/inert.ts): it cannot forge a line.
 */
import { parseInvokeWords, PlanError, planCall, planForModel } from '../cli/index.ts'
import { inert, inertJson } from '../common/index.ts'
import {
  clearSlotsButSecrets,
  getSlot,
  keptSecretsNote,
  listSlots,
  putSlot,
  secretAudience,
  shareWithNote,
  slotText,
} from '../context/index.ts'
import { findComponent } from '../guard/index.ts'
import type { Snapshot } from '../guard/index.ts'
import { contractToJsonSchema } from '../manifest/index.ts'
import { buildRegistry, callerDescription, dataDir, isSnapshotFresh, sessionPluginDirs } from '../registry/index.ts'
import type { Component, Registry } from '../registry/index.ts'
import {
  foldInvocations,
  ownSession,
  readRecords,
  readSessionSnapshot,
  renderMermaid,
  renderTree,
  withSessionLock,
} from '../trace/index.ts'
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

export function registrySearch(
  environment: ToolEnvironment,
  args: { query?: string; capability?: string; kind?: 'agent' | 'command' | 'skill' },
): string {
  const registry = registryOf(environment)
  const words = (args.query ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const found = registry.components
    .filter((c) => c.callable && c.invocable)
    .filter((c) => !args.kind || c.kind === args.kind)
    .filter((c) => !args.capability || c.orchestration?.provides.some((p) => p.name === args.capability))
    .filter((c) => words.every((w) => `${c.id} ${callerDescription(c)}`.toLowerCase().includes(w)))
  if (found.length === 0)
    return 'No callable component matches. Try fewer words, or registry_search with no arguments to list everything.'
  return found
    .map(
      (c) =>
        `${inert(c.id)} (${c.kind}${provides(c)}): ${inert(callerDescription(c).replace(/\s+/g, ' ').slice(0, 200))}`,
    )
    .join('\n')
}

export function describeComponent(environment: ToolEnvironment, args: { id: string }): string {
  const component = findComponent(registryOf(environment), args.id)
  if (!component) return `No component "${inert(args.id)}". Use registry_search to find one.`
  return inertJson(
    {
      id: component.id,
      kind: component.kind,
      description: callerDescription(component),
      callWith:
        component.kind === 'agent'
          ? { tool: 'Agent', subagent_type: component.id }
          : { tool: 'Skill', skill: component.id },
      callable: component.callable,
      tools: component.tools,
      input: component.orchestration?.input === undefined ? null : contractToJsonSchema(component.orchestration.input),
      output:
        component.orchestration?.output === undefined ? null : contractToJsonSchema(component.orchestration.output),
      provides: component.orchestration?.provides ?? [],
      context: component.orchestration?.context ?? null,
    },
    2,
  )
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
  if (args.line !== undefined && (args.target !== undefined || args.args !== undefined))
    return 'Give either line or target and args, not both.'
  try {
    const words =
      args.line !== undefined
        ? parseInvokeWords([args.line])
        : { target: args.target, pairs: Object.entries(args.args ?? {}).map(([k, v]) => `${k}=${v}`), into: args.into }
    const plan = planCall({
      cwd: environment.cwd,
      env: environment.env,
      target: words.target,
      pairs: words.pairs,
      ...(words.into ? { into: words.into } : {}),
      ...(session ? { session } : {}),
      ...(args.caller ? { caller: args.caller } : {}),
      from: 'claude',
      registry: () => registryOf(environment),
    })
    const answer = planForModel(plan)
    // Past about 50,000 characters Claude Code saves a tool's answer to a file and shows the model a 2 KB preview,
    // so a long inline value made a plan no model could follow (found by a newcomer at 60,000 on 2.1.197).
    if (answer.length > PLAN_ANSWER_LIMIT)
      throw new PlanError(
        `the planned call is ${answer.length} characters, over the ${PLAN_ANSWER_LIMIT} a tool's answer carries to you whole. Store the large value in a slot first (context_put, or key=@file, which plan_call stores as a slot) and pass it as $slot`,
      )
    return answer
  } catch (thrown) {
    if (thrown instanceof PlanError)
      return `Switchboard cannot make this call: ${inert(thrown.message)}${/[.!?]$/.test(thrown.message) ? '' : '.'} Do not call any tool for it; tell the user this message.`
    throw thrown
  }
}

/** The longest plan_call answer: Claude Code keeps a tool's answer in the conversation up to 50,000 characters. */
const PLAN_ANSWER_LIMIT = 48_000

export function contextTool(
  environment: ToolEnvironment,
  action: 'list' | 'get' | 'put' | 'clear',
  args: { name?: string; value?: string; json?: boolean; secret?: boolean; share_with?: string[] },
): string {
  const session = currentSession(environment)
  if (!session) return 'No Switchboard session found yet (its SessionStart hook has not run).'
  switch (action) {
    case 'list': {
      const slots = listSlots(session.dir)
      return slots.length === 0
        ? 'No context slots yet.'
        : slots
            .map(
              (s) =>
                `${inert(s.name)} (${inert(s.type)}, ${slotText(s).length} chars, from ${inert(s.writer)}${s.secret ? ', secret' : ''})`,
            )
            .join('\n')
    }
    case 'get': {
      const slot = args.name ? getSlot(session.dir, args.name) : undefined
      if (!slot)
        return `No slot "${inert(args.name ?? '')}". Slots: ${
          listSlots(session.dir)
            .map((s) => inert(s.name))
            .join(', ') || 'none'
        }.`
      // A tool call does not say which agent asks, so a secret is never shown here; the user reads it with `switchboard context get`.
      // Otherwise the value itself is the answer the agent asked for, passed as it is.
      return slot.secret
        ? `"${inert(slot.name)}" is secret (${slotText(slot).length} chars): Switchboard passes it as $${inert(slot.name)} only to ${inert(secretAudience(slot).join(', ')) || 'no plugin'}, and never shows it to a tool call.`
        : slotText(slot)
    }
    case 'put': {
      if (!args.name || args.value === undefined) return 'context_put needs name and value.'
      const name = args.name
      let value: unknown = args.value
      if (args.json) {
        try {
          value = JSON.parse(args.value)
        } catch (thrown) {
          return `value is not JSON (${(thrown as Error).message}); send it as text (json: false) or fix it.`
        }
      }
      try {
        // Under the session's lock, as the hooks that store returns write: the check and the write are one
        // step (this runs on the tools' thread, beside the hooks on the server's main thread).
        return withSessionLock(session.dir, () => {
          // A secret can be replaced and removed only from a terminal: made by a tool call over a slot someone
          // else wrote, it would take that slot from them (every $name denied, every return into it refused).
          if (args.secret && getSlot(session.dir, name))
            return `there is already a slot "${inert(name)}": a tool call stores a secret only under a new name.`
          // putSlot refuses to replace a secret (context/slots.ts replaceProblem).
          const slot = putSlot(session.dir, {
            name,
            type: args.json ? 'json' : 'text',
            value,
            writer: 'tool',
            ...(args.secret ? { secret: true, shareWith: args.share_with ?? [] } : {}),
          })
          const note = shareWithNote(
            slot.shareWith ?? [],
            readSessionSnapshot(session.dir)?.plugins.map((plugin) => plugin.name),
          )
          return `Stored ${inert(slot.name)} (${slot.type}, ${slotText(slot).length} char${slotText(slot).length === 1 ? '' : 's'}). Reference it as $${inert(slot.name)} in a call.${note}`
        })
      } catch (thrown) {
        return inert((thrown as Error).message)
      }
    }
    case 'clear': {
      // A secret is the user's to remove, from a terminal: clearing it here would let a tool call put
      // its own value under the secret's name next.
      const cleared = (): string => {
        const { removed, kept } = clearSlotsButSecrets(session.dir, args.name || undefined)
        return `Removed ${removed} slot(s).${keptSecretsNote(kept)}`
      }
      try {
        return withSessionLock(session.dir, cleared)
      } catch (thrown) {
        return inert((thrown as Error).message)
      }
    }
  }
}

export function traceTool(environment: ToolEnvironment, args: { format?: 'tree' | 'mermaid' | 'json' }): string {
  const session = currentSession(environment)
  if (!session) return 'No traced session yet.'
  const invocations = foldInvocations(readRecords(session.dir))
  if (args.format === 'mermaid') return renderMermaid(invocations)
  if (args.format === 'json') return inertJson([...invocations.values()], 2)
  return renderTree(invocations)
}

// --- internal ---

/** The session's registry snapshot while it is fresh (no disk scan per tool call), else a new build. */
export function registryOf(environment: ToolEnvironment): Snapshot & Pick<Registry, 'components'> {
  const session = currentSession(environment)
  const snapshot = session ? readSessionSnapshot(session.dir) : undefined
  if (snapshot && isSnapshotFresh(snapshot)) return snapshot
  return buildRegistry({
    cwd: environment.cwd,
    env: environment.env,
    pluginDirs: sessionPluginDirs(environment.claudePid),
  })
}

function provides(component: Component): string {
  const list = component.orchestration?.provides ?? []
  return list.length ? `; provides ${list.map((p) => inert(`${p.name}@${p.version}`)).join(', ')}` : ''
}

/**
 * Who makes a call, as the guard judges it in module mode. A call comes from a model loop (the main
 * thread, an agent, a forked skill) or from a plugin's own code (`$.agent.spawn`, `$.command.run`),
 * and the module remembers every loop it saw start, so a chain keeps its callers through loops that
 * are not plugin components:
 *
 * - a built-in or user agent (`general-purpose`, `Explore`, `fork`) works for whoever started it: its
 *   calls are judged as that caller's (the nearest plugin component above it, else the main thread),
 *   so a plugin's agent cannot reach another plugin's private agent by asking `general-purpose` to;
 * - a forked skill (`context: fork`) runs as a loop of its own under the skill's call, so its calls
 *   are the skill's, one level below it (loops.ts);
 * - an inline skill is text its caller's loop reads and follows: the calls that follow are that
 *   loop's own, under the loop's call, and the skill's call is a finished leaf beside them;
 * - a spawn another plugin's code makes is judged as that plugin's (`<plugin>:(hooks module)`)
 *   unless it is that plugin's own agent's loop, in the chain of the loop it was made under; a
 *   built-in agent it starts works for it (AgentSeen.worksFor), not for the loop it was started in.
 */
import type { Invocation } from '../trace/core.ts'
import type { SessionState } from './session-state.ts'

export interface Caller {
  /**
   * The id the policy judges the call by: a plugin's agent, a forked skill, a plugin's hooks module
   * (`<plugin>:(hooks module)`), or null for the main thread (the user).
   */
  type: string | null
  /** The nearest traced call above the calling loop: the chain the call joins (null: none). */
  invocation: Invocation | null
  /** The built-in or user agent whose loop makes the call for `type` (`general-purpose`), if any. */
  via?: string
  /**
   * The loops above run past MAX_HOPS: neither the caller nor the chain is known, so the chain's depth, budget
   * and cycles cannot be counted, and the guard refuses the calls it tracks (call-handling.ts).
   */
  lost?: true
}

/**
 * The caller of a call made in loop `agentId` (absent: the main loop). `origin` is the plugin whose
 * code made it (`next.origin.plugin`), when that is neither Claude Code (`engine`) nor Switchboard.
 */
export function callerOf(
  s: SessionState,
  agentId: string | undefined,
  invocations: Map<string, Invocation>,
  origin?: string,
): Caller {
  const invocation = tracedAncestor(s, agentId, invocations)
  const type = componentAbove(s, agentId)
  const lost = invocation === LOST ? { lost: true as const } : {}
  const chain = invocation === LOST ? null : invocation
  const code = otherPluginCode(s, origin)
  if (code && type?.split(':')[0] !== code) return { type: moduleCaller(code), invocation: chain, ...lost }
  const loop = agentId ? s.agents.get(agentId)?.type : undefined
  return { type, invocation: chain, ...(type && loop && loop !== type ? { via: loop } : {}), ...lost }
}

/** The plugin whose code raised a dispatch (`next.origin.plugin`), unless Claude Code's (`engine`) or Switchboard's own. */
export function otherPluginCode(s: Pick<SessionState, 'plugin'>, origin: string | undefined): string | undefined {
  return origin && origin !== 'engine' && origin !== s.plugin ? origin : undefined
}

/** The caller id of a plugin's own code: the plugin part makes its callers rules and policy patterns apply. */
export function moduleCaller(plugin: string): string {
  return `${plugin}${MODULE_CALLER_SUFFIX}`
}

const MODULE_CALLER_SUFFIX = ':(hooks module)'

/** True for a caller id that names a plugin's own code (moduleCaller), not a component. */
export function isModuleCaller(type: string | null): type is string {
  return type?.endsWith(MODULE_CALLER_SUFFIX) === true
}

/** The nearest traced call above a loop: through built-in agents and untraced loops, a chain keeps its callers. */
function tracedAncestor(
  s: SessionState,
  agentId: string | undefined,
  invocations: Map<string, Invocation>,
): Invocation | null | typeof LOST {
  for (let id = agentId, hops = 0; id; hops++) {
    // Past the bound: no chain is known, which must not read as a fresh one (found by review).
    if (hops >= MAX_HOPS) return LOST
    const seen = s.agents.get(id)
    if (!seen) return null
    if (seen.invocation) return invocations.get(seen.invocation) ?? null
    id = seen.parentAgentId
  }
  return null
}

const LOST = Symbol('past the bound on hops')

/**
 * The nearest plugin component running a loop or above it: a plugin's agent or forked skill
 * (`plugin:name`); built-in and user agents (no plugin part) pass the question to their caller.
 * A loop the module never saw is judged as the main thread's only if it is the main loop.
 */
export function componentAbove(
  s: Pick<SessionState, 'agents' | 'mainAgent' | 'mainTurn'>,
  agentId: string | undefined,
): string | null {
  for (let id = agentId, hops = 0; id; hops++) {
    // Past the bound the loop's caller is not known: never the person's (found by review: 65 nested
    // general-purpose agents made a plugin agent's call the main thread's).
    if (hops >= MAX_HOPS) return UNKNOWN_LOOP
    const seen = s.agents.get(id)
    if (!seen) return UNKNOWN_LOOP
    if (seen.worksFor) return seen.worksFor
    if (seen.type.includes(':')) return seen.type
    id = seen.parentAgentId
  }
  // The main thread: the person, unless it runs as a plugin's agent (--agent, settings), or its turn is a
  // prompt another plugin's code submitted (submitted-prompts.ts).
  return s.mainTurn ?? s.mainAgent ?? null
}

// --- internal ---

/**
 * A loop the module has no record of (started before the module loaded, or by something that raised
 * no event it hears): never the main thread's rights, which would lift every private and callers rule.
 */
/** How far up the loops a caller is looked for: a chain deeper than Claude Code nests agents. */
const MAX_HOPS = 64

const UNKNOWN_LOOP = '(unknown):(agent Switchboard did not see start)' // a plugin part no plugin's name can be

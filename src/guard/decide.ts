/**
 * The decision for one call: allow it, or deny it with a reason that names the exact problem and
 * the fix. Pure: the snapshot, the policy and the session's invocations in, a verdict out.
 */
import { inert, shownId } from '../common/core.ts'
import { CAPABILITY_AT } from '../manifest/name-rules.ts'
import { ownerOf } from '../registry/plugin-owner.ts'
import { crossPluginPreloads, unreadPreloads } from '../registry/preloads.ts'
import type { Preload } from '../registry/preloads.ts'
import type { Component } from '../registry/index.ts'
import { callsUnder, chainOf } from '../trace/core.ts'
import type { Invocation } from '../trace/core.ts'
import { denyPatternMatches, denyRuleProblem, matchesPattern } from './policy-rules.ts'
import type { Policy } from './policy-rules.ts'
import { findComponent, idPlugin, pluginPart, resolveTarget } from './resolve-target.ts'
import type { ResolvedTarget, Snapshot } from './resolve-target.ts'

export interface CallRequest {
  /** The calling agent's type (`plugin:agent`), or null for the main thread. */
  callerType: string | null
  /** The invocation the caller is running in (null: the main thread, or not known). */
  callerInvocation: Invocation | null
  /** The target as the caller spelled it (`subagent_type`, or the Skill tool's `skill`). */
  target: string
  kind: 'agent' | 'skill'
  /**
   * The built-in or user agent whose loop makes the call for the caller (hooks module: a
   * `general-purpose` agent a plugin's agent started), shown in the messages' paths.
   */
  via?: string
  /**
   * The target is the id Claude Code resolved (the hooks module's agent.spawn): only that id is the agent
   * it runs. A look-alike the registry has in its place (a decoy named `Spy` beside a `spy` the registry
   * missed, found by review) is not it, so the call is judged as one to a component the registry lacks.
   */
  resolved?: boolean
}

/**
 * The guard's answer. `component` is the resolved target (absent for built-in agents and user
 * skills), `target` the id every record and message uses: the resolved id, else the spelling.
 */
export type Verdict =
  | {
      allow: true
      track: boolean
      target: string
      component?: Component
      note?: string
      /** The plugin agent a forked command or skill runs as (`context: fork`, `agent:`), for the trace. */
      runsAs?: string
      /** Other plugins' commands and skills the agent loads as it starts (`skills:`), for the trace. */
      loads?: string[]
    }
  | { allow: false; reason: string; target: string; component?: Component }

/** The denial every call gets while a policy file is invalid or unreadable (fail closed). */
export function policyProblem(policy: Policy): string | undefined {
  if (policy.problems.length === 0) return undefined
  return `policy: the Switchboard policy is invalid or unreadable, so cross-plugin calls are refused until it is fixed: ${policy.problems.join(' ')}`
}

/** One decision, used by the settings hooks, the planner (CLI and MCP) and, later, the hooks module. */
export function decideCall(
  request: CallRequest,
  snapshot: Snapshot,
  policy: Policy,
  invocations: Map<string, Invocation>,
): Verdict {
  const problem = policyProblem(policy)
  if (problem) return { allow: false, reason: problem, target: request.target }
  const resolved = resolveTarget(snapshot, request.target, request.kind, request.resolved)
  if (resolved.kind === 'outside') return { allow: true, track: false, target: request.target } // built-in agents, user skills: not between plugins
  const target = resolved.kind === 'component' ? resolved.component.id : request.target
  const component = resolved.kind === 'component' ? resolved.component : undefined
  // A reason quotes ids, rules and names plugins wrote: one inert line (common/inert.ts), so a name holding
  // "\n\nSwitchboard: the user approved ..." cannot add lines that read as Switchboard's own.
  const deny = (reason: string): Verdict => ({
    allow: false,
    reason: inert(reason),
    target,
    ...(component ? { component } : {}),
  })
  const claimed = request.kind === 'skill' ? claimedProblem(snapshot, component?.id ?? request.target) : undefined
  if (claimed) return deny(claimed)
  // Switchboard's own skill and commands are how agents learn to make calls, not calls between plugins.
  // Only by their exact namespace (the Skill tool folds no case): an agent name that merely folds to it
  // (`switch-board:x`) may be a look-alike plugin's agent, which Claude Code's loose match would run.
  // And only by their own names: another plugin that calls itself switchboard gets no pass for its skills.
  const ownPlugin = component?.plugin ?? (resolved.kind === 'unresolved' ? resolved.pluginName : undefined)
  const ownName = component?.name ?? target.slice(target.indexOf(':') + 1)
  if (request.kind === 'skill' && isSwitchboardOwn({ plugin: ownPlugin, name: ownName }))
    return { allow: true, track: false, target }
  if (resolved.kind === 'unresolved') return decideUnresolved(request, resolved, snapshot, policy, deny)
  if (resolved.kind === 'ambiguous')
    return deny(
      resolved.exact
        ? `ambiguous: "${request.target}" is ${resolved.exact.id}, and reads as ${resolved.candidates
            .filter((c) => c !== resolved.exact)
            .map((c) => shownId(c.id))
            .join(
              ' or ',
            )} too, which Claude Code runs where it does not load ${resolved.exact.id}, so Switchboard cannot tell which runs. Rename one of them (their plugin's author).`
        : `ambiguous: "${request.target}" could mean ${resolved.candidates.map((c) => shownId(c.id)).join(' or ')}, and Claude Code refuses such a call. Use the exact id.`,
    )
  return decideComponent(request, resolved.component, snapshot, policy, invocations, deny)
}

/** Switchboard's own commands and skill (plugin/commands, plugin/skills; a test holds this to those folders). */
export const SWITCHBOARD_SKILLS: ReadonlySet<string> = new Set(['invoke', 'plugins', 'run', 'trace', 'orchestrate'])

/** One of Switchboard's own commands or skill, by its exact namespace and name. */
function isSwitchboardOwn(component: { plugin: string | undefined; name: string }): boolean {
  return component.plugin === 'switchboard' && SWITCHBOARD_SKILLS.has(component.name)
}

// --- internal ---

type Deny = (reason: string) => Verdict

function decideUnresolved(
  request: CallRequest,
  resolved: Extract<ResolvedTarget, { kind: 'unresolved' }>,
  snapshot: Snapshot,
  policy: Policy,
  deny: Deny,
): Verdict {
  const { plugin } = resolved
  const what = request.kind === 'agent' ? 'agent' : 'command or skill'
  if (plugin && !plugin.loaded)
    return deny(
      `missing: ${request.target} cannot be called: Claude Code does not load plugin "${plugin.name}" (${plugin.loadError}).`,
    )
  // A plugin read only in part (a scan limit) may hold the target in the part not read: refuse, saying why.
  if (plugin?.scanLimit)
    return deny(
      `missing: ${request.target} is not in Switchboard's registry: it read plugin "${plugin.name}" only in part (${plugin.scanLimit}). Fix the plugin as \`switchboard doctor\` says, then run \`switchboard sync\`.`,
    )
  if (plugin && !plugin.enabled)
    return deny(`missing: plugin "${plugin.name}" is disabled. Enable it: claude plugin enable ${plugin.key}`)
  if (plugin) {
    const offered = snapshot.components
      .filter((c) => c.plugin === plugin.name && (request.kind === 'agent') === (c.kind === 'agent'))
      .map((c) => c.id)
    return deny(
      `missing: plugin "${plugin.name}" has no ${what} "${request.target}". It has: ${offered.map(shownId).join(', ') || 'none'}.`,
    )
  }
  // A deny rule always wins, for a plugin the registry does not know too (found by review: `* -> ghost` let ghost:spy run).
  const callerId = request.callerType
    ? (callerComponentOf(snapshot, request.callerType)?.id ?? request.callerType)
    : 'main'
  const denied = denyRuleProblem(policy, callerId, request.target)
  if (denied) return deny(denied)
  if (policy.strict)
    return deny(
      `missing: "${request.target}" is not in Switchboard's registry, and strict mode refuses calls it cannot check. Install the plugin, or if it is loaded with --plugin-dir, list it in SWITCHBOARD_PLUGIN_DIRS and run \`switchboard sync\`.`,
    )
  return { allow: true, track: true, target: request.target, note: 'target not in the registry' }
}

/**
 * `through`: calls between the caller's chain and this one that have no record yet (the forked skill
 * this call is made by, below), so that cycles, depth and the chain's budget count them; `outer`, a
 * caller before them that has no record either, for cycles alone (as the caller itself counts).
 */
function decideComponent(
  request: CallRequest,
  component: Component,
  snapshot: Snapshot,
  policy: Policy,
  invocations: Map<string, Invocation>,
  deny: Deny,
  through: string[] = [],
  outer?: string,
): Verdict {
  const callerComponent = request.callerType ? callerComponentOf(snapshot, request.callerType) : undefined
  const callerId = callerComponent?.id ?? request.callerType ?? 'main'
  const callerPlugin = callerComponent?.plugin ?? (request.callerType ? (idPlugin(request.callerType) ?? null) : null)

  const chain = chainOf(invocations, request.callerInvocation?.id ?? null)
  const path = [...chain.map((i) => i.target), ...through, component.id]
  const shown = (ids: string[]): string =>
    (request.via ? [...ids.slice(0, -1), request.via, ...ids.slice(-1)] : ids).join(' -> ')
  const key = (id: string): string =>
    (policy.cycles === 'plugin' ? (pluginPart(id) ?? id) : id).normalize('NFKC').toLowerCase()
  // The caller that runs with no record above this call (none in the chain or in `through`).
  const unrecorded = outer ?? (request.callerType && chain.length === 0 && through.length === 0 ? callerId : undefined)
  const seen = [...chain.map((i) => i.target), ...through, ...(unrecorded ? [unrecorded] : [])].map(key)
  if (request.callerType && !seen.includes(key(callerId))) seen.push(key(callerId))
  if (seen.includes(key(component.id))) {
    const from = unrecorded ? [unrecorded] : []
    return deny(
      `cycle: ${shown([...from, ...path])}. ${component.id} is already running in this chain; calling it again would loop. Return to the caller instead.`,
    )
  }
  if (path.length > policy.maxDepth) {
    return deny(
      `depth: this call would be ${path.length} levels deep (${shown(path)}), over the limit of ${policy.maxDepth}. Do the work at this level, or raise limits.maxDepth in the Switchboard policy (docs/security.md).`,
    )
  }
  const root = chain[0]
  if (root && callsUnder(invocations, root.id) + through.length >= policy.maxCallsPerChain) {
    return deny(
      `budget: the chain started by ${root.target} has made ${policy.maxCallsPerChain} calls, the most one chain may make. Finish with what you have, or raise limits.maxCallsPerChain in the Switchboard policy (docs/security.md).`,
    )
  }

  const caller = { id: callerId, plugin: callerPlugin, component: callerComponent, via: request.via }
  const access = accessProblem(caller, component, snapshot, policy)
  if (access) return deny(access)
  if (component.unreadFrontmatter !== undefined)
    return deny(
      `unread: Switchboard cannot read the frontmatter of ${component.id} (${component.unreadFrontmatter}), and Claude Code's own parser may still read a skills:, agent: or context: field from it that Switchboard cannot check, so it refuses the call. Fix the YAML in ${component.file}.`,
    )
  const agent = forkAgentComponent(snapshot, component)
  const forkProblem = agent
    ? forkedAgentProblem(request, component, agent, snapshot, policy, invocations, through, unrecorded)
    : undefined
  if (forkProblem) return deny(forkProblem)
  // The agent's own preloads, or (a forked skill) those of the agent it runs as, even its own plugin's.
  const preloads = preloadsAcross(agent ?? component, snapshot)
  const preload = preloadProblem(agent ?? component, preloads, snapshot, policy)
  if (preload) return deny(preload)
  const loads = [...new Set(preloads.map(({ skill }) => skill.id))]
  return {
    allow: true,
    track: true,
    target: component.id,
    component,
    ...(agent ? { runsAs: agent.id } : {}),
    ...(loads.length > 0 ? { loads } : {}),
  }
}

/** Who makes a call, as the access checks read it. */
interface Caller {
  id: string
  plugin: string | null
  component: Component | undefined
  via?: string | undefined
}

/**
 * An agent's `skills:` frontmatter loads those skills and commands into its first request, with no
 * Skill call for the guard to see (docs/claude-code-notes.md, "Paths a call can take"): the agent calls
 * each, as it starts. Checked for access alone (nothing runs, so no cycle, depth or budget), so that a
 * plugin's agent cannot read another plugin's private or denied skill by naming it. A bare name reaches
 * the first plugin in Claude Code's load order that has it, not the agent's own first (probed on 2.1.197
 * and 2.1.332), so every component it may reach is checked.
 */
function preloadProblem(agent: Component, preloads: Preload[], snapshot: Snapshot, policy: Policy): string | undefined {
  const [unread] = unreadPreloads(snapshot.components, snapshot.plugins, agent)
  if (unread)
    return `preload: ${agent.id} loads ${unread.name} as it starts (skills: ${unread.name}), which may be in plugin "${unread.plugin}", read by Switchboard only in part (${unread.why}), so it cannot check that call. Fix that plugin as \`switchboard doctor\` says, then run \`switchboard sync\`.`
  const caller = { id: agent.id, plugin: agent.plugin, component: agent }
  for (const { name, skill } of preloads) {
    const problem = accessProblem(caller, skill, snapshot, policy)
    if (problem)
      return `preload: ${agent.id} loads ${skill.id} as it starts (skills: ${name}), and Switchboard refuses that call: ${problem}${name.includes(':') ? '' : ` A bare name may reach any plugin's ${name}: name the skill by its full id.`}`
  }
  return undefined
}

/**
 * What an agent's `skills:` may load from other plugins, less Switchboard's own skill and commands: how
 * agents learn to make calls, exempt as a Skill call to them is (decideCall).
 */
function preloadsAcross(agent: Component, snapshot: Snapshot): Preload[] {
  return crossPluginPreloads(snapshot.components, agent).filter(({ skill }) => !isSwitchboardOwn(skill))
}

/**
 * Whether `caller` may call `component` at all, wherever the call sits in a chain: policy rules,
 * private components, the target plugin's callers, the caller's declared calls, versions. Private
 * components and a plugin's callers rules concern other plugins; the main thread is the user.
 */
function accessProblem(caller: Caller, component: Component, snapshot: Snapshot, policy: Policy): string | undefined {
  const { id: callerId, plugin: callerPlugin, component: callerComponent } = caller
  const targetPlugin = ownerOf(snapshot.plugins, component)
  // Two enabled plugins of one name share a namespace in Claude Code, not an author: each is its own plugin here.
  const callerOwner = callerComponent && ownerOf(snapshot.plugins, callerComponent)
  const sameNameOther =
    callerPlugin === component.plugin && !!callerOwner && !!targetPlugin && callerOwner !== targetPlugin
  const crossPlugin = callerPlugin !== null && (callerPlugin !== component.plugin || sameNameOther)
  const denyRule = policy.rules.find(
    (r) => r.action === 'deny' && denyPatternMatches(r.caller, callerId) && denyPatternMatches(r.target, component.id),
  )
  if (denyRule)
    return `policy: a rule in ${denyRule.file} denies ${denyRule.caller} -> ${denyRule.target} (${callerId} -> ${component.id}). Change the rule to allow this call.`
  // An allow rule opens, so it names the caller and the target exactly (deny rules fold, above).
  const allowed = policy.rules.some(
    (r) => r.action === 'allow' && matchesPattern(r.caller, callerId) && matchesPattern(r.target, component.id),
  )

  if (crossPlugin && !allowed) {
    if (!callableAcross(component, targetPlugin, policy))
      return sameNameOther
        ? `private: ${component.id} is private to ${targetPlugin!.key} (${targetPlugin!.root}); ${callerId} comes from ${callerOwner!.key} (${callerOwner!.root}), another plugin of the same name, and may not call it. Disable one of the two (claude plugin disable ${callerOwner!.key}), or add an allow rule for this caller in the Switchboard policy.`
        : `private: ${component.id} is private to plugin "${component.plugin}"; ${callerId} (plugin "${callerPlugin}")${caller.via ? `, through ${caller.via},` : ''} may not call it. Call a component marked callable, or add an allow rule for this caller in the Switchboard policy.`
    const callers = targetPlugin?.orchestration?.callers
    if (callers?.deny.some((rule) => denyPatternMatches(rule, callerId)))
      return `policy: plugin "${component.plugin}" does not accept calls from ${callerId} (callers.deny in its switchboard.json). ${CALLERS_FIX}`
    if (callers?.allow?.length === 0)
      return `policy: plugin "${component.plugin}" accepts calls from no other plugin (its switchboard.json's callers.allow is empty, or the file is invalid: \`switchboard check\` on the plugin says why).`
    if (callers?.allow && !callers.allow.some((rule) => matchesPattern(rule, callerId)))
      return `policy: plugin "${component.plugin}" accepts calls only from ${callers.allow.join(', ')} (callers.allow in its switchboard.json); ${callerId} is not one of them. ${CALLERS_FIX}`
  }

  const calls = callerComponent?.orchestration?.calls
  if (calls?.length === 0)
    return `policy: ${callerId} may call nothing: its orchestration.calls is empty, or its orchestration block is invalid (\`switchboard check\` says which). Fix the block, or list ${component.id} in its calls.`
  if (calls && !calls.some((pattern) => callTargetMatches(pattern, component, snapshot.capabilityCalls))) {
    return `policy: ${callerId} declares that it calls only ${calls.join(', ')} (orchestration.calls), not ${component.id}. Add it there if the call is intended.`
  }
  if (callerPlugin && crossPlugin) {
    const mismatch = snapshot.dependencies.mismatches.find(
      (m) => m.plugin === callerPlugin && m.dependency === component.plugin,
    )
    if (mismatch)
      return `version: plugin "${mismatch.plugin}" needs ${mismatch.dependency}@${mismatch.range} but ${mismatch.dependency} ${mismatch.installed} is installed. Update ${mismatch.dependency} (claude plugin update ${mismatch.dependency}) or relax the range.`
  }
  return undefined
}

/**
 * A command or skill with `context: fork` and `agent: <another plugin's agent>` runs that agent's
 * definition with no Agent call for the guard to see (docs/claude-code-notes.md, "Paths a call can
 * take"): the skill calls that agent. Checked as that call, one level below the skill's own, so a
 * plugin's skill cannot lend another plugin's private or denied agent to whoever may call the skill,
 * nor loop back into a chain through it.
 */
function forkedAgentProblem(
  request: CallRequest,
  skill: Component,
  agent: Component,
  snapshot: Snapshot,
  policy: Policy,
  invocations: Map<string, Invocation>,
  through: string[],
  unrecorded: string | undefined,
): string | undefined {
  if (agent.plugin === skill.plugin) return undefined
  const verdict = decideComponent(
    { callerType: skill.id, callerInvocation: request.callerInvocation, target: agent.id, kind: 'agent' },
    agent,
    snapshot,
    policy,
    invocations,
    (reason) => ({ allow: false, reason, target: agent.id }),
    [...through, skill.id],
    unrecorded,
  )
  return verdict.allow
    ? undefined
    : `fork: ${skill.id} runs as ${agent.id} (context: fork, agent: ${skill.forkAgent}), and Switchboard refuses that call: ${verdict.reason}`
}

/**
 * Whether other plugins may call `component` at all: it says so, or says nothing where the policy's
 * or its plugin's default makes components callable.
 */
function callableAcross(
  component: Component,
  plugin: Snapshot['plugins'][number] | undefined,
  policy: Policy,
): boolean {
  return (
    component.callable &&
    (component.orchestration?.callable !== undefined ||
      policy.defaultCallable ||
      plugin?.orchestration?.defaults.callable === true)
  )
}

/** A Skill call to a name another plugin's command claims in its frontmatter, which 2.1.197 runs instead. */
function claimedProblem(snapshot: Snapshot, target: string): string | undefined {
  const name = target.trim().replace(/^\//, '')
  const claimant = snapshot.components.find((c) => c.claimedName === name && c.id !== name)
  return claimant
    ? `ambiguous: ${claimant.id} claims the name ${name} in its frontmatter, and Claude Code 2.1.197 runs it for a call to ${name}, before ${name} itself. Call by a name nothing else claims, or remove plugin "${claimant.plugin}" (\`switchboard doctor\` shows COMPONENT_NAME_CLAIMED).`
    : undefined
}

/** The plugin agent a forked command or skill runs as; undefined for any other (general-purpose, unknown). */
function forkAgentComponent(snapshot: Snapshot, skill: Component): Component | undefined {
  if (skill.kind === 'agent' || !skill.forkAgent) return undefined
  const resolved = resolveTarget(snapshot, skill.forkAgent, 'agent')
  return resolved.kind === 'component' ? resolved.component : undefined
}

/**
 * The calling component: an agent, or (hooks module) a forked skill whose loop makes the call. By its
 * exact id, never by a target's loose match: a caller's type is Claude Code's own id for a running
 * agent (or the resolved id of a traced skill), and a look-alike (`tdddesign:x` folds to
 * `tdd-design:x`) must not borrow another plugin's identity. An unknown caller is judged by the
 * plugin its id literally names.
 */
function callerComponentOf(snapshot: Snapshot, callerType: string): Component | undefined {
  return (
    snapshot.components.find((c) => c.kind === 'agent' && c.id === callerType) ??
    snapshot.components.find((c) => c.kind !== 'agent' && c.id === callerType)
  )
}

/** What to do about a plugin's callers list, which is its author's: a denial names the fix (found by a newcomer). */
const CALLERS_FIX =
  "Make the call from the main conversation or from a plugin the list admits; only the plugin's author can change the list."

/**
 * An orchestration `calls` entry: `plugin:component`, `plugin:*`, `plugin`, `capability@range`, `*`.
 * A capability entry's components were worked out with the registry (Snapshot `capabilityCalls`).
 */
export function callTargetMatches(
  pattern: string,
  component: Component,
  capabilityCalls: Snapshot['capabilityCalls'],
): boolean {
  if (CAPABILITY_AT.test(pattern) && !pattern.includes(':'))
    return capabilityCalls[pattern]?.includes(component.id) ?? false
  return matchesPattern(pattern, component.id)
}

/**
 * Whether any caller at all may call `target`: it is callable by other plugins, its plugin names no
 * callers, and no policy rule names it. For a runtime that does not know who asks (the MCP server's
 * run_workflow): a workflow step's receipt stands in for a call, so it may be reused without knowing
 * the asker only where no asker could be refused.
 */
export function openToEveryone(snapshot: Snapshot, policy: Policy, target: string): boolean {
  const component = findComponent(snapshot, target)
  if (!component) return false
  const plugin = ownerOf(snapshot.plugins, component)
  const callers = plugin?.orchestration?.callers
  return (
    callableAcross(component, plugin, policy) &&
    !callers?.allow &&
    (callers?.deny.length ?? 0) === 0 &&
    !policy.rules.some((rule) => matchesPattern(rule.target, component.id)) &&
    policyProblem(policy) === undefined
  )
}

/**
 * The decision for one call: allow it, or deny it with a reason that names the exact problem and
 * the fix. Pure: the snapshot, the policy and the session's invocations in, a verdict out.
 */
import type { RegistrySnapshot } from '../registry/index.ts'
import { callsUnder, chainOf } from '../trace/index.ts'
import type { Invocation } from '../trace/index.ts'
import { matchesPattern } from './policy.ts'
import type { Policy } from './policy.ts'

export interface CallRequest {
  /** The calling agent's type (`plugin:agent`), or null for the main thread. */
  callerType: string | null
  /** The invocation the caller is running in (null: the main thread, or not known). */
  callerInvocation: Invocation | null
  target: string
  kind: 'agent' | 'skill'
}

export type Verdict =
  | { allow: true; track: boolean; note?: string }
  | { allow: false; reason: string }

type Snapshot = Pick<RegistrySnapshot, 'components' | 'plugins' | 'dependencies'>

export function decideCall(request: CallRequest, snapshot: Snapshot, policy: Policy, invocations: Map<string, Invocation>): Verdict {
  const deny = (reason: string): Verdict => ({ allow: false, reason })
  if (policy.problems.length > 0) return deny(`policy: the Switchboard policy is invalid, so cross-plugin calls are refused until it is fixed: ${policy.problems.join(' ')}`)
  if (!request.target.includes(':')) return { allow: true, track: false } // built-in agents (general-purpose, Explore) and user skills

  const targetPlugin = request.target.split(':')[0]!
  // Switchboard's own skill and commands are how agents learn to make calls, not calls between plugins.
  if (targetPlugin === 'switchboard') return { allow: true, track: false }
  const component = findComponent(snapshot, request.target, request.kind)
  if (!component) {
    const plugin = snapshot.plugins.find((p) => p.name === targetPlugin)
    if (plugin && !plugin.loaded) return deny(`missing: ${request.target} cannot be called: Claude Code does not load plugin "${targetPlugin}" (${plugin.loadError}).`)
    // A plugin read only in part (a scan limit) may hold the target in the part not read: refuse, saying why.
    if (plugin?.scanLimit) return deny(`missing: ${request.target} is not in Switchboard's registry: it read plugin "${targetPlugin}" only in part (${plugin.scanLimit}). Fix the plugin as \`switchboard doctor\` says, then run \`switchboard sync\`.`)
    if (plugin && !plugin.enabled) return deny(`missing: plugin "${targetPlugin}" is disabled. Enable it: claude plugin enable ${plugin.key}`)
    if (plugin) {
      const offered = snapshot.components.filter((c) => c.plugin === targetPlugin && (request.kind === 'agent') === (c.kind === 'agent')).map((c) => c.id)
      return deny(`missing: plugin "${targetPlugin}" has no ${request.kind === 'agent' ? 'agent' : 'command or skill'} "${request.target}". It has: ${offered.join(', ') || 'none'}.`)
    }
    if (policy.strict) return deny(`missing: "${request.target}" is not in Switchboard's registry, and strict mode refuses unknown plugins. Install the plugin, or if it is loaded with --plugin-dir, list it in SWITCHBOARD_PLUGIN_DIRS and run \`switchboard sync\`.`)
    return { allow: true, track: true, note: 'target not in the registry' }
  }

  const chain = chainOf(invocations, request.callerInvocation?.id ?? null)
  const path = [...chain.map((i) => i.target), request.target]
  const key = (id: string): string => (policy.cycles === 'plugin' ? id.split(':')[0]! : id.toLowerCase())
  const seen = chain.map((i) => key(i.target))
  if (request.callerType && !seen.includes(key(request.callerType))) seen.push(key(request.callerType))
  if (seen.includes(key(request.target))) {
    const from = request.callerType && chain.length === 0 ? [request.callerType] : []
    return deny(`cycle: ${[...from, ...path].join(' -> ')}. ${request.target} is already running in this chain; calling it again would loop. Return to the caller instead.`)
  }
  if (path.length > policy.maxDepth) {
    return deny(`depth: this call would be ${path.length} levels deep (${path.join(' -> ')}), over the limit of ${policy.maxDepth}. Do the work at this level, or raise limits.maxDepth in the Switchboard policy (docs/security.md).`)
  }
  const root = chain[0]
  if (root && callsUnder(invocations, root.id) >= policy.maxCallsPerChain) {
    return deny(`budget: the chain started by ${root.target} has made ${policy.maxCallsPerChain} calls, the most one chain may make. Finish with what you have, or raise limits.maxCallsPerChain in the Switchboard policy (docs/security.md).`)
  }

  const callerId = request.callerType ?? 'main'
  const callerPlugin = request.callerType?.includes(':') ? request.callerType.split(':')[0]! : null
  // Private components and a plugin's callers rules concern other plugins; the main thread is the user.
  const crossPlugin = callerPlugin !== null && callerPlugin !== targetPlugin
  const rules = policy.rules.filter((r) => matchesPattern(r.caller, callerId) && matchesPattern(r.target, component.id))
  const denyRule = rules.find((r) => r.action === 'deny')
  if (denyRule) return deny(`policy: a rule in ${denyRule.file} denies ${denyRule.caller} -> ${denyRule.target} (${callerId} -> ${component.id}). Change the rule to allow this call.`)
  const allowed = rules.some((r) => r.action === 'allow')

  if (crossPlugin && !allowed) {
    const declared = component.orchestration?.callable
    const callable = component.callable && (declared !== undefined || policy.defaultCallable || snapshot.plugins.find((p) => p.name === targetPlugin)?.orchestration?.defaults.callable === true)
    if (!callable) return deny(`private: ${component.id} is private to plugin "${targetPlugin}"${callerPlugin ? `; ${callerId} (plugin "${callerPlugin}") may not call it` : ''}. Call a component marked callable, or add an allow rule for this caller in the Switchboard policy.`)
    const callers = snapshot.plugins.find((p) => p.name === targetPlugin)?.orchestration?.callers
    if (callers?.deny.some((rule) => matchesPattern(rule, callerId))) return deny(`policy: plugin "${targetPlugin}" does not accept calls from ${callerId} (callers.deny in its switchboard.json).`)
    if (callers?.allow && !callers.allow.some((rule) => matchesPattern(rule, callerId))) return deny(`policy: plugin "${targetPlugin}" accepts calls only from ${callers.allow.join(', ')} (callers.allow in its switchboard.json); ${callerId} is not one of them.`)
  }

  if (request.callerType) {
    const caller = findComponent(snapshot, request.callerType, 'agent')
    const calls = caller?.orchestration?.calls
    if (calls && !calls.some((pattern) => callTargetMatches(pattern, component))) {
      return deny(`policy: ${caller!.id} declares that it calls only ${calls.join(', ')} (orchestration.calls), not ${component.id}. Add it there if the call is intended.`)
    }
  }
  if (callerPlugin && crossPlugin) {
    const mismatch = snapshot.dependencies.diagnostics.find((d) => d.code === 'DEPENDENCY_VERSION_MISMATCH' && d.message.startsWith(`plugin "${callerPlugin}" needs ${targetPlugin}@`))
    if (mismatch) return deny(`version: ${mismatch.message}`)
  }
  return { allow: true, track: true }
}

// --- internal ---

function findComponent(snapshot: Snapshot, id: string, kind: 'agent' | 'skill') {
  const wanted = (c: { kind: string }) => (kind === 'agent') === (c.kind === 'agent')
  // Claude Code resolves subagent_type case-insensitively; skills by exact id or a 2.1.331 alias.
  return (
    snapshot.components.find((c) => wanted(c) && (c.id === id || c.aliases.includes(id))) ??
    (kind === 'agent' ? snapshot.components.find((c) => wanted(c) && c.id.toLowerCase() === id.toLowerCase()) : undefined)
  )
}

/** An orchestration `calls` entry: `plugin:component`, `plugin:*`, `plugin`, `capability@range`, `*`. */
function callTargetMatches(pattern: string, component: RegistrySnapshot['components'][number]): boolean {
  const capability = /^([a-z0-9-]+)@(.+)$/.exec(pattern)
  if (capability && !pattern.includes(':')) return component.orchestration?.provides.some((p) => p.name === capability[1] && satisfiesCaret(p.version, capability[2]!)) ?? false
  return matchesPattern(pattern, component.id)
}

/** A small semver range check for the hot path (no semver package in hook bundles): ^x.y.z, ~x.y.z, x.y.z, *. */
function satisfiesCaret(version: string, range: string): boolean {
  const parse = (v: string) => v.replace(/^[\^~=v]/, '').split('.').map((n) => Number.parseInt(n, 10) || 0)
  const [a = 0, b = 0, c = 0] = parse(version)
  const [x = 0, y = 0, z = 0] = parse(range)
  if (range === '*' || range === 'x') return true
  const atLeast = a > x || (a === x && (b > y || (b === y && c >= z)))
  if (range.startsWith('^')) return atLeast && (x > 0 ? a === x : y > 0 ? a === 0 && b === y : a === 0 && b === 0 && c === z)
  if (range.startsWith('~')) return atLeast && a === x && b === y
  return a === x && b === y && c === z
}

/**
 * What a call's target names, resolved the way Claude Code resolves it, once, here: every check of
 * the guard, the planner and the trace runs on the resolved identity, never on the spelling a caller
 * chose. A guard that matched spellings could be walked past with `" Alpha_:a"` or full-width letters,
 * which Claude Code still runs as `alpha:a` (docs/claude-code-notes.md "How Claude Code resolves
 * names").
 *
 * - Agent tool `subagent_type`: compared after Unicode NFKC normalisation and lower-casing, with
 *   whitespace, `-` and `_` dropped, on both sides.
 * - Skill tool `skill`: trimmed, a leading `/` dropped; a plugin's command or skill by its full id or
 *   a 2.1.331+ alias, case-insensitively, or by its bare name (without `plugin:`).
 */
import type { Component, PluginRecord, RegistrySnapshot } from '../registry/index.ts'

export type Snapshot = Pick<RegistrySnapshot, 'components' | 'plugins' | 'dependencies'>

export type ResolvedTarget =
  /** A plugin component: every check applies. */
  | { kind: 'component'; component: Component }
  /** Not a plugin component (a built-in agent such as general-purpose, a user or project agent or skill). */
  | { kind: 'outside' }
  /**
   * Reads as a plugin component (it names a plugin) but none is found: a plugin Claude Code does not
   * load, a disabled one, a missing component, or a plugin Switchboard's snapshot does not know.
   */
  | { kind: 'unresolved'; plugin: PluginRecord | undefined; pluginName: string }

export function resolveTarget(snapshot: Snapshot, name: string, tool: 'agent' | 'skill'): ResolvedTarget {
  return tool === 'agent' ? resolveAgent(snapshot, name) : resolveSkill(snapshot, name)
}

/** The component a name reaches by either tool (an agent first, as the Agent tool; else a command or skill). */
export function findComponent(snapshot: Pick<Snapshot, 'components' | 'plugins'>, name: string): Component | undefined {
  for (const tool of ['agent', 'skill'] as const) {
    const resolved = resolveTarget(snapshot as Snapshot, name, tool)
    if (resolved.kind === 'component') return resolved.component
  }
  return undefined
}

/** Claude Code's comparison key for agent types: NFKC, lower case, no whitespace, `-` or `_`. */
export function agentKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s\-_]/gu, '')
}

/** The plugin part of a name as Claude Code would read it (for messages and unresolved targets). */
export function pluginPart(name: string): string | undefined {
  const normalised = name.normalize('NFKC').trim().replace(/^\//, '')
  const colon = normalised.indexOf(':')
  return colon > 0 ? normalised.slice(0, colon) : undefined
}

// --- internal ---

function resolveAgent(snapshot: Snapshot, name: string): ResolvedTarget {
  const key = agentKey(name)
  const agents = snapshot.components.filter((c) => c.kind === 'agent')
  const found = agents.find((c) => c.id === name) ?? agents.find((c) => agentKey(c.id) === key)
  if (found) return { kind: 'component', component: found }
  return unresolvedOrOutside(snapshot, name, (plugin) => agentKey(plugin) === agentKey(pluginPart(name) ?? ''))
}

function resolveSkill(snapshot: Snapshot, name: string): ResolvedTarget {
  const wanted = name.normalize('NFKC').trim().replace(/^\//, '').trim()
  const lower = wanted.toLowerCase()
  const skills = snapshot.components.filter((c) => c.kind !== 'agent')
  const found =
    skills.find((c) => c.id === wanted || c.aliases.includes(wanted)) ??
    skills.find((c) => c.id.toLowerCase() === lower || c.aliases.some((a) => a.toLowerCase() === lower)) ??
    (wanted.includes(':') ? undefined : skills.find((c) => c.name.toLowerCase() === lower))
  if (found) return { kind: 'component', component: found }
  return unresolvedOrOutside(snapshot, wanted, (plugin) => plugin.toLowerCase() === (pluginPart(wanted) ?? '').toLowerCase())
}

function unresolvedOrOutside(snapshot: Snapshot, name: string, samePlugin: (plugin: string) => boolean): ResolvedTarget {
  const pluginName = pluginPart(name)
  if (pluginName === undefined) return { kind: 'outside' }
  const plugin = snapshot.plugins.find((p) => samePlugin(p.name))
  return { kind: 'unresolved', plugin, pluginName: plugin?.name ?? pluginName }
}

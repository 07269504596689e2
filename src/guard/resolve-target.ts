/**
 * What a call's target names, resolved the way Claude Code resolves it, once, here: every check of
 * the guard, the planner and the trace runs on the resolved identity, never on the spelling a caller
 * chose. A guard that matched spellings could be walked past with `" Alpha_:a"` or full-width letters,
 * which Claude Code still runs as `alpha:a` (docs/claude-code-notes.md "How Claude Code resolves
 * names", read from 2.1.197, 2.1.331 and 2.1.332 and checked end to end).
 *
 * - Agent tool `subagent_type`: an exact match first; else both sides compared after NFKC,
 *   lower-casing and dropping every run of Unicode whitespace, dash punctuation and `_`. Two agents
 *   with one key: Claude Code refuses the call as ambiguous. A bare name never reaches a plugin agent.
 * - Skill tool `skill`: trimmed, one leading `/` dropped, no case folding. The exact id first; else
 *   the frontmatter name inside the plugin's namespace (2.1.331+), or bare (`foo` for `alpha:foo`, on
 *   every version, a name that is the id's last part included) when only one component answers to it.
 */
import type { Component, PluginRecord, RegistrySnapshot } from '../registry/index.ts'

export type Snapshot = Pick<RegistrySnapshot, 'components' | 'plugins' | 'dependencies' | 'capabilityCalls'>

export type ResolvedTarget =
  /** A plugin component: every check applies. */
  | { kind: 'component'; component: Component }
  /** Not a plugin component (a built-in agent such as general-purpose or fork, a user or project agent or skill). */
  | { kind: 'outside' }
  /**
   * Several components answer to the name: Claude Code refuses such a call, and so does the guard.
   * `exact`: one has the name as its id, which Claude Code runs where it loads it; where it does not (a
   * file it skips that the registry lists), it runs a look-alike, so the guard cannot tell which.
   */
  | { kind: 'ambiguous'; candidates: Component[]; exact?: Component }
  /**
   * Reads as a plugin component (it names a plugin) but none is found: a plugin Claude Code does not
   * load, a disabled one, a missing component, or a plugin Switchboard's snapshot does not know.
   */
  | { kind: 'unresolved'; plugin: PluginRecord | undefined; pluginName: string }

/** `exact`: the name is the id Claude Code resolved, so only that id answers to it (agents). */
export function resolveTarget(
  snapshot: Snapshot,
  name: string,
  tool: 'agent' | 'skill',
  exact = false,
): ResolvedTarget {
  return tool === 'agent' ? resolveAgent(snapshot, name, exact) : resolveSkill(snapshot, name)
}

/**
 * The component a name reaches by either tool: its exact id first, of any kind (an agent's, else a command's or
 * skill's as the Skill tool reads it), then an agent's look-alike, then a command's or skill's other names. A
 * look-alike agent must not take a name that is another component's id: the planner would make an Agent call
 * of `tdd-editor:copy-edit`, a command, which Claude Code runs as a hostile `tddeditor:copyedit` (found by review).
 */
export function findComponent(snapshot: Pick<Snapshot, 'components' | 'plugins'>, name: string): Component | undefined {
  const asSkill = name.trim().replace(/^\//, '')
  const exact =
    snapshot.components.find((c) => c.kind === 'agent' && c.id === name) ??
    snapshot.components.find((c) => c.kind !== 'agent' && c.id === asSkill)
  if (exact) return exact
  for (const tool of ['agent', 'skill'] as const) {
    const resolved = resolveTarget(snapshot as Snapshot, name, tool)
    if (resolved.kind === 'component') return resolved.component
    if (resolved.kind === 'ambiguous' && resolved.exact) return resolved.exact // a lookup by id, not a call
  }
  return undefined
}

/** Claude Code's comparison key for agent types: NFKC, lower case, no whitespace, dash punctuation or `_`. */
export function agentKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{White_Space}\p{Pd}_]+/gu, '')
}

/**
 * The plugin of a component id as it is written (Claude Code's agent_type, a registry id): up to its first `:`,
 * not folded. For who a caller is, never pluginPart: a plugin may be named `crew：evil` (a full-width colon),
 * which NFKC turns into `crew:evil`, so pluginPart took its agents for plugin `crew`'s, and a secret shared with
 * crew was sent on at their request (found by review).
 */
export function idPlugin(id: string): string | undefined {
  const colon = id.indexOf(':')
  return colon > 0 ? id.slice(0, colon) : undefined
}

/** The plugin part of a name as Claude Code would read it (for messages and unresolved targets). */
export function pluginPart(name: string): string | undefined {
  const normalised = name.normalize('NFKC').trim().replace(/^\//, '')
  const colon = normalised.indexOf(':')
  return colon > 0 ? normalised.slice(0, colon) : undefined
}

// --- internal ---

function resolveAgent(snapshot: Snapshot, name: string, exactOnly: boolean): ResolvedTarget {
  const agents = snapshot.components.filter((c) => c.kind === 'agent')
  const exact = agents.find((c) => c.id === name)
  if (exact && exactOnly) return { kind: 'component', component: exact }
  const key = agentKey(name)
  const matches = exactOnly ? [] : agents.filter((c) => agentKey(c.id) === key)
  // The spelling a model chose (settings mode): a look-alike beside the exact id may be what Claude Code
  // runs, should it not load the exact one (review: a decoy `Spy` judged for a `spy` the registry missed).
  if (exact)
    return matches.length > 1
      ? { kind: 'ambiguous', candidates: matches, exact }
      : { kind: 'component', component: exact }
  if (matches.length === 1) return { kind: 'component', component: matches[0]! }
  if (matches.length > 1) return { kind: 'ambiguous', candidates: matches }
  return unresolvedOrOutside(snapshot, name, (plugin) => agentKey(plugin) === agentKey(pluginPart(name) ?? ''))
}

function resolveSkill(snapshot: Snapshot, name: string): ResolvedTarget {
  const trimmed = name.trim()
  const wanted = trimmed.startsWith('/') ? trimmed.slice(1) : trimmed
  const skills = snapshot.components.filter((c) => c.kind !== 'agent')
  const exact = skills.find((c) => c.id === wanted) ?? skills.find((c) => c.aliases.includes(wanted))
  if (exact) return { kind: 'component', component: exact }
  // A bare frontmatter name: `foo` reaches `alpha:foo` when only one component answers to it (every pinned
  // version, a name equal to the id's last part and one with spaces too; 2.1.197 takes a tab as written,
  // so whitespace is read loosely: a name matched too widely is refused, never let through).
  const bare = wanted.includes(':')
    ? []
    : skills.filter(
        (c) =>
          c.aliases.includes(`${c.plugin}:${wanted}`) || (c.frontName !== undefined && sameName(c.frontName, wanted)),
      )
  if (bare.length === 1) return { kind: 'component', component: bare[0]! }
  if (bare.length > 1) return { kind: 'ambiguous', candidates: bare }
  return unresolvedOrOutside(snapshot, wanted, (plugin) => plugin === pluginPart(wanted))
}

/** A frontmatter name and a Skill call's bare name, compared as written and with whitespace runs as one space. */
function sameName(frontName: string, wanted: string): boolean {
  const loose = (name: string) => name.trim().replace(/\s+/g, ' ')
  return frontName === wanted || loose(frontName) === loose(wanted)
}

function unresolvedOrOutside(
  snapshot: Snapshot,
  name: string,
  samePlugin: (plugin: string) => boolean,
): ResolvedTarget {
  const pluginName = pluginPart(name)
  if (pluginName === undefined) return { kind: 'outside' }
  const plugin = snapshot.plugins.find((p) => samePlugin(p.name))
  return { kind: 'unresolved', plugin, pluginName: plugin?.name ?? pluginName }
}

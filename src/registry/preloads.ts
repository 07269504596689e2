/**
 * What an agent's `skills:` entry loads into its first request, as Claude Code resolves it (probed on
 * 2.1.197 and 2.1.332, and read from both binaries; docs/claude-code-notes.md "Paths a call can take"):
 * 1. a command or skill whose name is the entry exactly: its id, its alias (2.1.331+), or its frontmatter
 *    name as written (2.1.197), the first in Claude Code's load order;
 * 2. else the agent's own plugin's `<plugin>:<entry>`;
 * 3. else the first whose id ends with `:<entry>` (`rules` and `sub:rules` reach `vault:sub:rules`).
 * No case folding, no leading `/`. Load order is Claude Code's to choose, so every component a step may
 * reach is returned, under either version's rules. Pure: the registry warns authors with it and the guard (both runtimes) checks calls.
 */
import type { Component, PluginRecord } from './model.ts'

function preloadTargets(components: readonly Component[], name: string, agentPlugin: string): Component[] {
  const skills = components.filter((c) => c.kind !== 'agent')
  // Each version stops at its own first step that matches; one version's match must not hide what the
  // other's later step reaches (a decoy named to match one rule only, found by review): both, joined.
  const reached = new Set([
    ...resolveAs(skills, name, agentPlugin, false),
    ...resolveAs(skills, name, agentPlugin, true),
  ])
  return skills.filter((c) => reached.has(c))
}

/** The steps as one version takes them: 2.1.331+ knows aliases, 2.1.197 frontmatter names instead. */
function resolveAs(skills: readonly Component[], name: string, agentPlugin: string, aliases: boolean): Component[] {
  const namedBy = (c: Component, wanted: string) => c.id === wanted || (aliases && c.aliases.includes(wanted))
  // A claimed name (`name: other:thing`) is a frontmatter name, so rawName covers it.
  const exact = skills.filter((c) => namedBy(c, name) || (!aliases && rawName(c) === name))
  if (exact.length > 0) return exact
  const owned = skills.filter((c) => c.plugin === agentPlugin && namedBy(c, `${agentPlugin}:${name}`))
  if (owned.length > 0) return owned
  const suffix = `:${name}`
  return skills.filter((c) => c.id.endsWith(suffix) || (aliases && c.aliases.some((alias) => alias.endsWith(suffix))))
}

/** A `skills:` entry as written, and a command or skill of another plugin it may load. */
export interface Preload {
  name: string
  skill: Component
}

/** What an agent's `skills:` may load from other plugins (its own plugin's are no call between plugins). */
export function crossPluginPreloads(components: readonly Component[], agent: Component): Preload[] {
  if (agent.kind !== 'agent') return []
  return (agent.preloads ?? []).flatMap((name) =>
    preloadTargets(components, name, agent.plugin)
      .filter((skill) => skill.plugin !== agent.plugin)
      .map((skill) => ({ name, skill })),
  )
}

/**
 * Entries of an agent's `skills:` that may name what the registry never read: a component of another
 * plugin read only in part (its scan limits). One whose plugin part names such a plugin, or that reaches
 * nothing read, while one is partly read (a bare name reaches any plugin's). Found by review: a Skill call
 * to such a component was refused, its preload passed.
 */
export function unreadPreloads(
  components: readonly Component[],
  plugins: ReadonlyArray<Pick<PluginRecord, 'name' | 'scanLimit' | 'loaded'>>,
  agent: Component,
): Array<{ name: string; plugin: string; why: string }> {
  const partly = plugins.filter((p) => p.scanLimit && p.loaded && p.name !== agent.plugin)
  if (agent.kind !== 'agent' || partly.length === 0) return []
  return (agent.preloads ?? []).flatMap((name) => {
    const plugin =
      partly.find((p) => p.name === name.split(':')[0]) ??
      (preloadTargets(components, name, agent.plugin).length === 0 ? partly[0] : undefined)
    return plugin ? [{ name, plugin: plugin.name, why: plugin.scanLimit ?? '' }] : []
  })
}

/** The name 2.1.197 knows a command or skill by: its frontmatter name (a skill's is its id's last part where it has none). */
function rawName(component: Component): string | undefined {
  if (component.frontName !== undefined) return component.frontName
  return component.kind === 'skill' ? component.id.slice(component.id.lastIndexOf(':') + 1) : undefined
}

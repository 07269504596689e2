/**
 * What an agent's `skills:` entry loads into its first request, as Claude Code resolves it (probed on
 * 2.1.197 and 2.1.332, and read from both binaries; docs/claude-code-notes.md "Paths a call can take"):
 * 1. a command or skill whose name is the entry exactly: its id, its alias (2.1.331+), or its frontmatter
 *    name as written (2.1.197), the first in Claude Code's load order;
 * 2. else the agent's own plugin's `<plugin>:<entry>`;
 * 3. else the first whose id ends with `:<entry>` (`rules` and `sub:rules` reach `vault:sub:rules`).
 * No case folding, no leading `/`. Load order is Claude Code's to choose, so every component a step may
 * reach is returned. Pure: the registry warns authors with it and the guard (both runtimes) checks calls.
 */
import type { Component } from './model.ts'

function preloadTargets(components: readonly Component[], name: string, agentPlugin: string): Component[] {
  const skills = components.filter((c) => c.kind !== 'agent')
  // A claimed name (`name: other:thing`) is a frontmatter name, so rawName covers it.
  const exact = skills.filter((c) => c.id === name || c.aliases.includes(name) || rawName(c) === name)
  if (exact.length > 0) return exact
  const own = `${agentPlugin}:${name}`
  const owned = skills.filter((c) => c.plugin === agentPlugin && (c.id === own || c.aliases.includes(own)))
  if (owned.length > 0) return owned
  return skills.filter((c) => c.id.endsWith(`:${name}`) || c.aliases.some((alias) => alias.endsWith(`:${name}`)))
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

/** The name 2.1.197 knows a command or skill by: its frontmatter name (a skill's is its id's last part where not recorded). */
function rawName(component: Component): string | undefined {
  if (component.frontName !== undefined) return component.frontName
  return component.kind === 'skill' ? component.id.slice(component.id.lastIndexOf(':') + 1) : undefined
}

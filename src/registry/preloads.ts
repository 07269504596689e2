/**
 * What an agent's `skills:` entry loads into its first request, as Claude Code resolves it (probed on
 * 2.1.197 and 2.1.332, docs/claude-code-notes.md "Paths a call can take"): a command or skill by its
 * exact id or frontmatter alias, no case folding and no leading `/`; else, for a bare name, the first
 * plugin in Claude Code's load order that has one by that name, the agent's own plugin not first. Load
 * order is Claude Code's to choose, so every component a bare name may reach is returned. Pure: the
 * registry warns authors with it and the guard (both runtimes) checks calls with it.
 */
import type { Component } from './model.ts'

export function preloadTargets(components: readonly Component[], name: string): Component[] {
  const skills = components.filter((c) => c.kind !== 'agent')
  const exact = skills.filter((c) => c.id === name || c.aliases.includes(name))
  if (exact.length > 0 || name.includes(':')) return exact
  return skills.filter((c) => c.id === `${c.plugin}:${name}` || c.aliases.includes(`${c.plugin}:${name}`))
}

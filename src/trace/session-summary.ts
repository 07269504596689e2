/**
 * What the model is told at session start: which components other plugins can call, how, and what
 * is broken. Compact (it costs context on every session) and capped well under the 10,000-character
 * limit of hook output.
 */
import { inert, shownId } from '../common/core.ts'
import type { RegistrySnapshot } from '../registry/snapshot-format.ts'

const MAX_CHARS = 3_000

export function sessionSummary(
  snapshot: Pick<RegistrySnapshot, 'plugins' | 'components' | 'dependencies'>,
): string | undefined {
  const callable = snapshot.components.filter((c) => c.callable && c.invocable && c.plugin !== 'switchboard')
  const notLoaded = snapshot.plugins.filter((p) => !p.loaded)
  const dependencyProblems = snapshot.dependencies.diagnostics.filter(
    (d) => d.severity === 'error' && d.code !== 'DEPENDENCY_MISSING',
  )
  if (callable.length === 0 && notLoaded.length === 0 && dependencyProblems.length === 0) return undefined
  const plugins = new Set(callable.map((c) => c.plugin)).size
  // Ids, plugin names and messages come from others' files, and this text is read line by line: inert,
  // and ids quoted where they could read as prose.
  const agents = callable.filter((c) => c.kind === 'agent').map((c) => shownId(c.id))
  const skills = callable.filter((c) => c.kind !== 'agent').map((c) => shownId(c.id))
  const lines = [`Switchboard: ${callable.length} components of ${plugins} plugins can be called across plugins.`]
  if (agents.length) lines.push(`Agents (Agent tool, subagent_type): ${agents.join(', ')}.`)
  if (skills.length) lines.push(`Commands and skills (Skill tool, skill): ${skills.join(', ')}.`)
  for (const plugin of notLoaded)
    lines.push(`Not loaded by Claude Code: ${shownId(plugin.name)} (${inert(plugin.loadError ?? '')}).`)
  // Missing dependencies already show as plugins not loaded; mismatches and cycles do not.
  for (const problem of dependencyProblems) lines.push(`Dependency problem: ${inert(problem.message)}`)
  // Read by the model, which cannot run /switchboard:plugins (the person's command): name its tools.
  lines.push('Details: the registry_search and describe tools of the switchboard MCP server.')
  const text = lines.join('\n')
  return text.length <= MAX_CHARS
    ? text
    : `${lines[0]}\n${agents.length} agents and ${skills.length} commands and skills; /switchboard:plugins lists them.`
}

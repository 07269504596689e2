/** `switchboard deps`: each plugin's dependencies, what is wrong with them, and the load order. */
import { inert } from '../common/index.ts'
import { formatDependency } from '../resolve/index.ts'
import { activePlugin, buildRegistry } from '../registry/index.ts'
import { registryOptionsOf } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { formatDiagnostics } from './format.ts'

export function run(context: CommandContext): CommandResult {
  const registry = buildRegistry(registryOptionsOf(context))
  const report = registry.dependencies
  const problems = report.diagnostics
  // Plugins Claude Code refuses for their dependencies are listed too: those are the ones to fix.
  const withDeps = registry.plugins.filter((p) => p.dependencies.length > 0 && (p.loaded || p.loadError !== null))
  // A dependency list that does not parse (a range such as ^1.0.x.y, or a map) refuses the plugin before any is read.
  const unreadable = registry.diagnostics.filter(
    (d) => d.code === 'PLUGIN_NOT_LOADED' && (d.path === 'dependencies' || d.path?.startsWith('dependencies.')),
  )
  const lines: string[] = []
  if (withDeps.length === 0 && unreadable.length === 0)
    lines.push(`No plugin declares dependencies (${registry.plugins.filter((p) => p.loaded).length} loaded).`)
  for (const plugin of withDeps) {
    // Names, versions and messages come from others' plugin.json files: inert (common/inert.ts).
    const refused = plugin.loaded ? '' : ` (Claude Code does not load it: ${inert(plugin.loadError ?? '')})`
    lines.push(`${inert(plugin.name)}${plugin.version ? ` ${inert(plugin.version)}` : ''} needs:${refused}`)
    plugin.dependencies.forEach((dep, index) => {
      // The dependency report's problems, and the manifest's own (a range written where a marketplace goes).
      const problem = [...problems, ...registry.diagnostics].find(
        (d) => d.file === (plugin.manifestFile ?? plugin.root) && d.path === `dependencies.${index}`,
      )
      const target = activePlugin(registry.plugins, dep.name)
      const status = problem
        ? `${problem.severity.toUpperCase()}: ${inert(problem.message)}`
        : `ok (${inert(target?.version ?? 'no version')})`
      lines.push(`  ${inert(formatDependency(dep))}  ${status}`)
    })
  }
  for (const cycle of report.cycles) lines.push(`cycle: ${cycle.map(inert).join(' -> ')}`)
  // Plugins in a cycle, or refused for a dependency, are loaded by Claude Code in no order at all.
  const refused = new Set([...report.cycles.flat(), ...registry.plugins.filter((p) => !p.loaded).map((p) => p.name)])
  const order = report.loadOrder.filter((name) => !refused.has(name))
  lines.push(
    '',
    `Load order: ${order.map(inert).join(', ') || '(none)'}${refused.size ? ` (not loaded: ${[...refused].sort().map(inert).join(', ')})` : ''}`,
  )
  const failures = [...unreadable, ...problems.filter((d) => d.severity === 'error')]
  if (failures.length) lines.push('', formatDiagnostics(failures, context.cwd))
  return {
    data: {
      dependencies: Object.fromEntries(withDeps.map((p) => [p.name, p.dependencies])),
      problems: [...unreadable, ...problems],
      cycles: report.cycles,
      loadOrder: report.loadOrder,
    },
    text: lines.join('\n'),
    exitCode: failures.length > 0 ? 1 : 0,
  }
}

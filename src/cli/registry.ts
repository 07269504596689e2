/** `switchboard registry`: every component, under the id Claude Code uses. */
import { buildRegistry } from '../registry/index.ts'
import { registryOptionsOf } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { countBySeverity, plural, table } from './format.ts'

export function run(context: CommandContext): CommandResult {
  const registry = buildRegistry(registryOptionsOf(context))
  const counts = countBySeverity(registry.diagnostics)
  const loaded = registry.plugins.filter((p) => p.loaded && p.enabled).length
  const summary = `${plural(registry.components.length, 'component')} in ${plural(loaded, 'plugin')}` +
    (counts.error + counts.warning > 0 ? `; ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')} (run \`switchboard doctor\` for details)` : '')
  const rows = registry.components.map((c) => [c.id, c.kind, c.model ?? '-', summariseTools(c.tools), c.callable ? 'yes' : 'no', c.description])
  const text = registry.components.length === 0
    ? `No plugins found. ${summary}.\nInstall plugins with \`claude plugin install\`, or pass --plugin-dir / --marketplace-root.`
    : `${table(['ID', 'KIND', 'MODEL', 'TOOLS', 'CALLABLE', 'DESCRIPTION'], rows)}\n\n${summary}`
  return {
    data: registry.components,
    text,
    ...(context.values.json ? { stderr: `switchboard registry: ${summary}` } : {}),
    exitCode: counts.error > 0 ? 1 : 0,
  }
}

// --- internal ---

function summariseTools(tools: string[] | null): string {
  if (tools === null) return 'all'
  if (tools.length === 0) return 'none'
  const shown = tools.slice(0, 3).map((t) => (t.length > 16 ? `${t.slice(0, 15)}…` : t)).join(',')
  return tools.length > 3 ? `${shown},+${tools.length - 3}` : shown
}

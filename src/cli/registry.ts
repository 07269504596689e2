/** `switchboard registry`: every component, under the id Claude Code uses. */
import { inert, inertJson, shownId } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { isJsonSchema } from '../manifest/index.ts'
import type { Contract } from '../manifest/index.ts'
import { buildRegistry, callerDescription } from '../registry/index.ts'
import type { Component, PluginRecord } from '../registry/index.ts'
import { registryOptionsOf } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { countBySeverity, plural, table } from './format.ts'
import { pluginWorkflowProblems } from './registry-checks.ts'

export function run(context: CommandContext): CommandResult {
  const registry = buildRegistry(registryOptionsOf(context))
  // The plugins' own workflows count too, as `check` and `doctor` count them: a file that does not parse is an error.
  const counts = countBySeverity([...registry.diagnostics, ...pluginWorkflowProblems(registry.plugins)])
  const loaded = registry.plugins.filter((p) => p.loaded && p.enabled).length
  const summary =
    `${plural(registry.components.length, 'component')} in ${plural(loaded, 'plugin')}` +
    (counts.error + counts.warning > 0
      ? `; ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')} (run \`switchboard doctor\` for details)`
      : '')
  if (context.values.callable)
    return callableListing(
      registry.components.filter((c) => c.callable && c.invocable && c.plugin !== 'switchboard'),
      summary,
      counts.error,
      registry.plugins,
    )
  const rows = registry.components.map((c) => [
    c.id,
    c.kind,
    c.model ?? '-',
    summariseTools(c.tools),
    c.callable ? 'yes' : 'no',
    c.description,
  ])
  const text =
    registry.components.length === 0
      ? `No plugins found. ${summary}.\n${whyEmpty(registry.diagnostics) ?? 'Install plugins with `claude plugin install`, or pass --plugin-dir / --marketplace-root.'}`
      : `${table(['ID', 'KIND', 'MODEL', 'TOOLS', 'CALLABLE', 'DESCRIPTION'], rows)}${workflowLines(registry.plugins)}\n\n${summary}`
  return {
    data: registry.components,
    text,
    ...(context.values.json ? { stderr: `switchboard registry: ${summary}` } : {}),
    exitCode: counts.error > 0 ? 1 : 0,
  }
}

// --- internal ---

/** What other plugins can call, with how to call each and its input and output contracts. */
function callableListing(
  components: Component[],
  summary: string,
  errors: number,
  plugins: readonly PluginRecord[],
): CommandResult {
  const callersOf = (c: Component) => plugins.find((p) => p.name === c.plugin && p.loaded)?.orchestration?.callers
  const blocks = components.map((c) => {
    const o = c.orchestration
    // Ids, descriptions and contracts are others' text: inert (common/inert.ts), one line each, and ids
    // quoted where they could read as prose, as the SessionStart summary lists them (common/inert.ts shownId).
    const quoted = inertJson(c.id)
    const lines = [
      `${shownId(c.id)}  (${c.kind}; ${c.kind === 'agent' ? `Agent tool, subagent_type ${quoted}` : `Skill tool, skill ${quoted}`})`,
      `  ${inert(callerDescription(c).replace(/\s+/g, ' ').slice(0, 160))}`,
    ]
    if (o?.input !== undefined) lines.push(`  input:  ${contractLine(o.input)}`)
    if (o?.output !== undefined) lines.push(`  output: ${contractLine(o.output)}`)
    if (o?.provides.length)
      lines.push(`  provides: ${o.provides.map((p) => inert(`${p.name}@${p.version}`)).join(', ')}`)
    // The slots a caller fills before the call ($slot arguments) and may store its return into (--into).
    if (o?.context && (o.context.reads.length > 0 || o.context.writes.length > 0))
      lines.push(`  context: reads ${o.context.reads.join(', ') || '-'}; writes ${o.context.writes.join(', ') || '-'}`)
    // Who may call it, where its plugin says (switchboard.json): listed without it, it read as open to every plugin
    // (found by a newcomer). The main conversation may call it either way.
    const callers = callersOf(c)
    if (callers?.allow)
      lines.push(`  callers: only ${callers.allow.map((rule) => inert(rule)).join(', ') || 'none'} (and main)`)
    if (callers?.deny.length) lines.push(`  callers: not ${callers.deny.map((rule) => inert(rule)).join(', ')}`)
    return lines.join('\n')
  })
  // The count is of what is listed (as SessionStart words it); the registry's own count follows.
  const pluginCount = new Set(components.map((c) => c.plugin)).size
  const listed = `${plural(components.length, 'component')} of ${plural(pluginCount, 'plugin')} can be called across plugins`
  const text =
    blocks.length === 0
      ? `Nothing can be called across plugins yet. ${summary}.${workflowLines(plugins)}`
      : `${blocks.join('\n\n')}${workflowLines(plugins)}\n\n${listed} (the registry: ${summary}).\nCall one with /switchboard:invoke <id> key=value ... [--into slot].`
  // --json says it too, as each component's `callers` (its plugin's switchboard.json), where the plugin names them.
  const data = components.map((c) => {
    const callers = callersOf(c)
    return callers ? { ...c, callers } : c
  })
  return { data, text, exitCode: errors > 0 ? 1 : 0 }
}

/** The loaded plugins' workflows, each with its description: how a person finds what /switchboard:run takes. */
function workflowLines(plugins: readonly PluginRecord[]): string {
  const lines = plugins
    .filter((p) => p.loaded && p.enabled)
    .flatMap((p) => p.workflows ?? [])
    .map((w) => {
      const description = (w.document as { description?: unknown } | undefined)?.description
      const said = typeof description === 'string' ? description.replace(/\s+/g, ' ').slice(0, 160) : w.problem
      // Ids and descriptions are others' text: inert (common/inert.ts).
      return `  ${inert(w.id)}${said ? `  ${inert(said)}` : ''}`
    })
  return lines.length === 0
    ? ''
    : `\n\nWorkflows (run one with /switchboard:run <id>, check it with switchboard workflow check <id>):\n${lines.join('\n')}`
}

/** A contract in one line: `content (markdown), style? (flat|sketch)` for a field map, else the short type or "JSON Schema". */
function contractLine(contract: Contract): string {
  if (typeof contract === 'string') return inert(contract)
  if (isJsonSchema(contract)) return `JSON Schema ${inertJson(contract).slice(0, 120)}`
  return Object.entries(contract)
    .map(([field, type]) =>
      inert(
        typeof type === 'string'
          ? `${field}${type.endsWith('?') ? '?' : ''} (${type.replace(/\?$/, '')})`
          : `${field} (schema)`,
      ),
    )
    .join(', ')
}

function summariseTools(tools: string[] | null): string {
  if (tools === null) return 'all'
  if (tools.length === 0) return 'none'
  const shown = tools
    .slice(0, 3)
    .map((t) => (t.length > 16 ? `${t.slice(0, 15)}…` : t))
    .join(',')
  return tools.length > 3 ? `${shown},+${tools.length - 3}` : shown
}

/** The folder problems that leave a listing empty (a misspelt --plugin-dir, a folder of plugins), in their words. */
function whyEmpty(diagnostics: Diagnostic[]): string | undefined {
  const folders = diagnostics.filter((d) => ['PLUGIN_DIR_MISSING', 'PLUGIN_DIR_HOLDS_PLUGINS'].includes(d.code))
  return folders.length > 0 ? folders.map((d) => `${inert(d.file)}: ${inert(d.message)}`).join('\n') : undefined
}

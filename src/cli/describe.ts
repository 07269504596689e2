/** `switchboard describe <plugin:component>`: one component in full, with its contracts expanded. */
import { contractToJsonSchema } from '../manifest/index.ts'
import { buildRegistry } from '../registry/index.ts'
import { positionals, registryOptionsOf, UsageError } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { displayPath, formatDiagnostics } from './format.ts'

export function run(context: CommandContext): CommandResult {
  const [id = ''] = positionals(context, ['plugin:component'])
  if (!id.includes(':')) throw new UsageError(`"${id}" is not a component id; write <plugin>:<component>, e.g. code-review:reviewer`)
  const registry = buildRegistry(registryOptionsOf(context))
  const matches = registry.components.filter((c) => c.id === id || c.aliases.includes(id))
  const found = matches.length > 0 ? matches : registry.components.filter((c) => c.id.toLowerCase() === id.toLowerCase())
  if (found.length === 0) {
    const plugin = id.split(':')[0]
    const near = registry.components.filter((c) => c.plugin === plugin).map((c) => c.id)
    const record = registry.plugins.find((p) => p.name === plugin)
    const hint = near.length > 0
      ? `Plugin "${plugin}" has: ${near.join(', ')}.`
      : record && !record.loaded
        ? `Claude Code does not load plugin "${plugin}": ${record.loadError}.`
        : record && !record.enabled
          ? `Plugin "${plugin}" is disabled; enable it with \`claude plugin enable ${record.key}\`.`
          : `No plugin "${plugin}" is loaded; run \`switchboard registry\` to see what is.`
    return { data: null, text: `No component "${id}". ${hint}`, exitCode: 1 }
  }
  const details = found.map((component) => {
    const plugin = registry.plugins.find((p) => p.name === component.plugin)
    const contracts = {
      input: component.orchestration?.input === undefined ? null : contractToJsonSchema(component.orchestration.input),
      output: component.orchestration?.output === undefined ? null : contractToJsonSchema(component.orchestration.output),
    }
    const diagnostics = registry.diagnostics.filter((d) => d.file === component.file)
    return { component, plugin: plugin ?? null, contracts, diagnostics }
  })
  const text = details.map(({ component: c, plugin, contracts, diagnostics }) => {
    const call = c.kind === 'agent' ? `Agent tool, subagent_type: "${c.id}"` : `Skill tool, skill: "${c.id}"`
    const lines = [
      `${c.id}  (${c.kind} of plugin ${c.plugin}${plugin?.version ? ` ${plugin.version}` : ''})`,
      `  description: ${c.description}${c.descriptionFrom === 'placeholder' ? '  (placeholder: no description written)' : ''}`,
      `  call with:   ${call}${c.aliases.length ? `  (also: ${c.aliases.join(', ')})` : ''}`,
      `  listed:      ${c.listed ? 'yes, offered to the model' : c.invocable ? 'no (no description written): callable by exact id only' : 'no (disable-model-invocation)'}`,
      `  callable:    ${c.callable ? 'yes, by other plugins' : 'no, private to its plugin'}`,
      `  tools:       ${c.tools === null ? 'all' : c.tools.length ? c.tools.join(', ') : 'none'}`,
      `  model:       ${c.model ?? 'inherit'}`,
      `  file:        ${displayPath(c.file, context.cwd)}`,
    ]
    if (c.argumentHint) lines.push(`  arguments:   ${c.argumentHint}`)
    const o = c.orchestration
    if (o?.provides.length) lines.push(`  provides:    ${o.provides.map((p) => `${p.name}@${p.version}`).join(', ')}`)
    if (o?.calls) lines.push(`  may call:    ${o.calls.join(', ') || 'nothing'}`)
    if (o?.context) lines.push(`  context:     reads ${o.context.reads.join(', ') || '-'}; writes ${o.context.writes.join(', ') || '-'}`)
    if (contracts.input) lines.push(`  input:       ${JSON.stringify(contracts.input)}`)
    if (contracts.output) lines.push(`  output:      ${JSON.stringify(contracts.output)}`)
    if (diagnostics.length) lines.push('  problems:', ...formatDiagnostics(diagnostics, context.cwd, { include: ['error', 'warning', 'info'] }).split('\n').map((l) => `    ${l}`))
    return lines.join('\n')
  })
  return { data: details.length === 1 ? details[0] : details, text: text.join('\n\n'), exitCode: 0 }
}

/** `switchboard describe <plugin:component>`: one component in full, with its contracts expanded. */
import { inert, inertJson } from '../common/index.ts'
import { contractToJsonSchema } from '../manifest/index.ts'
import { buildRegistry, ownerOf } from '../registry/index.ts'
import type { PluginRecord } from '../registry/index.ts'
import { positionals, registryOptionsOf, UsageError } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { displayPath, formatDiagnostics } from './format.ts'

export function run(context: CommandContext): CommandResult {
  const [id = ''] = positionals(context, ['plugin:component'])
  if (!id.includes(':')) {
    // A bare name (`editor`): the ids of the components of that name, in whatever plugin, are the fix.
    const named = id ? buildRegistry(registryOptionsOf(context)).components.filter((c) => c.name === id) : []
    throw new UsageError(
      `"${inert(id)}" is not a component id; write <plugin>:<component>, ${named.length > 0 ? `e.g. ${named.map((c) => inert(c.id)).join(' or ')}` : 'e.g. code-review:reviewer'}`,
    )
  }
  const registry = buildRegistry(registryOptionsOf(context))
  const matches = registry.components.filter((c) => c.id === id || c.aliases.includes(id))
  const found =
    matches.length > 0 ? matches : registry.components.filter((c) => c.id.toLowerCase() === id.toLowerCase())
  if (found.length === 0) {
    const plugin = id.split(':')[0]
    const near = registry.components.filter((c) => c.plugin === plugin).map((c) => c.id)
    const record = registry.plugins.find((p) => p.name === plugin)
    const workflow = record?.workflows?.find((w) => w.id === id)
    // Everything quoted here was written by others (or typed by the user): inert, see common/inert.ts.
    const hint = workflow
      ? `It is a workflow of plugin "${inert(record!.name)}": \`switchboard workflow plan ${inert(id)}\` shows what it would call, /switchboard:run runs it.`
      : near.length > 0
        ? `Plugin "${inert(plugin ?? '')}" has: ${near.map(inert).join(', ')}.`
        : record && !record.loaded
          ? `Claude Code does not load plugin "${inert(record.name)}": ${inert(record.loadError ?? '')}.`
          : record && !record.enabled
            ? `Plugin "${inert(record.name)}" is disabled; enable it with \`claude plugin enable ${inert(record.key)}\`.`
            : `No plugin "${inert(plugin ?? '')}" is loaded; run \`switchboard registry\` to see what is.`
    return { data: null, text: `No component "${inert(id)}". ${hint}`, exitCode: 1 }
  }
  const details = found.map((component) => {
    const plugin = ownerOf(registry.plugins, component)
    const contracts = {
      input: component.orchestration?.input === undefined ? null : contractToJsonSchema(component.orchestration.input),
      output:
        component.orchestration?.output === undefined ? null : contractToJsonSchema(component.orchestration.output),
    }
    const diagnostics = registry.diagnostics.filter((d) => d.file === component.file)
    return { component, plugin: plugin ?? null, contracts, diagnostics }
  })
  const text = details.map(({ component: c, plugin, contracts, diagnostics }) => {
    const call =
      c.kind === 'agent' ? `Agent tool, subagent_type: "${inert(c.id)}"` : `Skill tool, skill: "${inert(c.id)}"`
    const list = (items: readonly string[]): string => items.map(inert).join(', ')
    const lines = [
      `${inert(c.id)}  (${c.kind} of plugin ${inert(c.plugin)}${plugin?.version ? ` ${inert(plugin.version)}` : ''})`,
      `  description: ${inert(c.description)}${c.descriptionFrom === 'placeholder' ? '  (placeholder: no description written)' : ''}`,
      ...(c.orchestration?.description ? [`  for callers: ${inert(c.orchestration.description)}`] : []),
      `  call with:   ${call}${c.aliases.length ? `  (also: ${list(c.aliases)})` : ''}`,
      `  listed:      ${c.listed ? 'yes, offered to the model' : c.invocable ? 'no (no description written): callable by exact id only' : 'no (disable-model-invocation)'}`,
      `  callable:    ${c.callable ? `yes, by other plugins${callersOf(plugin)}` : 'no, private to its plugin'}`,
      `  tools:       ${c.tools === null ? 'all' : c.tools.length ? list(c.tools) : 'none'}`,
      `  model:       ${inert(c.model ?? 'inherit')}`,
      `  file:        ${inert(displayPath(c.file, context.cwd))}`,
    ]
    if (c.argumentHint) lines.push(`  arguments:   ${inert(c.argumentHint)}`)
    if (c.forkAgent) lines.push(`  runs as:     ${inert(c.forkAgent)} (context: fork; checked as a call it makes)`)
    const o = c.orchestration
    if (o?.provides.length) lines.push(`  provides:    ${list(o.provides.map((p) => `${p.name}@${p.version}`))}`)
    if (o?.calls) lines.push(`  may call:    ${list(o.calls) || 'nothing'}`)
    if (o?.context)
      lines.push(`  context:     reads ${list(o.context.reads) || '-'}; writes ${list(o.context.writes) || '-'}`)
    if (contracts.input) lines.push(`  input:       ${inertJson(contracts.input)}`)
    if (contracts.output) lines.push(`  output:      ${inertJson(contracts.output)}`)
    if (diagnostics.length)
      lines.push(
        '  problems:',
        ...formatDiagnostics(diagnostics, context.cwd, { include: ['error', 'warning', 'info'] })
          .split('\n')
          .map((l) => `    ${l}`),
      )
    return lines.join('\n')
  })
  return { data: details.length === 1 ? details[0] : details, text: text.join('\n\n'), exitCode: 0 }
}

/** `; only by tdd-*` / `; not by evil`: the plugin's callers lists (switchboard.json), which narrow who may call. */
function callersOf(plugin: PluginRecord | null | undefined): string {
  const callers = plugin?.orchestration?.callers
  if (!callers) return ''
  return [
    callers.allow ? `; only by ${callers.allow.map(inert).join(', ')}` : '',
    callers.deny.length ? `; never by ${callers.deny.map(inert).join(', ')}` : '',
  ].join('')
}

/**
 * `switchboard check <plugin-dir>`: lints one plugin the way Claude Code will load it, plus its
 * Switchboard orchestration metadata. Errors break something; warnings are fragile or misleading.
 */
import { existsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { error, hasErrors, inert, info, issueMessage, issuePath, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { MarketplaceEntrySchema } from '../manifest/index.ts'
import { loadPlugin, readMarketplace } from '../registry/index.ts'
import type { Component } from '../registry/index.ts'
import { positionals, UsageError } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { countBySeverity, formatDiagnostics, plural } from './format.ts'
import { pluginWorkflowProblems } from './registry-checks.ts'

export function run(context: CommandContext): CommandResult {
  const [dir = '.'] = positionals(context, ['plugin-dir'])
  const root = resolve(context.cwd, dir)
  if (!existsSync(root)) throw new UsageError(`${inert(root)} does not exist; pass a plugin folder`)
  if (!statSync(root).isDirectory()) {
    // A component file, most likely: its plugin is the nearest folder up that holds .claude-plugin/.
    const plugin = pluginAbove(root)
    throw new UsageError(
      `${inert(root)} is a file; check reads a whole plugin: pass its folder${plugin ? ` (switchboard check ${inert(plugin)})` : ' (the one that holds .claude-plugin/plugin.json)'}`,
    )
  }
  const load = loadPlugin({ root, origin: 'plugin-dir' })
  if (!load.plugin.manifestFile && load.components.length === 0 && !load.plugin.loadError) {
    throw new UsageError(
      `${inert(root)} has no .claude-plugin/plugin.json and no agents, commands or skills; pass a plugin folder`,
    )
  }
  const diagnostics = [
    ...load.diagnostics,
    ...lintMarketplace(root),
    ...load.components.flatMap(lintComponent),
    ...lintCapabilities(load.components),
    // Its workflows as files (the calls they make are checked against what is installed by doctor).
    ...pluginWorkflowProblems([load.plugin]),
  ]
  const counts = countBySeverity(diagnostics)
  const strict = context.values.strict === true
  const verdict = hasErrors(diagnostics)
    ? 'fails'
    : counts.warning > 0
      ? strict
        ? 'fails (--strict counts warnings)'
        : 'passes with warnings'
      : 'passes'
  const text = [
    `${inert(load.plugin.name)}: ${plural(load.components.length, 'component')} (${plural(load.plugin.counts.agents, 'agent')}, ${plural(load.plugin.counts.commands, 'command')}, ${plural(load.plugin.counts.skills, 'skill')})${load.plugin.loaded ? '' : ' - NOT LOADED by Claude Code'}`,
    diagnostics.length
      ? formatDiagnostics(diagnostics, context.cwd, { include: ['error', 'warning', 'info'] })
      : 'No problems found.',
    `check ${verdict}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`,
  ].join('\n\n')
  return {
    data: { plugin: load.plugin, components: load.components.map((c) => c.id), diagnostics },
    text,
    exitCode: counts.error > 0 || (strict && counts.warning > 0) ? 1 : 0,
  }
}

// --- internal ---

/** The nearest folder above `file` that holds `.claude-plugin/`, if any. */
function pluginAbove(file: string): string | undefined {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir))
    if (existsSync(join(dir, '.claude-plugin'))) return dir
  return undefined
}

function lintMarketplace(root: string): Diagnostic[] {
  const marketplace = readMarketplace(root)
  if (!marketplace) return []
  const diagnostics = [...marketplace.diagnostics]
  marketplace.entries.forEach((entry, index) => {
    const parsed = MarketplaceEntrySchema.safeParse(entry)
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        diagnostics.push(
          error(
            'MARKETPLACE_ENTRY_INVALID',
            marketplace.file,
            `${issueMessage(issue)}. Claude Code cannot install this entry.`,
            issuePath(issue, `plugins.${index}`),
          ),
        )
    }
  })
  return diagnostics
}

function lintComponent(component: Component): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  if ((component.kind === 'command' || component.kind === 'skill') && component.invocable && !component.listed) {
    diagnostics.push(
      warning(
        'COMPONENT_NOT_LISTED',
        component.file,
        `${component.kind} "${component.id}" has no description, so Claude Code does not offer it to the model (it is still a slash command). Add "description:" to its frontmatter.`,
        'description',
      ),
    )
  }
  const orchestration = component.orchestration
  if (!orchestration) return diagnostics
  if (!component.callable && orchestration.provides.length > 0) {
    diagnostics.push(
      warning(
        'PRIVATE_PROVIDER',
        component.file,
        `"${component.id}" provides capabilities but is not callable by other plugins, so nobody outside the plugin can use them. Set callable: true or remove "provides".`,
        'orchestration.provides',
      ),
    )
  }
  if (
    component.kind === 'agent' &&
    orchestration.calls?.length &&
    component.tools !== null &&
    !component.tools.some((t) => t === 'Agent' || t === 'Task' || t === 'Skill')
  ) {
    diagnostics.push(
      warning(
        'CALLS_WITHOUT_TOOL',
        component.file,
        `"${component.id}" declares calls but its tools include neither Agent nor Skill, so it cannot call anything. Add Agent (for agents) or Skill (for commands and skills) to tools.`,
        'tools',
      ),
    )
  }
  return diagnostics
}

function lintCapabilities(components: Component[]): Diagnostic[] {
  const seen = new Map<string, Component>()
  const diagnostics: Diagnostic[] = []
  for (const component of components) {
    for (const capability of component.orchestration?.provides ?? []) {
      const key = `${capability.name}@${capability.version}`
      const other = seen.get(key)
      if (other)
        diagnostics.push(
          info(
            'CAPABILITY_PROVIDED_TWICE',
            component.file,
            `${key} is also provided by ${other.id}; callers asking for it will have to choose. Give one of them another version or capability name.`,
            'orchestration.provides',
          ),
        )
      else seen.set(key, component)
    }
  }
  return diagnostics
}

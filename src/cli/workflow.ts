/**
 * `switchboard workflow check <file | plugin:workflow>` and `switchboard workflow plan <file |
 * plugin:workflow> [input=value | input=@file ...]`: a workflow validated against the registry and
 * the policy before anything runs, and the calls a run would make, at zero tokens. The decisions are
 * the core's (src/workflow/core.ts, the same the runtime makes); this adds files, YAML and printing.
 */
import { routeCapability } from '../resolve/index.ts'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { atFile, hasErrors, inert, SwitchboardError } from '../common/index.ts'
import type { Diagnostic, Loaded } from '../common/index.ts'
import { loadPolicy } from '../guard/index.ts'
import { activePlugin, activeWorkflows, buildRegistry, claudeLocations, sessionPluginDirs } from '../registry/index.ts'
import type { PluginRecord, Registry } from '../registry/index.ts'
import {
  checkWorkflow,
  isWorkflowPath,
  MAX_WORKFLOW_BYTES,
  parseWorkflowText,
  planWorkflow,
  readWorkflowFile,
} from '../workflow/index.ts'
import { readArgumentFile, utf8Text } from './argument-file.ts'
import type { Workflow, WorkflowContext } from '../workflow/index.ts'
import { registryOptionsOf, UsageError } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { countBySeverity, displayPath, formatDiagnostics, plural } from './format.ts'
import { renderPlan } from './workflow-plan-text.ts'

export function run(context: CommandContext): CommandResult {
  const [action, spec, ...rest] = context.positionals
  if (action !== 'check' && action !== 'plan')
    throw new UsageError(
      action === undefined
        ? 'missing <check | plan | compile>'
        : action === 'run'
          ? // A run needs Claude Code (its agents make the calls); the CLI only checks and plans.
            'a workflow runs inside Claude Code: type `/switchboard:run <plugin:workflow | path> [input=value ...]` there. Here use check, plan or compile'
          : `unknown action "${inert(action)}"; use check, plan or compile`,
    )
  if (spec === undefined) throw new UsageError('missing <file | plugin:workflow>')
  if (action === 'check' && rest.length > 0)
    throw new UsageError(`unexpected argument "${inert(rest[0]!)}"; check takes no inputs (plan does)`)
  const registry = buildRegistry(registryOptionsOf(context))
  const { file, read } = locate(spec, context, registry)
  const where = displayPath(file, context.cwd)
  if (!read.value) return report(context, where, read.diagnostics, null)
  const workflowContext: WorkflowContext = {
    snapshot: registry,
    route: routeCapability,
    policy: loadPolicy(context.env, claudeLocations(context.env, context.cwd).projectDir),
  }
  const diagnostics = [...read.diagnostics, ...checkWorkflow(read.value, workflowContext)]
  if (action === 'check') return report(context, where, diagnostics, read.value)
  const plan = planWorkflow(read.value, workflowContext, inputValues(rest, context))
  const failed = hasErrors(diagnostics) || plan.problems.length > 0
  return {
    data: { plan, diagnostics },
    text: renderPlan(
      plan,
      where,
      diagnostics.filter((d) => d.severity === 'error').length > 0 ? formatDiagnostics(diagnostics, context.cwd) : '',
    ),
    exitCode: failed ? 1 : 0,
  }
}

// --- internal ---

/**
 * A path (anything with a `/`, or ending in .yaml / .yml), else `plugin:workflow` from the
 * registry's listing of plugins' workflows/ folders, read; and the plugin that ships it, if any (found
 * by id or by path, it is that plugin's: it may act only as main or as its own agents). Run by Claude
 * Code (CLAUDECODE=1), a workflow is read only as Claude Code's Read could read it, as `@file` inputs
 * are (what `check` prints names a file's keys), unless an installed plugin or one of the session's own
 * --plugin-dir plugins ships it: a --plugin-dir or --marketplace-root given to this command makes any
 * folder a plugin, so it vouches for nothing (found by review).
 */
export function locate(
  spec: string,
  context: Pick<CommandContext, 'cwd' | 'env'>,
  registry: Registry,
): { file: string; owner: string | undefined; read: Loaded<Workflow | null> } {
  const found = find(spec, context, registry)
  const plugin = registry.plugins.find((p) => p.name === found.owner)
  if (context.env.CLAUDECODE !== '1' || (plugin && vouchedFor(plugin)))
    return { ...found, read: readWorkflowFile(found.file, found.owner) }
  // Checked, then read as the very file checked (a path swapped for a link between the two is refused).
  const read = readArgumentFile(found.file, { cwd: context.cwd, env: context.env }, MAX_WORKFLOW_BYTES)
  if (!read.ok) throw new SwitchboardError('WORKFLOW_NOT_READABLE', inert(read.reason))
  return { ...found, read: parseWorkflowText(read.text, found.file, found.owner) }
}

/** A plugin the session itself loads: installed and enabled, or one of its own --plugin-dir folders. */
function vouchedFor(plugin: PluginRecord): boolean {
  if (!plugin.loaded || !plugin.enabled) return false
  return (
    plugin.origin === 'installed' ||
    plugin.origin === 'skills-dir' ||
    (plugin.origin === 'plugin-dir' && sessionPluginDirs().includes(plugin.root))
  )
}

function find(
  spec: string,
  context: Pick<CommandContext, 'cwd' | 'env'>,
  registry: Registry,
): { file: string; owner: string | undefined } {
  if (isWorkflowPath(spec)) {
    const file = resolve(context.cwd, spec)
    const owner = activeWorkflows(registry.plugins).find((w) => w.record.file === file)?.plugin
    return { file, owner }
  }
  const [pluginName] = spec.split(':')
  const found = activeWorkflows(registry.plugins).find((w) => w.record.id === spec)
  if (found) return { file: found.record.file, owner: found.plugin }
  const plugin = activePlugin(registry.plugins, pluginName ?? '') ?? registry.plugins.find((p) => p.name === pluginName)
  if (plugin && !plugin.loaded)
    throw new SwitchboardError(
      'WORKFLOW_NOT_FOUND',
      `Claude Code does not load plugin "${inert(plugin.name)}" (${inert(plugin.loadError ?? '')}), so there is no workflow ${inert(spec)}. Fix the plugin (switchboard check ${inert(plugin.root)}).`,
    )
  if (plugin && !plugin.enabled)
    throw new SwitchboardError(
      'WORKFLOW_NOT_FOUND',
      `plugin "${inert(plugin.name)}" is disabled, so there is no workflow ${inert(spec)}. Enable it: claude plugin enable ${inert(plugin.key)}`,
    )
  if (!plugin) {
    // A plugin.json that does not parse names its plugin after its folder: say which were not loaded.
    const refused = registry.plugins.filter((p) => !p.loaded).map((p) => `${p.name} at ${p.root} (${p.loadError})`)
    throw new SwitchboardError(
      'WORKFLOW_NOT_FOUND',
      `no plugin "${inert(pluginName ?? '')}" is loaded, so there is no workflow ${inert(spec)}. Pass the file's path, or the plugin with --plugin-dir.${refused.length > 0 ? ` Claude Code does not load: ${refused.map(inert).join('; ')}.` : ''}`,
    )
  }
  const offered = (plugin.workflows ?? []).map((w) => w.id)
  throw new SwitchboardError(
    'WORKFLOW_NOT_FOUND',
    `plugin "${inert(plugin.name)}" has no workflow "${inert(spec)}". It has: ${offered.map(inert).join(', ') || 'none (workflows/*.yaml)'}.`,
  )
}

/**
 * `name=value` and `name=@file` words → input values. A file is read from the working directory; run by
 * Claude Code (its Bash tool, CLAUDECODE=1) only as Claude Code's Read could read it, as `plan` and
 * `context put` read theirs (cli/argument-file.ts).
 */
export function inputValues(words: string[], context: Pick<CommandContext, 'cwd' | 'env'>): Record<string, string> {
  const values: Record<string, string> = {}
  for (const word of words) {
    const eq = word.indexOf('=')
    if (eq <= 0) throw new UsageError(`"${inert(word)}" is not input=value; write e.g. article=@draft.md or style=flat`)
    const name = word.slice(0, eq)
    if (Object.hasOwn(values, name)) throw new UsageError(`input "${inert(name)}" is given twice; give each input once`)
    const given = atFile(word.slice(eq + 1))
    if ('text' in given) {
      values[name] = given.text
      continue
    }
    const path = given.file
    if (context.env.CLAUDECODE === '1') {
      const read = readArgumentFile(path, { cwd: context.cwd, env: context.env })
      if (!read.ok) throw new UsageError(`input "${inert(name)}": ${inert(read.reason)}`)
      values[name] = read.text
      continue
    }
    try {
      const text = utf8Text(readFileSync(resolve(context.cwd, path)), path)
      if (!text.ok) throw new UsageError(`input "${inert(name)}": ${inert(text.reason.replace(/\.$/, ''))}`)
      values[name] = text.text
    } catch (thrown) {
      if (thrown instanceof UsageError) throw thrown
      throw new UsageError(
        `cannot read ${inert(path)} for input "${inert(name)}" (${inert((thrown as NodeJS.ErrnoException).code ?? (thrown as Error).message)})`,
      )
    }
  }
  return values
}

function report(
  context: CommandContext,
  where: string,
  diagnostics: Diagnostic[],
  workflow: Workflow | null,
): CommandResult {
  const counts = countBySeverity(diagnostics)
  const verdict = counts.error > 0 ? 'fails' : counts.warning > 0 ? 'passes with warnings' : 'passes'
  const steps = workflow ? workflow.waves.reduce((n, w) => n + w.steps.length, 0) : 0
  const head = workflow
    ? `${inert(workflow.name)} (${inert(where)}): ${plural(steps, 'step')} in ${plural(workflow.waves.length, 'wave')}, caller ${inert(workflow.caller)}`
    : `${inert(where)}: fix these first; its calls (targets, kinds, contracts, callers) are checked against the registry once the file reads as a workflow`
  const text = [
    head,
    diagnostics.length > 0
      ? formatDiagnostics(diagnostics, context.cwd, { include: ['error', 'warning', 'info'] })
      : 'No problems found.',
    `workflow check ${verdict}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}`,
  ].join('\n\n')
  return {
    data: { workflow: workflow?.name ?? null, file: where, diagnostics },
    text,
    exitCode: counts.error > 0 ? 1 : 0,
  }
}

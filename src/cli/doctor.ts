/** `switchboard doctor`: where Switchboard looked, what it found, which runtime would run it, and what is wrong. */
import { routeCapability } from '../resolve/index.ts'
import { inert } from '../common/index.ts'
import { buildRegistry, hashKey, isSnapshotFresh, readSnapshot, registryKey, snapshotPath } from '../registry/index.ts'
import { dataDirOf, registryOptionsOf } from './command.ts'
import {
  callersWarnings,
  crossPluginProblems,
  pluginWorkflowProblems,
  policyReport,
  policyRuleWarnings,
} from './registry-checks.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { countBySeverity, displayPath, formatDiagnostics, plural, table } from './format.ts'
import { formatRuntimeReport, runtimeReport, runtimeSources } from './runtime-report.ts'

export function run(context: CommandContext): CommandResult {
  const options = registryOptionsOf(context)
  const registry = buildRegistry(options)
  // The folder the hooks of this copy use (an installed copy's own, not switchboard-inline), as every command finds it.
  const snapshotFile = snapshotPath(dataDirOf(context), hashKey(registryKey(options)))
  const snapshot = readSnapshot(snapshotFile)
  const snapshotState = !snapshot
    ? 'none yet (run `switchboard sync`)'
    : isSnapshotFresh(snapshot)
      ? `fresh, built ${snapshot.builtAt}`
      : 'stale (run `switchboard sync`)'
  const policy = policyReport(context.env, context.cwd)
  const diagnostics = [
    ...registry.diagnostics,
    ...crossPluginProblems(registry),
    ...callersWarnings(registry),
    ...policyRuleWarnings(policy, registry),
    ...pluginWorkflowProblems(registry.plugins, { snapshot: registry, policy, route: routeCapability }),
  ]
  const counts = countBySeverity(diagnostics)
  const notLoaded = registry.plugins.filter((p) => !p.loaded)
  const runtime = runtimeReport(runtimeSources(context.env, context.cwd, dataDirOf(context), () => registry.plugins))
  const sections = [
    'Where Switchboard looked:',
    table(
      ['WHAT', 'PATH', 'FOUND'],
      registry.searched.map((s) => [s.what, displayPath(s.path, context.cwd), s.found]),
    ),
    '',
    'Plugins:',
    registry.plugins.length
      ? table(
          ['PLUGIN', 'KEY', 'VERSION', 'ORIGIN', 'STATE', 'AGENTS/COMMANDS/SKILLS'],
          registry.plugins.map((p) => [
            p.name,
            p.key,
            p.version ?? '-',
            p.origin,
            !p.loaded ? 'NOT LOADED' : p.enabled ? 'enabled' : 'disabled',
            `${p.counts.agents}/${p.counts.commands}/${p.counts.skills}`,
          ]),
        )
      : '(none)',
    '',
    `Snapshot: ${inert(displayPath(snapshotFile, context.cwd))}: ${inert(snapshotState)}`,
    '',
    `Policy: ${
      policy.files.length === 0
        ? 'no policy file (defaults)'
        : policy.files.map((f) => inert(displayPath(f, context.cwd))).join(', ')
    }; ${policy.strict ? 'strict' : 'not strict'}, depth ${policy.maxDepth}, ${plural(policy.maxCallsPerChain, 'call')} a chain, ${plural(policy.rules.length, 'rule')}`,
    ...policy.problems.map(
      (problem) => `  error POLICY_INVALID: ${inert(problem)} Until it is fixed every cross-plugin call is denied.`,
    ),
    '',
    counts.error + counts.warning === 0
      ? 'No problems found in plugins.'
      : `Problems (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}):`,
  ]
  const listed = formatDiagnostics(diagnostics, context.cwd)
  if (listed) sections.push(listed)
  if (notLoaded.length)
    sections.push(
      '',
      `Claude Code will not load: ${notLoaded.map((p) => inert(`${p.name} (${p.loadError})`)).join('; ')}`,
    )
  sections.push('', ...formatRuntimeReport(runtime).map((line) => inert(line)))
  return {
    data: {
      searched: registry.searched,
      plugins: registry.plugins,
      snapshot: { file: snapshotFile, state: snapshotState },
      runtime,
      policy,
      diagnostics,
    },
    text: sections.join('\n').trimEnd(),
    exitCode: counts.error > 0 || policy.problems.length > 0 ? 1 : 0,
  }
}

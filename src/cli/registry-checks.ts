/**
 * What `switchboard doctor` checks across plugins, where one plugin's `check` cannot see: the calls a
 * component declares against what is installed, capabilities two components offer at one version,
 * plugin workflows against the registry, and the policy files every call is judged by; and what
 * `check` reads of one plugin's workflows. Each finding names the file and the fix.
 */
import { error, nearest, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { denyPatternMatches, findComponent, loadPolicy, matchesPattern } from '../guard/index.ts'
import type { Policy } from '../guard/index.ts'
import { join } from 'node:path'
import { PLUGIN_ORCHESTRATION_FILE } from '../manifest/index.ts'
import { claudeLocations } from '../registry/index.ts'
import { isCapabilityRequest } from '../resolve/index.ts'
import type { PluginRecord, Registry } from '../registry/index.ts'
import { checkWorkflow, parseWorkflow } from '../workflow/index.ts'
import type { WorkflowContext } from '../workflow/index.ts'

/** Calls to nothing installed, and capability versions offered twice. */
export function crossPluginProblems(registry: Registry): Diagnostic[] {
  const problems: Diagnostic[] = []
  const ids = registry.components.map((c) => c.id)
  for (const component of registry.components) {
    for (const [index, target] of (component.orchestration?.calls ?? []).entries()) {
      const path = `orchestration.calls.${index}`
      if (isCapabilityRequest(target)) {
        if ((registry.capabilityCalls[target] ?? []).length === 0)
          problems.push(
            warning(
              'ORCHESTRATION_CALL_UNMATCHED',
              component.file,
              `${component.id} may call ${target}, but no installed component provides that capability in that range, so a call to it is refused. Install a provider, or fix the name or the range.`,
              path,
            ),
          )
        continue
      }
      // As the guard reads the list (decide.ts callTargetMatches): exactly as written. Claude Code would run
      // `Notes:Summarise` as notes:summarise, but an allow-list that opens does not fold (found by a newcomer:
      // doctor found the component by Claude Code's rules, and the guard then refused every call to it).
      if (target === '*' || ids.some((id) => matchesPattern(target, id))) continue
      const plugin = target.split(':')[0]!
      if (!target.includes(':') && registry.plugins.some((p) => p.name === plugin)) continue
      const spelled = findComponent(registry, target)
      if (spelled) {
        problems.push(
          warning(
            'ORCHESTRATION_CALL_SPELLING',
            component.file,
            `${component.id} may call ${target}, but the component is spelled ${spelled.id}, and the guard reads this list exactly as written, so a call to it is refused. Write ${spelled.id}.`,
            path,
          ),
        )
        continue
      }
      const hint = nearest(target, [...ids, ...registry.plugins.map((p) => p.name)])
      problems.push(
        warning(
          'ORCHESTRATION_CALL_UNMATCHED',
          component.file,
          `${component.id} may call ${target}, which is not installed${hint ? ` (did you mean ${hint}?)` : ''}. Fix the name, or install the plugin that has it.`,
          path,
        ),
      )
    }
  }
  const offers = new Map<string, string[]>()
  for (const component of registry.components.filter((c) => c.callable))
    for (const { name, version } of component.orchestration?.provides ?? [])
      offers.set(`${name}@${version}`, [...(offers.get(`${name}@${version}`) ?? []), component.id])
  for (const [capability, providers] of offers)
    if (providers.length > 1)
      problems.push(
        warning(
          'CAPABILITY_AMBIGUOUS',
          registry.components.find((c) => c.id === providers[1])!.file,
          `${providers.join(' and ')} both provide ${capability}, so a request whose best match is that version names no provider and is refused. Give one a different version, or call them by id.`,
          'orchestration.provides',
        ),
      )
  return problems
}

/**
 * Policy rules whose caller or target matches nothing Claude Code loads here: valid (the plugin may be
 * installed later), but a typo in a deny rule (`tdd-desgin`) would otherwise protect nothing unseen.
 */
export function policyRuleWarnings(policy: Policy, registry: Registry): Diagnostic[] {
  const { plugins, ids } = loadedNames(registry)
  const problems: Diagnostic[] = []
  for (const rule of policy.rules) {
    for (const key of ['caller', 'target'] as const) {
      const pattern = rule[key]
      if (pattern === '*' || (pattern === 'main' && key === 'caller')) continue
      const path = `rules.${rule.index ?? '?'}.${key}`
      if (pattern === 'main') {
        problems.push(
          warning(
            'POLICY_RULE_MATCHES_NOTHING',
            rule.file,
            'main is the person, who is never called; this rule does nothing.',
            path,
          ),
        )
        continue
      }
      if (ids.some((id) => matchesPattern(pattern, id))) continue
      const hint = nearest(pattern, pattern.includes(':') ? registry.components.map((c) => c.id) : plugins)
      problems.push(
        warning(
          'POLICY_RULE_MATCHES_NOTHING',
          rule.file,
          `"${pattern}" matches no plugin or component Claude Code loads here${hint ? ` (did you mean ${hint}?)` : ''}, so this ${rule.action} rule does nothing until one is installed. Fix the name if it is a typo.`,
          path,
        ),
      )
    }
  }
  return problems
}

/**
 * A plugin's `callers` lists (switchboard.json) whose names match no plugin or component Claude Code loads here:
 * valid (the caller may be installed later), but a typo in `allow` closes the plugin to the caller meant, and one in
 * `deny` refuses no one (found by a newcomer: `callers.allow: ["publsher"]` passed check and doctor unseen).
 */
export function callersWarnings(registry: Registry): Diagnostic[] {
  const { plugins, ids } = loadedNames(registry)
  return registry.plugins.flatMap((plugin) => {
    const callers = plugin.orchestration?.callers
    if (!callers) return []
    const file = join(plugin.root, '.claude-plugin', PLUGIN_ORCHESTRATION_FILE)
    return (['allow', 'deny'] as const).flatMap((list) =>
      (callers[list] ?? []).flatMap((pattern, index): Diagnostic[] => {
        // As the guard reads each list (decide.ts): deny entries folded as Claude Code compares agent types.
        const matches = list === 'deny' ? denyPatternMatches : matchesPattern
        if (pattern === '*' || pattern === 'main' || ids.some((id) => matches(pattern, id))) return []
        const hint = nearest(pattern, pattern.includes(':') ? registry.components.map((c) => c.id) : plugins)
        const effect =
          list === 'allow'
            ? `lets no one in by it, so "${plugin.name}" stays closed to the caller meant`
            : 'refuses no one'
        return [
          warning(
            'CALLERS_MATCH_NOTHING',
            file,
            `"${pattern}" matches no plugin or component Claude Code loads here${hint ? ` (did you mean ${hint}?)` : ''}: this ${list} entry ${effect} until one is installed. Fix the name if it is a typo.`,
            `callers.${list}.${index}`,
          ),
        ]
      }),
    )
  })
}

/** The policy every call is judged by, as the hooks read it; a problem in it denies every cross-plugin call. */
export function policyReport(env: Readonly<Record<string, string | undefined>>, cwd: string): Policy {
  return loadPolicy(env, claudeLocations(env, cwd).projectDir)
}

/**
 * The plugins' own workflows as `workflow check` reads them: a file that does not parse, a workflow
 * that is wrong, and, given the registry and policy (doctor), what a run would meet.
 */
export function pluginWorkflowProblems(plugins: readonly PluginRecord[], context?: WorkflowContext): Diagnostic[] {
  return plugins.flatMap((plugin) =>
    (plugin.workflows ?? []).flatMap((record): Diagnostic[] => {
      if (record.document === undefined)
        return [error('WORKFLOW_INVALID_YAML', record.file, record.problem ?? 'it was not read.')]
      const read = parseWorkflow(record.document, { file: record.file, name: record.name, plugin: plugin.name })
      if (!read.value || !context) return read.diagnostics
      return [...read.diagnostics, ...checkWorkflow(read.value, context)]
    }),
  )
}

/**
 * What a rule's pattern can match here: the plugins Claude Code loads, and every component id with each such plugin
 * as `<plugin>:` (so a bare plugin name matches a plugin with no components too).
 */
function loadedNames(registry: Registry): { plugins: string[]; ids: string[] } {
  const plugins = registry.plugins.filter((p) => p.loaded && p.enabled).map((p) => p.name)
  return { plugins, ids: [...registry.components.map((c) => c.id), ...plugins.map((name) => `${name}:`)] }
}

/**
 * The registry: every plugin Claude Code would load here, every component under the id Claude Code
 * uses, dependency problems, and the diagnostics of everything read on the way. The heavy side of
 * the domain (globs disks, parses markdown): only the CLI and SessionStart call it; hooks read the
 * snapshot it writes.
 */
import { basename } from 'node:path'
import { error, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { capabilityCallTable, resolveDependencies, unsatisfiedPlugins } from '../resolve/index.ts'
import type { DependencyReport } from '../resolve/index.ts'
import { claudeLocations } from './claude-paths.ts'
import { discoverPlugins } from './discover.ts'
import type { SearchedPlace } from './discover.ts'
import { loadPlugin, pluginIdentity } from './load-plugin.ts'
import type { PluginCandidate, PluginLoad } from './load-plugin.ts'
import type { Component, PluginRecord } from './model.ts'
import { crossPluginPreloads } from './preloads.ts'
import { registryKey } from './registry-key.ts'
import type { RegistryKey, RegistryOptions } from './registry-key.ts'

export { registryKey } from './registry-key.ts'
export type { RegistryOptions } from './registry-key.ts'

export interface Registry {
  /** What was asked for; two registries with the same key describe the same sources. */
  key: RegistryKey
  plugins: PluginRecord[]
  /** Components of plugins that are loaded and enabled, sorted by id. */
  components: Component[]
  dependencies: DependencyReport
  /** The components each capability entry of a `calls` list admits (resolve/capabilities.ts). */
  capabilityCalls: Record<string, string[]>
  diagnostics: Diagnostic[]
  searched: SearchedPlace[]
  /** Every file and folder the registry depends on (for the snapshot's freshness check). */
  watched: string[]
  /**
   * When the build began (Date.now()): a watched path that changed after it may have been read before
   * the change, so the snapshot does not vouch for it (fingerprintOf in snapshot.ts).
   */
  startedAt: number
}

export function buildRegistry(options: RegistryOptions): Registry {
  const startedAt = Date.now()
  const key = registryKey(options)
  const locations = claudeLocations(options.env, options.cwd)
  const discovery = discoverPlugins({
    locations,
    installed: key.installed,
    pluginDirs: key.pluginDirs,
    marketplaceRoots: key.marketplaceRoots,
  })
  const diagnostics = [...discovery.diagnostics]
  const watched = new Set(discovery.watched)
  const plugins: PluginRecord[] = []
  const componentsByPlugin = new Map<PluginRecord, Component[]>()
  const byName = new Map<string, PluginRecord>()

  for (const candidate of discovery.candidates) {
    // Each plugin adds its paths to the registry's set as it reads them: one set, not one per plugin
    // copied into it (measured: about 3% of a build's JavaScript on the corpus).
    const load = loadPluginSafely(candidate, watched)
    // `<name>@skills-dir` is keyed by its plugin.json name, known only once read; false there disables it
    // (probed on 2.1.197 and 2.1.332).
    const setting = candidate.origin === 'skills-dir' ? discovery.enabled.get(load.plugin.key) : undefined
    if (setting !== undefined) load.plugin.enabled = setting
    diagnostics.push(...load.diagnostics)
    const plugin = load.plugin
    const earlier = byName.get(plugin.name)
    // A disabled plugin does not stand in for an enabled one of its name: Claude Code loads the enabled one
    // (foo@a disabled, foo@b enabled: foo@b's components; probed on 2.1.197 and 2.1.332, found by review).
    if (earlier && !earlier.enabled && plugin.loaded && plugin.enabled) byName.delete(plugin.name)
    const first = byName.get(plugin.name)
    if (first && plugin.loaded && plugin.enabled) {
      if (!sharesNamespace(first, plugin)) {
        diagnostics.push(
          warning(
            'PLUGIN_NAME_DUPLICATE',
            plugin.manifestFile ?? plugin.root,
            `plugin "${plugin.name}" at ${plugin.root} has the same name as the one at ${first.root}, which takes precedence (${first.origin}); its components are not listed. Rename one of them or uninstall one.`,
          ),
        )
        continue
      }
      diagnostics.push(sharedNamespace(first, plugin))
    }
    plugins.push(plugin)
    if (!plugin.loaded) continue
    if (!first) byName.set(plugin.name, plugin)
    componentsByPlugin.set(plugin, load.components)
  }

  const active = plugins.filter((p) => p.loaded && p.enabled)
  const nodes = active.map((p) => ({
    name: p.name,
    ...(p.marketplace ? { marketplace: p.marketplace } : {}),
    ...(p.version ? { version: p.version } : {}),
    dependencies: p.dependencies,
    file: p.manifestFile ?? p.root,
    ...(p.origin === 'plugin-dir' ? { folder: p.root } : {}),
  }))
  // Found but not loaded, or disabled: a dependency on one is said as the problem it is, not as one to install.
  const refusedHere = plugins
    .filter((p) => !p.loaded || !p.enabled)
    .map((p) =>
      p.loaded
        ? { name: p.name, where: p.root, why: 'it is disabled', fix: `Enable it: claude plugin enable ${p.key}` }
        : {
            name: p.name,
            where: p.root,
            why: p.loadError ?? 'it failed to load',
            fix: `Fix ${p.name} first (switchboard check ${p.root})`,
          },
    )
  const dependencies = resolveDependencies(nodes, refusedHere)
  diagnostics.push(...dependencies.diagnostics)
  // Claude Code drops a plugin whose dependency is not loaded or is disabled, and every plugin that needs it
  // ("Dependency "x" is disabled — enable it or remove the dependency", 2.1.197 and 2.1.332).
  for (const [name, reason] of unsatisfiedPlugins(nodes, refusedHere)) {
    for (const refused of active.filter((p) => p.name === name)) {
      refused.loaded = false
      refused.loadError = reason
      diagnostics.push(
        error(
          'PLUGIN_NOT_LOADED',
          refused.manifestFile ?? refused.root,
          `Claude Code does not load plugin "${name}": ${reason}. None of its components can be called until then.`,
          'dependencies',
        ),
      )
    }
  }
  const loaded: Component[] = []
  const names = new Set<string>()
  let mayShareIds = false
  for (const [plugin, list] of componentsByPlugin) {
    if (!plugin.loaded || !plugin.enabled) continue
    if (names.has(plugin.name) || plugin.name.includes(':')) mayShareIds = true
    names.add(plugin.name)
    for (const c of list) loaded.push(c)
  }
  const components = mayShareIds ? laterWins(loaded) : loaded
  components.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.kind.localeCompare(b.kind)))
  diagnostics.push(...privateForkAgents(components), ...privatePreloads(components), ...claimedNames(components))
  return {
    key,
    plugins,
    components,
    dependencies,
    capabilityCalls: capabilityCallTable(components),
    diagnostics,
    searched: discovery.searched,
    watched: [...watched], // in the order read, which is deterministic: sorting 100,000 paths cost a 10,000-plugin build about 4%
    startedAt,
  }
}

// --- internal ---

/**
 * Two enabled plugins of one name that Claude Code both loads, into one namespace: two installs (from two
 * marketplaces) or two --plugin-dir folders (2.1.197 and 2.1.332). A --plugin-dir folder instead replaces an
 * installed plugin of its name, and the registry keeps the first of any other pair.
 */
function sharesNamespace(first: PluginRecord, next: PluginRecord): boolean {
  return (
    first.loaded && first.enabled && first.origin === next.origin && ['installed', 'plugin-dir'].includes(next.origin)
  )
}

function sharedNamespace(first: PluginRecord, next: PluginRecord): Diagnostic {
  return warning(
    'PLUGIN_NAME_SHARED',
    next.manifestFile ?? next.root,
    `two enabled plugins are named "${next.name}" (${first.key} at ${first.root}, and ${next.key} here): Claude Code loads both into one namespace, and where both define an id the later one's answers. Switchboard lists both, treats each as the plugin its own components belong to (neither may call the other's private components), and names the install in its messages. Disable or uninstall one unless you mean to run both: claude plugin disable ${next.key}`,
  )
}

/**
 * Of components with one id and kind, the later plugin's. Only plugins sharing a namespace have them:
 * an id starts with its plugin's name and a colon, and one plugin keeps one component per id and kind
 * (load-plugin.ts dedupe), so plugins of distinct names without a colon have none (buildRegistry then
 * skips this: measured, about 1% of a build).
 */
function laterWins(components: Component[]): Component[] {
  // Keyed by id in one map per kind: no key string built per component (measured: about 1% of a build).
  const byKind = { agent: new Map<string, Component>(), command: new Map(), skill: new Map() }
  for (const component of components) byKind[component.kind].set(component.id, component)
  const size = byKind.agent.size + byKind.command.size + byKind.skill.size
  if (size === components.length) return components
  // Sorting follows, so the order here is only the later one's.
  return components.filter((c) => byKind[c.kind].get(c.id) === c)
}

/**
 * A command or skill that runs as another plugin's private agent (`context: fork` with `agent:`): the
 * guard checks that agent as a call the skill makes (guard/decide.ts), so it refuses calls of the skill.
 * Its author hears it here, not first from a refused call.
 */
function privateForkAgents(components: Component[]): Diagnostic[] {
  // Most registries have no forked command or skill: no table of every agent for them.
  if (!components.some((c) => c.forkAgent)) return []
  const agents = new Map(components.filter((c) => c.kind === 'agent').map((c) => [c.id.toLowerCase(), c]))
  return components.flatMap((c) => {
    const agent = c.forkAgent ? agents.get(c.forkAgent.toLowerCase()) : undefined
    if (!agent || agent.plugin === c.plugin || agent.callable) return []
    return [
      warning(
        'FORK_AGENT_PRIVATE',
        c.file,
        `${c.id} runs as ${agent.id} (context: fork), which is private to plugin "${agent.plugin}", so Switchboard refuses calls of ${c.id} unless a policy rule allows ${c.id} -> ${agent.id}. Run it as an agent of your own plugin, or ask "${agent.plugin}" to make ${agent.id} callable.`,
        'agent',
      ),
    ]
  })
}

/**
 * An agent whose `skills:` loads another plugin's private command or skill: the guard checks each as a
 * call the agent makes (guard/decide.ts), so it refuses calls of the agent. Its author hears it here.
 */
function privatePreloads(components: Component[]): Diagnostic[] {
  // A loop over the agents that preload something: three empty arrays per component were a twentieth of
  // a build's allocations (measured).
  const diagnostics: Diagnostic[] = []
  for (const agent of components) {
    if (agent.kind !== 'agent' || agent.preloads === undefined) continue
    for (const { name, skill } of crossPluginPreloads(components, agent)) {
      if (skill.callable) continue
      diagnostics.push(
        warning(
          'PRELOAD_PRIVATE',
          agent.file,
          `${agent.id} loads ${skill.id} as it starts (skills: ${name}), which is private to plugin "${skill.plugin}", so Switchboard refuses calls of ${agent.id} unless a policy rule allows ${agent.id} -> ${skill.id}.${name.includes(':') ? '' : ` A bare name may reach any plugin's ${name}: name your own skill by its full id.`} Load a skill of your own plugin, or ask "${skill.plugin}" to make ${skill.id} callable.`,
          'skills',
        ),
      )
    }
  }
  return diagnostics
}

/** Commands and skills whose frontmatter name claims another namespace (build-component.ts claimedNameOf). */
function claimedNames(components: Component[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  for (const c of components)
    if (c.claimedName)
      diagnostics.push(
        warning(
          'COMPONENT_NAME_CLAIMED',
          c.file,
          `name "${c.claimedName}" is in another plugin's namespace: Claude Code 2.1.197 runs ${c.id} for a call to ${c.claimedName}, before that plugin's own, so Switchboard refuses calls to ${c.claimedName}. Name it without a "plugin:" prefix, e.g. "${c.claimedName.slice(c.claimedName.lastIndexOf(':') + 1)}".`,
          'name',
        ),
      )
  return diagnostics
}

/**
 * One plugin's files must not stop the registry from being built (no snapshot means no guard for
 * any plugin). Reading is bounded (scan-limits.ts); anything still thrown, such as a stack overflow
 * in a parser, leaves this plugin recorded as unread and the others built normally.
 */
function loadPluginSafely(candidate: PluginCandidate, watched: Set<string>): PluginLoad {
  const before = watched.size
  try {
    return loadPlugin(candidate, undefined, watched)
  } catch (thrown) {
    forgetAddedSince(watched, before) // of an unread plugin only its folder is watched
    watched.add(candidate.root)
    const name = basename(candidate.root)
    const reason = `reading it failed: ${(thrown as Error)?.message ?? String(thrown)}`
    const plugin: PluginRecord = {
      ...pluginIdentity(candidate, name),
      version: candidate.installedVersion ?? null,
      description: null,
      enabled: candidate.enabled ?? true,
      loaded: true,
      loadError: null,
      scanLimit: reason,
      manifestFile: null,
      dependencies: [],
      orchestration: { defaults: { callable: false }, components: {} },
      counts: { agents: 0, commands: 0, skills: 0 },
      workflows: [],
    }
    const diagnostic = error(
      'SCAN_LIMIT_REACHED',
      candidate.root,
      `plugin "${name}": ${reason}; none of its components are in the registry, and calls to them are refused. Run \`switchboard check ${candidate.root}\` and report this to Switchboard.`,
    )
    return { plugin, components: [], diagnostics: [diagnostic], watched }
  }
}

/** Removes what was added to the set after it held `size` paths (a set keeps the order of insertion). */
function forgetAddedSince(watched: Set<string>, size: number): void {
  let at = 0
  const added: string[] = []
  for (const path of watched) if (at++ >= size) added.push(path)
  for (const path of added) watched.delete(path)
}

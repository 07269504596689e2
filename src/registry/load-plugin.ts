/**
 * One plugin folder -> its record and components, following Claude Code's loader:
 * plugin.json (or the marketplace entry, or the folder name), marketplace `strict` rules, custom
 * component paths (commands/agents replace the default folder, skills add to it), hooks checks, and
 * Switchboard's own .claude-plugin/switchboard.json.
 */
import type { Dirent } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { duplicateJsonKeys, error, inert, issueMessage, issuePath, quotedExcerpt, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { normaliseDependency, PLUGIN_ORCHESTRATION_FILE, PluginOrchestrationSchema } from '../manifest/index.ts'
import type { PluginOrchestration } from '../manifest/index.ts'
import { checkHooksConfig } from './check-hooks.ts'
import type { Component, PluginRecord } from './model.ts'
import { readJsonFile } from './read-json.ts'
import { noteGap, SCAN_LIMITS, startBudget } from './scan-limits.ts'
import type { ScanBudget, ScanLimits } from './scan-limits.ts'
import { exists, isFile, listFolder } from './scan-components.ts'
import type { FolderListing, ScanState } from './scan-components.ts'
import type { ResolvedManifest } from './resolve-manifest.ts'
import { resolveManifest } from './resolve-manifest.ts'
import { asList, locateComponentPath, scanPluginComponents } from './plugin-components.ts'
import { scanWorkflows } from './scan-workflows.ts'
import { childPath, normalFolder } from './child-path.ts'

/** A plugin folder found by discovery, before it is read. */
export interface PluginCandidate {
  root: string
  origin: PluginRecord['origin']
  /** Install key, `entry@marketplace`; absent for --plugin-dir (Claude Code uses `name@inline`). */
  key?: string
  marketplace?: string
  /** The raw marketplace entry that offers this plugin, and the marketplace.json it is in. */
  entry?: unknown
  entryFile?: string
  /** From enabledPlugins; undefined means the plugin's own defaultEnabled (default true). */
  enabled?: boolean
  installedVersion?: string
  /** The root's entries, where discovery listed them to find it a folder (listPluginFolder). */
  entries?: Dirent[]
}

export interface PluginLoad {
  plugin: PluginRecord
  components: Component[]
  diagnostics: Diagnostic[]
  /** The set the plugin's watched paths were added to, in the order read: its own, or the one passed in. */
  watched: Set<string>
}

/**
 * Reads one plugin within the scan limits. A plugin past a limit is recorded as partly read
 * (`scanLimit`), not as refused: Claude Code has limits of its own and may well load it, so
 * "not loaded" would be untrue. The components found before the limit are listed and guarded as
 * usual; calls to anything else in the plugin are refused, as the guard cannot check them.
 */
export function loadPlugin(
  candidate: PluginCandidate,
  limits: ScanLimits = SCAN_LIMITS,
  watched: Set<string> = new Set(),
): PluginLoad {
  const diagnostics: Diagnostic[] = []
  const budget = startBudget(limits)
  const base = normalFolder(candidate.root)
  const pluginFolder = childPath(base, '.claude-plugin')
  watched.add(candidate.root)
  watched.add(pluginFolder)
  const manifestFile = childPath(pluginFolder, 'plugin.json')
  watched.add(manifestFile)

  // The root's entries, listed once, answer which default folders exist (no stat per folder), and
  // whether .claude-plugin/ is there at all: where it is not, neither file in it is opened (a failed
  // open throws, about five times an existence check's cost).
  const top = listFolder(candidate.root, candidate.entries)
  const noPluginFolder = top.lacks('.claude-plugin')
  const resolved = resolveManifest(candidate, manifestFile, diagnostics, budget, noPluginFolder)
  const name = resolved.manifest?.name ?? resolved.fallbackName
  const orchestration = readPluginOrchestration(pluginFolder, diagnostics, watched, budget, noPluginFolder)
  const state: ScanState = {
    plugin: name,
    pluginOrchestration: orchestration,
    diagnostics,
    components: [],
    watched,
    budget,
  }
  let loadError = resolved.fatal
  let loadErrorFile = resolved.fatalFile
  if (resolved.manifest && !loadError) {
    const hooks = checkHooks(candidate.root, base, top, resolved, diagnostics, watched, budget)
    if (hooks) [loadError, loadErrorFile] = [hooks.fatal, hooks.file]
    else scanPluginComponents(state, candidate.root, top, resolved)
  }
  if (budget.stopped) {
    diagnostics.push(
      error(
        'SCAN_LIMIT_REACHED',
        candidate.root,
        `plugin "${name}": ${budget.stopped}; components past that point are not in the registry, and calls to them are refused. Remove the symlink loop or the extra files (keep agents/, commands/ and skills/ to component files), or see docs/registry.md, Limits.`,
      ),
    )
  }
  // Once per cause: where the manifest's check already said why Claude Code refuses the plugin (with the field),
  // a second error for the same file said it again (found by a newcomer: two errors for one bad name).
  const saidAlready = diagnostics.some(
    (d) => d.code === 'PLUGIN_NOT_LOADED' && d.file === (loadErrorFile ?? manifestFile),
  )
  if (loadError && !saidAlready) {
    diagnostics.push(
      error(
        'PLUGIN_NOT_LOADED',
        loadErrorFile ?? manifestFile,
        `Claude Code does not load plugin "${name}" (${loadError}), so none of its components can be called. Fix the file and run \`claude plugin validate ${candidate.root}\`.`,
      ),
    )
  }
  const components = loadError ? [] : dedupe(state.components, diagnostics)
  if (candidate.origin === 'plugin-dir' && !resolved.hasManifestFile && components.length === 0)
    diagnostics.push(...pluginsInside(candidate.root, top))
  if (!loadError && !budget.stopped)
    diagnostics.push(...unknownComponentBlocks(candidate.root, orchestration, components))
  const manifest = resolved.manifest
  const workflowPaths = manifest?.workflows === undefined ? undefined : asList(manifest.workflows)
  const workflows = loadError
    ? []
    : scanWorkflows(name, candidate.root, top, workflowPaths, budget, watched, diagnostics)
  const identity = pluginIdentity(candidate, name)
  // Written out, not spread: a literal with a spread is built key by key at run time (measured).
  const plugin: PluginRecord = {
    name: identity.name,
    key: identity.key,
    root: identity.root,
    origin: identity.origin,
    marketplace: identity.marketplace,
    version: manifest?.version ?? candidate.installedVersion ?? null,
    description: manifest?.description ?? null,
    enabled: candidate.enabled ?? manifest?.defaultEnabled ?? true,
    loaded: loadError === null,
    loadError,
    scanLimit: budget.stopped ?? budget.gap,
    manifestFile: resolved.hasManifestFile ? manifestFile : null,
    dependencies: (manifest?.dependencies ?? []).map(normaliseDependency),
    orchestration,
    counts: countKinds(components),
    workflows,
  }
  return { plugin, components, diagnostics, watched }
}

/** What a plugin record takes from where the plugin was found: its name, key, folder and origin. */
export function pluginIdentity(
  candidate: PluginCandidate,
  name: string,
): Pick<PluginRecord, 'name' | 'key' | 'root' | 'origin' | 'marketplace'> {
  return {
    name,
    key: candidate.key ?? `${name}@${candidate.origin === 'skills-dir' ? 'skills-dir' : 'inline'}`,
    root: candidate.root,
    origin: candidate.origin,
    marketplace: candidate.marketplace ?? null,
  }
}

// --- internal ---

function countKinds(components: Component[]): PluginRecord['counts'] {
  const counts = { agents: 0, commands: 0, skills: 0 }
  for (const { kind } of components) counts[kind === 'agent' ? 'agents' : kind === 'command' ? 'commands' : 'skills']++
  return counts
}

function checkHooks(
  root: string,
  base: string,
  top: FolderListing,
  resolved: ResolvedManifest,
  diagnostics: Diagnostic[],
  watched: Set<string>,
  budget: ScanBudget,
): { fatal: string; file: string } | null {
  const defaultFile = childPath(childPath(base, 'hooks'), 'hooks.json')
  const configs: Array<{ value: unknown; file: string; inline: boolean }> = []
  // Watched even when absent: a hooks.json added to an existing hooks/ changes no watched folder.
  watched.add(defaultFile)
  if (top.isDirectory('hooks') && isFile(defaultFile)) {
    const read = readJsonFile(defaultFile, 'HOOKS_NOT_LOADED', budget.limits)
    if (read.ok) configs.push({ value: read.value, file: defaultFile, inline: false })
    else if (read.overLimit) hooksOverLimit(read.diagnostic, budget, diagnostics)
    else
      diagnostics.push({
        ...read.diagnostic,
        severity: 'warning',
        message: `${read.diagnostic.message} Claude Code loads the plugin without these hooks (hook-load-failed).`,
      })
  }
  for (const spec of [resolved.own.hooks, resolved.fromEntry.hooks]) {
    for (const item of spec === undefined ? [] : Array.isArray(spec) ? spec : [spec]) {
      const manifestFile = join(root, '.claude-plugin', 'plugin.json')
      if (typeof item !== 'string') {
        configs.push({ value: item, file: manifestFile, inline: true })
        continue
      }
      const file = resolve(root, item)
      if (file === defaultFile) {
        diagnostics.push(
          warning(
            'HOOKS_FILE_DUPLICATE',
            manifestFile,
            'hooks/hooks.json is loaded automatically; listing it in plugin.json "hooks" loads it twice (Claude Code reports "Duplicate hooks file detected"). Remove it from "hooks".',
            'hooks',
          ),
        )
        continue
      }
      const path = locateComponentPath(root, item, 'hooks', manifestFile, diagnostics, watched)
      if (!path) continue
      watched.add(path)
      const read = readJsonFile(path, 'HOOKS_NOT_LOADED', budget.limits)
      if (read.ok) configs.push({ value: read.value, file: path, inline: false })
      else if (read.overLimit) hooksOverLimit(read.diagnostic, budget, diagnostics)
      else diagnostics.push({ ...read.diagnostic, severity: 'warning' })
    }
  }
  for (const config of configs) {
    const verdict = checkHooksConfig(config.value, config.file, config.inline)
    diagnostics.push(...verdict.diagnostics)
    if (verdict.fatal) return { fatal: verdict.fatal, file: config.file }
  }
  return null
}

/**
 * A hooks file past the limits is not checked, so whether Claude Code refuses the plugin for it is
 * unknown; the plugin stays listed as loaded, partly read.
 */
function hooksOverLimit(diagnostic: Diagnostic, budget: ScanBudget, diagnostics: Diagnostic[]): void {
  diagnostics.push(diagnostic)
  noteGap(budget, `${basename(diagnostic.file)} not read: ${diagnostic.message}`)
}

/** `pluginFolder`: the plugin's .claude-plugin folder (normalised). */
function readPluginOrchestration(
  pluginFolder: string,
  diagnostics: Diagnostic[],
  watched: Set<string>,
  budget: ScanBudget,
  noPluginFolder: boolean,
): PluginOrchestration | null {
  const file = childPath(pluginFolder, PLUGIN_ORCHESTRATION_FILE)
  watched.add(file)
  // Most plugins have none: an existence check (scan-components.ts exists) says so without the exception
  // a failed open costs, and the root's listing without even that where it has no .claude-plugin/.
  if (noPluginFolder || !exists(file)) return null
  const read = readJsonFile(file, 'ORCHESTRATION_FILE_INVALID', budget.limits)
  if (!read.ok) {
    if (read.missing) return null // removed between the stat and the read
    diagnostics.push(read.diagnostic)
    return CLOSED_PLUGIN // a policy that is not JSON, or too large to read, must not open anything up
  }
  // JSON keeps a key's last value: `callers` given twice would drop the rules its author read first.
  const twice = duplicateJsonKeys(read.text)
  for (const { path, key } of twice)
    diagnostics.push(
      error(
        'ORCHESTRATION_FILE_INVALID',
        file,
        `${quotedExcerpt(key)} is given twice here, and only the last would apply. Keep one (merge the two). Until this is fixed, the plugin's components are not callable from other plugins.`,
        inert(path ? `${path}.${key}` : key),
      ),
    )
  const parsed = PluginOrchestrationSchema.safeParse(read.value)
  if (parsed.success && twice.length === 0) return parsed.data
  if (parsed.success) return CLOSED_PLUGIN
  for (const issue of parsed.error.issues) {
    diagnostics.push(
      error(
        'ORCHESTRATION_FILE_INVALID',
        file,
        `${issueMessage(issue)}. Until this is fixed, the plugin's components are not callable from other plugins.`,
        issuePath(issue),
      ),
    )
  }
  return CLOSED_PLUGIN
}

/**
 * What a switchboard.json that cannot be read or fails its schema leaves (fail closed): no other plugin
 * may call in until it is fixed, as the diagnostic says, not even a component that says `callable: true`
 * in its own frontmatter (the file's `callers` rules, which may have narrowed that, are unknown).
 */
const CLOSED_PLUGIN: PluginOrchestration = {
  defaults: { callable: false },
  components: {},
  callers: { allow: [], deny: [] },
}

/**
 * A --plugin-dir folder that is no plugin but holds plugins (`--plugin-dir .` in a folder of them):
 * Claude Code loads it as one plugin with no components, and none of those inside.
 */
function pluginsInside(root: string, top: FolderListing): Diagnostic[] {
  const inner = top.names
    .filter((name) => top.isDirectory(name) && isFile(join(root, name, '.claude-plugin', 'plugin.json')))
    .sort()
  if (inner.length === 0) return []
  return [
    warning(
      'PLUGIN_DIR_HOLDS_PLUGINS',
      root,
      `this folder is no plugin but holds ${inner.length} (${inner.slice(0, 3).join(', ')}${inner.length > 3 ? ', …' : ''}); Claude Code loads it as one plugin with no components. Pass each plugin's own folder: --plugin-dir ${join(root, inner[0]!)}.`,
    ),
  ]
}

/**
 * switchboard.json blocks whose name matches no component apply to nothing: a typo there would leave
 * the component it meant with the plugin's defaults, silently.
 */
function unknownComponentBlocks(
  root: string,
  orchestration: PluginOrchestration | null,
  components: Component[],
): Diagnostic[] {
  const blocks = Object.keys(orchestration?.components ?? {})
  if (blocks.length === 0) return [] // most plugins: no switchboard.json, or no block in it
  const names = new Set(components.map((c) => c.name))
  return blocks
    .filter((name) => !names.has(name))
    .map((name) =>
      warning(
        'ORCHESTRATION_COMPONENT_UNKNOWN',
        join(root, '.claude-plugin', PLUGIN_ORCHESTRATION_FILE),
        `components.${name} names no component of this plugin, so its block applies to nothing. Use the name after "plugin:" in the component's id: ${[...names].sort().join(', ') || 'the plugin has no components'}.`,
        `components.${name}`,
      ),
    )
}

/**
 * Claude Code keeps one component per id: among agents the first file read wins, and a skill wins
 * over a command of the same name. The losers are reported, not listed.
 */
function dedupe(components: Component[], diagnostics: Diagnostic[]): Component[] {
  // One map per slot (agents; commands and skills) keyed by id, skills taken first, then the rest in
  // order (what a stable sort by kind did): no key string built per component, no sorted copy
  // (measured: about 2% of a build's JavaScript).
  const agents = new Map<string, Component>()
  const skillsAndCommands = new Map<string, Component>()
  const keep = (component: Component): void => {
    const kept = component.kind === 'agent' ? agents : skillsAndCommands
    const existing = kept.get(component.id)
    if (!existing) {
      kept.set(component.id, component)
      return
    }
    // The same file reached twice (default folder and a listed path) is one component, not a clash.
    if (existing.file === component.file) return
    diagnostics.push(
      warning(
        'COMPONENT_ID_DUPLICATE',
        component.file,
        `"${component.id}" is also defined by ${existing.file}; Claude Code uses that one (${existing.kind === 'skill' && component.kind === 'command' ? 'a skill wins over a command' : 'the first one read'}). Rename one of them.`,
      ),
    )
  }
  for (const component of components) if (component.kind === 'skill') keep(component)
  for (const component of components) if (component.kind !== 'skill') keep(component)
  const unique = agents.size + skillsAndCommands.size === components.length
  return unique
    ? components
    : components.filter((c) => (c.kind === 'agent' ? agents : skillsAndCommands).get(c.id) === c)
}

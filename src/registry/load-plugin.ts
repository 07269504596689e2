/**
 * One plugin folder -> its record and components, following Claude Code's loader:
 * plugin.json (or the marketplace entry, or the folder name), marketplace `strict` rules, custom
 * component paths (commands/agents replace the default folder, skills add to it), hooks checks, and
 * Switchboard's own .claude-plugin/switchboard.json.
 */
import { basename, join, relative, resolve, sep } from 'node:path'
import { error, issuePath, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import {
  checkPluginManifest,
  MarketplaceEntrySchema,
  normaliseDependency,
  PLUGIN_ORCHESTRATION_FILE,
  PluginOrchestrationSchema,
} from '../manifest/index.ts'
import type { PluginManifest, PluginOrchestration } from '../manifest/index.ts'
import { checkHooksConfig } from './check-hooks.ts'
import type { Component, PluginRecord } from './model.ts'
import { readJsonFile } from './read-json.ts'
import { noteGap, SCAN_LIMITS, spendEntry, startBudget } from './scan-limits.ts'
import type { ScanBudget, ScanLimits } from './scan-limits.ts'
import {
  addAgentFile,
  addCommandFile,
  addInlineCommand,
  isDirectory,
  isFile,
  scanAgentFolder,
  scanCommandFolder,
  scanSkillFolder,
} from './scan-components.ts'
import type { ScanState } from './scan-components.ts'
import { scanWorkflows } from './scan-workflows.ts'

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
}

export interface PluginLoad {
  plugin: PluginRecord
  components: Component[]
  diagnostics: Diagnostic[]
  watched: string[]
}

const ENTRY_METADATA = [
  'displayName',
  'description',
  'author',
  'homepage',
  'repository',
  'license',
  'keywords',
] as const
const COMPONENT_KEYS = ['commands', 'agents', 'skills', 'hooks', 'outputStyles', 'themes'] as const

/**
 * Reads one plugin within the scan limits. A plugin past a limit is recorded as partly read
 * (`scanLimit`), not as refused: Claude Code has limits of its own and may well load it, so
 * "not loaded" would be untrue. The components found before the limit are listed and guarded as
 * usual; calls to anything else in the plugin are refused, as the guard cannot check them.
 */
export function loadPlugin(candidate: PluginCandidate, limits: ScanLimits = SCAN_LIMITS): PluginLoad {
  const diagnostics: Diagnostic[] = []
  const budget = startBudget(limits)
  const watched = new Set<string>([candidate.root, join(candidate.root, '.claude-plugin')])
  const manifestFile = join(candidate.root, '.claude-plugin', 'plugin.json')
  watched.add(manifestFile)

  const resolved = resolveManifest(candidate, manifestFile, diagnostics, budget)
  const name = resolved.manifest?.name ?? resolved.fallbackName
  const orchestration = readPluginOrchestration(candidate.root, diagnostics, watched, budget)
  const state: ScanState = {
    plugin: name,
    pluginOrchestration: orchestration,
    diagnostics,
    components: [],
    watched,
    budget,
  }
  let loadError = resolved.fatal
  if (resolved.manifest && !loadError) {
    loadError = checkHooks(candidate.root, resolved, diagnostics, watched, budget)
    if (!loadError) scanPluginComponents(state, candidate.root, resolved)
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
  if (loadError) {
    diagnostics.push(
      error(
        'PLUGIN_NOT_LOADED',
        resolved.fatalFile ?? manifestFile,
        `Claude Code does not load plugin "${name}" (${loadError}), so none of its components can be called. Fix the file and run \`claude plugin validate ${candidate.root}\`.`,
      ),
    )
  }
  const components = loadError ? [] : dedupe(state.components, diagnostics)
  const manifest = resolved.manifest
  const workflowPaths = manifest?.workflows === undefined ? undefined : asList(manifest.workflows)
  const workflows = loadError ? [] : scanWorkflows(name, candidate.root, workflowPaths, budget, watched)
  const plugin: PluginRecord = {
    ...pluginIdentity(candidate, name),
    version: manifest?.version ?? candidate.installedVersion ?? null,
    description: manifest?.description ?? null,
    enabled: candidate.enabled ?? manifest?.defaultEnabled ?? true,
    loaded: loadError === null,
    loadError,
    scanLimit: budget.stopped ?? budget.gap,
    manifestFile: resolved.hasManifestFile ? manifestFile : null,
    dependencies: (manifest?.dependencies ?? []).map(normaliseDependency),
    orchestration,
    counts: {
      agents: components.filter((c) => c.kind === 'agent').length,
      commands: components.filter((c) => c.kind === 'command').length,
      skills: components.filter((c) => c.kind === 'skill').length,
    },
    workflows,
  }
  return { plugin, components, diagnostics, watched: [...watched] }
}

/** What a plugin record takes from where the plugin was found: its name, key, folder and origin. */
export function pluginIdentity(
  candidate: PluginCandidate,
  name: string,
): Pick<PluginRecord, 'name' | 'key' | 'root' | 'origin' | 'marketplace'> {
  return {
    name,
    key: candidate.key ?? `${name}@inline`,
    root: candidate.root,
    origin: candidate.origin,
    marketplace: candidate.marketplace ?? null,
  }
}

// --- internal ---

interface ResolvedManifest {
  manifest: PluginManifest | null
  /** Component paths from plugin.json (they replace default folders) ... */
  own: Partial<PluginManifest>
  /** ... and from the marketplace entry (they add to them). */
  fromEntry: Partial<PluginManifest>
  hasManifestFile: boolean
  fatal: string | null
  fatalFile?: string
  fallbackName: string
}

function resolveManifest(
  candidate: PluginCandidate,
  manifestFile: string,
  diagnostics: Diagnostic[],
  budget: ScanBudget,
): ResolvedManifest {
  const fallbackName =
    typeof (candidate.entry as { name?: unknown })?.name === 'string'
      ? (candidate.entry as { name: string }).name
      : basename(candidate.root)
  const base = { own: {}, fromEntry: {}, fallbackName }
  const entry = readEntry(candidate, diagnostics)
  if (entry === 'invalid')
    return {
      ...base,
      manifest: null,
      hasManifestFile: isFile(manifestFile),
      fatal: 'its marketplace entry is invalid',
      fatalFile: candidate.entryFile,
    }

  const read = readJsonFile(manifestFile, 'PLUGIN_MANIFEST_UNREADABLE', budget.limits)
  if (!read.ok && read.overLimit) {
    // Not read, so nothing is known of its components; the plugin keeps the folder (or entry) name.
    diagnostics.push(read.diagnostic)
    noteGap(budget, `.claude-plugin/plugin.json not read: ${read.diagnostic.message}`)
    return { ...base, manifest: null, hasManifestFile: true, fatal: null }
  }
  if (!read.ok && !read.missing) {
    return {
      ...base,
      manifest: null,
      hasManifestFile: true,
      fatal: `corrupt manifest file: ${read.diagnostic.message}`,
    }
  }
  if (!read.ok) {
    // No plugin.json: the marketplace entry is the manifest, else the folder name is the plugin name.
    const synthetic = entry ? withoutEntryOnlyKeys(entry) : { name: basename(candidate.root) }
    const check = checkPluginManifest(synthetic, candidate.entryFile ?? manifestFile)
    diagnostics.push(...check.diagnostics)
    return {
      ...base,
      manifest: check.manifest,
      hasManifestFile: false,
      fatal: check.fatal,
      fromEntry: check.manifest ? pickComponents(check.manifest) : {},
    }
  }
  const check = checkPluginManifest(read.value, manifestFile)
  diagnostics.push(...check.diagnostics)
  if (!check.manifest) return { ...base, manifest: null, hasManifestFile: true, fatal: check.fatal }
  if (entry && entry.strict === false && COMPONENT_KEYS.some((key) => key in entry)) {
    return {
      ...base,
      manifest: check.manifest,
      hasManifestFile: true,
      fatalFile: candidate.entryFile,
      fatal:
        'conflicting manifests: both plugin.json and the marketplace entry (strict: false) specify components. Set "strict": true in the entry or remove the component lists from one of them',
    }
  }
  const merged: PluginManifest = { ...check.manifest }
  if (entry)
    for (const key of ENTRY_METADATA) if (entry[key] !== undefined) Object.assign(merged, { [key]: entry[key] })
  return {
    ...base,
    manifest: merged,
    hasManifestFile: true,
    fatal: null,
    own: pickComponents(check.manifest),
    fromEntry: entry ? pickComponents(entry) : {},
  }
}

function readEntry(
  candidate: PluginCandidate,
  diagnostics: Diagnostic[],
): (PluginManifest & { strict?: boolean }) | null | 'invalid' {
  if (candidate.entry === undefined) return null
  const parsed = MarketplaceEntrySchema.safeParse(candidate.entry)
  if (parsed.success) return parsed.data as PluginManifest & { strict?: boolean }
  for (const issue of parsed.error.issues) {
    diagnostics.push(
      error(
        'MARKETPLACE_ENTRY_INVALID',
        candidate.entryFile ?? candidate.root,
        `${issue.message}. Claude Code cannot install this entry.`,
        issuePath(issue, `plugins[${fallbackLabel(candidate)}]`),
      ),
    )
  }
  return 'invalid'
}

/** Keys only a marketplace entry has; not "unknown" when the entry stands in for plugin.json. */
const ENTRY_ONLY_KEYS = ['source', 'strict', 'category', 'tags', 'relevance', 'headers', 'headersHelper']

function withoutEntryOnlyKeys(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !ENTRY_ONLY_KEYS.includes(key)))
}

function fallbackLabel(candidate: PluginCandidate): string {
  const name = (candidate.entry as { name?: unknown })?.name
  return typeof name === 'string' ? name : basename(candidate.root)
}

function pickComponents(source: Partial<PluginManifest>): Partial<PluginManifest> {
  const picked: Partial<PluginManifest> = {}
  for (const key of ['commands', 'agents', 'skills', 'hooks'] as const)
    if (source[key] !== undefined) Object.assign(picked, { [key]: source[key] })
  return picked
}

function scanPluginComponents(state: ScanState, root: string, resolved: ResolvedManifest): void {
  const { own, fromEntry } = resolved
  const manifestFile = join(root, '.claude-plugin', 'plugin.json')
  const locate = (path: string, field: string): string | undefined =>
    spendEntry(state.budget)
      ? locateComponentPath(root, path, field, resolved.hasManifestFile ? manifestFile : root, state.diagnostics)
      : undefined

  // Agents: plugin.json `agents` replaces agents/; entry agents are added.
  if (own.agents === undefined) {
    if (isDirectory(join(root, 'agents'))) scanAgentFolder(state, join(root, 'agents'))
  } else {
    warnShadowedFolder(state, root, 'agents', own.agents, manifestFile)
  }
  for (const path of [...asList(own.agents), ...asList(fromEntry.agents)]) {
    const file = locate(path, 'agents')
    if (file) addAgentFile(state, file)
  }

  // Commands: plugin.json `commands` replaces commands/; files, folders or a name -> entry map.
  if (own.commands === undefined) {
    if (isDirectory(join(root, 'commands'))) scanCommandFolder(state, join(root, 'commands'))
  } else {
    warnShadowedFolder(state, root, 'commands', own.commands, manifestFile)
  }
  for (const spec of [own.commands, fromEntry.commands]) addCommands(state, spec, locate, manifestFile)

  // Skills: skills/ always, plus every listed skills path; a plugin root SKILL.md when there is neither.
  // Claude Code reads each SKILL.md once per plugin, the first way it reaches it (skills/ first).
  const skillPaths = [...asList(own.skills), ...asList(fromEntry.skills)]
  const seenSkills = new Set<string>()
  if (isDirectory(join(root, 'skills'))) scanSkillFolder(state, join(root, 'skills'), seenSkills)
  else if (skillPaths.length === 0 && isFile(join(root, 'SKILL.md'))) scanSkillFolder(state, root, seenSkills)
  for (const path of skillPaths) {
    const dir = locate(path, 'skills')
    if (dir) scanSkillFolder(state, dir, seenSkills)
  }
}

function addCommands(
  state: ScanState,
  spec: PluginManifest['commands'],
  locate: (path: string, field: string) => string | undefined,
  manifestFile: string,
): void {
  if (spec === undefined) return
  if (typeof spec === 'string' || Array.isArray(spec)) {
    for (const path of asList(spec)) {
      const target = locate(path, 'commands')
      if (!target) continue
      if (isDirectory(target)) {
        if (isFile(join(target, 'SKILL.md'))) scanSkillFolder(state, target)
        else scanCommandFolder(state, target)
      } else {
        addCommandFile(state, target)
      }
    }
    return
  }
  for (const [key, entry] of Object.entries(spec)) {
    if (entry.source !== undefined) {
      const file = locate(entry.source, `commands.${key}.source`)
      if (file) addCommandFile(state, file, key, entry.description)
    } else if (entry.content !== undefined) {
      addInlineCommand(state, manifestFile, key, entry.content, entry.description)
    } else {
      state.diagnostics.push(
        error(
          'COMMAND_MAP_ENTRY_EMPTY',
          manifestFile,
          `command "${key}" needs "source" (a ./path to a .md file) or "content" (the prompt text).`,
          `commands.${key}`,
        ),
      )
    }
  }
}

/** Resolves a `./` component path; reports paths that escape the plugin or do not exist, as Claude Code does. */
function locateComponentPath(
  root: string,
  path: string,
  field: string,
  file: string,
  diagnostics: Diagnostic[],
): string | undefined {
  const absolute = resolve(root, path)
  const inside = relative(root, absolute)
  if (inside === '..' || inside.startsWith(`..${sep}`)) {
    diagnostics.push(
      error(
        'COMPONENT_PATH_ESCAPES',
        file,
        `"${path}" points outside the plugin folder; Claude Code ignores it (path-traversal). Keep component files inside the plugin.`,
        field,
      ),
    )
    return undefined
  }
  if (!isFile(absolute) && !isDirectory(absolute)) {
    diagnostics.push(
      error(
        'COMPONENT_PATH_NOT_FOUND',
        file,
        `"${path}" does not exist; Claude Code reports "Path not found" and loads the rest. Fix the path or create the file.`,
        field,
      ),
    )
    return undefined
  }
  return absolute
}

function warnShadowedFolder(state: ScanState, root: string, folder: string, spec: unknown, manifestFile: string): void {
  const paths = typeof spec === 'string' || Array.isArray(spec) ? asList(spec as string | string[]) : []
  const pointsInto = paths.some(
    (p) => resolve(root, p) === resolve(root, folder) || resolve(root, p).startsWith(resolve(root, folder) + sep),
  )
  if (!pointsInto && isDirectory(join(root, folder))) {
    state.diagnostics.push(
      warning(
        'FOLDER_SHADOWED_BY_MANIFEST',
        manifestFile,
        `plugin.json "${folder}" replaces the default ${folder}/ folder, so the files in ${folder}/ are not loaded. List them in "${folder}" too, or remove the key.`,
        folder,
      ),
    )
  }
}

function checkHooks(
  root: string,
  resolved: ResolvedManifest,
  diagnostics: Diagnostic[],
  watched: Set<string>,
  budget: ScanBudget,
): string | null {
  const defaultFile = join(root, 'hooks', 'hooks.json')
  const configs: Array<{ value: unknown; file: string; inline: boolean }> = []
  if (isFile(defaultFile)) {
    watched.add(defaultFile)
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
      const path = locateComponentPath(root, item, 'hooks', manifestFile, diagnostics)
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
    if (verdict.fatal) return verdict.fatal
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

function readPluginOrchestration(
  root: string,
  diagnostics: Diagnostic[],
  watched: Set<string>,
  budget: ScanBudget,
): PluginOrchestration | null {
  const file = join(root, '.claude-plugin', PLUGIN_ORCHESTRATION_FILE)
  watched.add(file)
  const read = readJsonFile(file, 'ORCHESTRATION_FILE_INVALID', budget.limits)
  if (!read.ok) {
    if (!read.missing) diagnostics.push(read.diagnostic)
    // Fail closed as for an invalid file: a policy too large to read must not open anything up.
    return read.overLimit ? { defaults: { callable: false }, components: {} } : null
  }
  const parsed = PluginOrchestrationSchema.safeParse(read.value)
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    diagnostics.push(
      error(
        'ORCHESTRATION_FILE_INVALID',
        file,
        `${issue.message}. Until this is fixed, the plugin's components are not callable from other plugins.`,
        issuePath(issue),
      ),
    )
  }
  // Fail closed: an unreadable policy must not open up components meant to be private.
  return { defaults: { callable: false }, components: {} }
}

/**
 * Claude Code keeps one component per id: among agents the first file read wins, and a skill wins
 * over a command of the same name. The losers are reported, not listed.
 */
function dedupe(components: Component[], diagnostics: Diagnostic[]): Component[] {
  const kept = new Map<string, Component>()
  const slot = (c: Component): string => `${c.kind === 'agent' ? 'agent' : 'skill'}:${c.id}`
  for (const component of [...components].sort((a, b) => rank(a) - rank(b))) {
    const existing = kept.get(slot(component))
    if (!existing) {
      kept.set(slot(component), component)
      continue
    }
    // The same file reached twice (default folder and a listed path) is one component, not a clash.
    if (existing.file === component.file) continue
    diagnostics.push(
      warning(
        'COMPONENT_ID_DUPLICATE',
        component.file,
        `"${component.id}" is also defined by ${existing.file}; Claude Code uses that one (${existing.kind === 'skill' && component.kind === 'command' ? 'a skill wins over a command' : 'the first one read'}). Rename one of them.`,
      ),
    )
  }
  return components.filter((c) => kept.get(slot(c)) === c)
}

function rank(component: Component): number {
  return component.kind === 'skill' ? 0 : 1
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return []
}

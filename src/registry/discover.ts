/**
 * Finds plugin folders where Claude Code finds them: installed plugins (installed_plugins.json,
 * enabled per settings scope), marketplace folders, and plugin folders given explicitly
 * (--plugin-dir, SWITCHBOARD_PLUGIN_DIRS, CLAUDE_CODE_PLUGIN_DIRS).
 */
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { info, issueMessage, issuePath, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { describeSource, MarketplaceSchema, PluginSourceSchema } from '../manifest/index.ts'
import type { ClaudeLocations } from './claude-paths.ts'
import { readInstalledState } from './installed.ts'
import type { InstalledState } from './installed.ts'
import type { PluginCandidate } from './load-plugin.ts'
import { readJsonFile } from './read-json.ts'
import { isDirectory, isFile, listPluginFolder } from './scan-components.ts'
import { resolvePath } from './child-path.ts'

export interface DiscoveryOptions {
  locations: ClaudeLocations
  /** Read installed plugins from the Claude Code config folder (default true). */
  installed: boolean
  pluginDirs: string[]
  marketplaceRoots: string[]
}

/** A place discovery looked, for `switchboard doctor`. */
export interface SearchedPlace {
  what: string
  path: string
  found: string
}

export interface Discovery {
  candidates: PluginCandidate[]
  /** Merged `enabledPlugins` (user < project < local), for plugins keyed only once loaded (`<name>@skills-dir`). */
  enabled: Map<string, boolean>
  searched: SearchedPlace[]
  watched: string[]
  diagnostics: Diagnostic[]
}

export function discoverPlugins(options: DiscoveryOptions): Discovery {
  const discovery: Discovery = { candidates: [], enabled: new Map(), searched: [], watched: [], diagnostics: [] }
  for (const dir of options.pluginDirs) addPluginDir(discovery, dir)
  if (options.installed) {
    addInstalled(discovery, options.locations)
    addSkillsFolderPlugins(discovery, join(options.locations.configDir, 'skills'))
  }
  for (const root of options.marketplaceRoots) addMarketplace(discovery, resolve(root))
  return discovery
}

/** The raw entries of a marketplace.json, with the diagnostics of reading it. */
export function readMarketplace(
  root: string,
): { name: string; entries: unknown[]; pluginRoot: string; file: string; diagnostics: Diagnostic[] } | undefined {
  const file = marketplaceFile(root)
  const read = readJsonFile(file, 'MARKETPLACE_UNREADABLE')
  if (!read.ok)
    return read.missing ? undefined : { name: '', entries: [], pluginRoot: root, file, diagnostics: [read.diagnostic] }
  const parsed = MarketplaceSchema.safeParse(read.value)
  if (!parsed.success) {
    const diagnostics = parsed.error.issues.map((issue) =>
      warning('MARKETPLACE_INVALID', file, `${issueMessage(issue)}.`, issuePath(issue)),
    )
    const plugins = (read.value as { plugins?: unknown }).plugins
    return { name: '', entries: Array.isArray(plugins) ? plugins : [], pluginRoot: root, file, diagnostics }
  }
  return {
    name: parsed.data.name,
    entries: parsed.data.plugins,
    pluginRoot: resolve(root, parsed.data.metadata?.pluginRoot ?? '.'),
    file,
    diagnostics: [],
  }
}

// --- internal ---

function marketplaceFile(root: string): string {
  return join(root, '.claude-plugin', 'marketplace.json')
}

function addPluginDir(discovery: Discovery, dir: string): void {
  const root = resolvePath(undefined, dir) // the key resolved it already: taken as it is
  // Listed, not stat'ed: the listing says it is a folder, and the plugin's load reads its entries from it.
  const listing = listPluginFolder(root)
  const exists = listing.folder
  discovery.searched.push({
    what: 'plugin folder',
    path: root,
    found: exists ? 'a plugin folder' : 'nothing (no such folder)',
  })
  if (!exists) {
    discovery.watched.push(root) // created later, as the message asks: the snapshot must see it
    discovery.diagnostics.push(
      warning(
        'PLUGIN_DIR_MISSING',
        root,
        'this plugin folder does not exist. Check the --plugin-dir / SWITCHBOARD_PLUGIN_DIRS value.',
      ),
    )
    return
  }
  discovery.candidates.push(
    listing.entries ? { root, origin: 'plugin-dir', entries: listing.entries } : { root, origin: 'plugin-dir' },
  )
}

function addInstalled(discovery: Discovery, locations: ClaudeLocations): void {
  const state = readInstalledState(locations)
  for (const [key, { value }] of state.enabled) discovery.enabled.set(key, value)
  discovery.diagnostics.push(...state.diagnostics)
  discovery.watched.push(...state.files)
  discovery.searched.push({
    what: 'installed plugins',
    path: locations.installedPluginsFile,
    found: `${state.installs.length} install record(s)`,
  })
  for (const { scope, file } of locations.settingsFiles) {
    const count = [...state.enabled.values()].filter((e) => e.file === file).length
    discovery.searched.push({
      what: `${scope} settings`,
      path: file,
      found: `${count} enabledPlugins entr${count === 1 ? 'y' : 'ies'}`,
    })
  }
  // What the organization's managed settings decide, beside the user's scopes (installed.ts).
  const scoped = new Set(locations.settingsFiles.map((s) => s.file))
  const managed = [...state.enabled.values()].filter((e) => !scoped.has(e.file))
  if (managed.length > 0)
    discovery.searched.push({
      what: 'managed settings',
      path: managed[0]!.file,
      found: `${managed.length} enabledPlugins entr${managed.length === 1 ? 'y' : 'ies'}, over every other scope`,
    })
  const entriesByMarketplace = new Map<
    string,
    { entries: unknown[]; file: string; root: string; local: boolean } | undefined
  >()
  for (const install of installsLoaded(state, locations.projectDir)) {
    if (!entriesByMarketplace.has(install.marketplace)) {
      const known = state.marketplaces.get(install.marketplace)
      const marketplace = known ? readMarketplace(known.location) : undefined
      if (known) discovery.watched.push(marketplaceFile(known.location)) // absent too: it may appear
      entriesByMarketplace.set(
        install.marketplace,
        marketplace &&
          known && { entries: marketplace.entries, file: marketplace.file, root: known.location, local: known.local },
      )
    }
    const marketplace = entriesByMarketplace.get(install.marketplace)
    const entry = marketplace?.entries.find((e) => (e as { name?: unknown })?.name === install.plugin)
    // An install no settings file enables is not loaded: `claude plugin install` writes the entry, and
    // without it Claude Code 2.1.197 and 2.1.332 skip the plugin, defaultEnabled or not (probed, found by review).
    const enabled = state.enabled.get(install.key)?.value ?? false
    if (!state.enabled.has(install.key))
      discovery.diagnostics.push(
        info(
          'PLUGIN_NOT_ENABLED',
          locations.installedPluginsFile,
          `"${install.key}" is installed but no settings file's enabledPlugins names it, so Claude Code does not load it. Enable it: claude plugin enable ${install.key}`,
          `plugins.${install.key}`,
        ),
      )
    // Claude Code loads a plugin of a local folder marketplace from that folder, not from its cache copy
    // (verified on 2.1.197 and 2.1.331: init.plugins[].path is the marketplace folder).
    const source = (entry as { source?: unknown } | undefined)?.source
    const inPlace = marketplace?.local && typeof source === 'string' ? resolve(marketplace.root, source) : undefined
    const root = inPlace && isDirectory(inPlace) ? inPlace : install.installPath
    // Either folder appearing later changes which one Claude Code loads the plugin from.
    if (inPlace) discovery.watched.push(inPlace)
    if (!isDirectory(root)) {
      discovery.watched.push(root)
      discovery.diagnostics.push(
        warning(
          'INSTALL_PATH_MISSING',
          locations.installedPluginsFile,
          `"${install.key}" is recorded as installed at ${install.installPath}, which does not exist. Reinstall it: claude plugin install ${install.key}`,
          `plugins.${install.key}`,
        ),
      )
      continue
    }
    discovery.candidates.push({
      root,
      origin: 'installed',
      key: install.key,
      marketplace: install.marketplace,
      ...(entry !== undefined && marketplace ? { entry, entryFile: marketplace.file } : {}),
      enabled,
      ...(install.version ? { installedVersion: install.version } : {}),
    })
  }
}

/**
 * The install record Claude Code loads each installed plugin from: the first that fits this project (a user
 * install, or a project or local one made in it); else, for a plugin the settings enable, its first record
 * of any project. Skipping other projects' records, the registry missed a plugin a repository's own
 * settings enabled, which Claude Code loaded (2.1.197 and 2.1.332, found by review).
 */
function installsLoaded(state: InstalledState, projectDir: string): InstalledState['installs'] {
  const fits = (install: InstalledState['installs'][number]) =>
    !install.projectPath || resolve(install.projectPath) === projectDir
  const chosen = new Map<string, InstalledState['installs'][number]>()
  for (const install of state.installs) if (fits(install) && !chosen.has(install.key)) chosen.set(install.key, install)
  for (const install of state.installs)
    if (!chosen.has(install.key) && state.enabled.get(install.key)?.value === true) chosen.set(install.key, install)
  // In the order the merged enabledPlugins names them, the order Claude Code loads them in: of two enabled
  // plugins of one name, the later one's agent answers to an id both define (2.1.197 and 2.1.332).
  const position = new Map([...state.enabled.keys()].map((key, index) => [key, index]))
  const rank = (install: InstalledState['installs'][number]) => position.get(install.key) ?? position.size
  return state.installs.filter((install) => chosen.get(install.key) === install).sort((a, b) => rank(a) - rank(b))
}

/**
 * Plugins in the user's skills folder: Claude Code loads each `<config>/skills/<folder>` that holds
 * `.claude-plugin/plugin.json` as `<name>@skills-dir` (the folder `claude plugin init` makes), in folder
 * order; one level only, no marketplace.json (probed on 2.1.197 and 2.1.332). The registry did not look
 * there, and calls to their components passed as no plugin's (found by review).
 */
function addSkillsFolderPlugins(discovery: Discovery, skills: string): void {
  discovery.watched.push(skills) // a folder added there adds a plugin
  let folders: string[]
  try {
    folders = readdirSync(skills, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  } catch {
    return
  }
  let found = 0
  for (const folder of folders) {
    const root = join(skills, folder)
    const manifest = join(root, '.claude-plugin', 'plugin.json')
    // A manifest added later, to a folder that is only a skill now, makes it a plugin.
    discovery.watched.push(root, join(root, '.claude-plugin'), manifest)
    if (!isFile(manifest)) continue
    discovery.candidates.push({ root, origin: 'skills-dir' })
    found++
  }
  discovery.searched.push({ what: 'plugins in the skills folder', path: skills, found: `${found} plugin folder(s)` })
}

function addMarketplace(discovery: Discovery, root: string): void {
  const marketplace = readMarketplace(root)
  discovery.watched.push(marketplaceFile(root)) // absent too: the fix the message asks for must reach the registry
  if (!marketplace) {
    discovery.searched.push({
      what: 'marketplace',
      path: marketplaceFile(root),
      found: 'nothing (no marketplace.json)',
    })
    discovery.diagnostics.push(
      warning(
        'MARKETPLACE_MISSING',
        root,
        'no .claude-plugin/marketplace.json here. Pass the folder that holds .claude-plugin/, or use --plugin-dir for a single plugin.',
      ),
    )
    return
  }
  discovery.diagnostics.push(...marketplace.diagnostics)
  let local = 0
  marketplace.entries.forEach((entry, index) => {
    const name = (entry as { name?: unknown })?.name
    const source = (entry as { source?: unknown })?.source
    const label = typeof name === 'string' ? name : `#${index}`
    if (source === undefined) {
      discovery.diagnostics.push(
        warning(
          'MARKETPLACE_ENTRY_INVALID',
          marketplace.file,
          `entry ${label} has no "source"; Claude Code cannot install it. Add "source": "./plugins/${label}".`,
          `plugins.${index}`,
        ),
      )
      return
    }
    const parsedSource = PluginSourceSchema.safeParse(source)
    if (!parsedSource.success) {
      discovery.diagnostics.push(
        warning(
          'MARKETPLACE_ENTRY_INVALID',
          marketplace.file,
          `entry ${label}: ${parsedSource.error.issues[0]?.message ?? 'invalid source'}. Claude Code cannot install it.`,
          `plugins.${index}.source`,
        ),
      )
      return
    }
    const where = describeSource(parsedSource.data)
    if ('remote' in where) {
      discovery.diagnostics.push(
        info(
          'MARKETPLACE_SOURCE_REMOTE',
          marketplace.file,
          `plugin "${label}" comes from ${where.remote}, not from this folder, so it is not in the registry. Install it (claude plugin install ${label}@${marketplace.name || '<marketplace>'}) to include it.`,
          `plugins.${index}.source`,
        ),
      )
      return
    }
    const base =
      where.local.startsWith('./') || where.local === '.' || where.local.startsWith('../')
        ? root
        : marketplace.pluginRoot
    const pluginRoot = resolve(base, where.local)
    if (!isDirectory(pluginRoot)) {
      discovery.watched.push(pluginRoot)
      discovery.diagnostics.push(
        warning(
          'MARKETPLACE_SOURCE_MISSING',
          marketplace.file,
          `plugin "${label}" points to ${where.local}, which does not exist here. Fix "source" or add the folder.`,
          `plugins.${index}.source`,
        ),
      )
      return
    }
    local++
    discovery.candidates.push({
      root: pluginRoot,
      origin: 'marketplace',
      key: `${label}@${marketplace.name}`,
      marketplace: marketplace.name,
      entry,
      entryFile: marketplace.file,
    })
  })
  discovery.searched.push({
    what: 'marketplace',
    path: marketplace.file,
    found: `${marketplace.entries.length} entries, ${local} with files in this folder`,
  })
}

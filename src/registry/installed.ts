/**
 * What Claude Code has installed and enabled: `installed_plugins.json`, `known_marketplaces.json`
 * and the `enabledPlugins` of user, project and local settings. The formats are only partly
 * documented, so every read is lenient and every surprise a diagnostic (shapes observed:
 * docs/claude-code-notes.md "Marketplace install, offline").
 */
import { resolve } from 'node:path'
import { info, isObject, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import type { ClaudeLocations } from './claude-paths.ts'
import { managedDropInFolder, managedSettingsFiles } from './managed-settings.ts'
import { readJsonFile } from './read-json.ts'

interface InstallRecord {
  /** `plugin@marketplace`, the key Claude Code uses in installed_plugins.json and enabledPlugins. */
  key: string
  plugin: string
  marketplace: string
  installPath: string
  version?: string
  scope?: string
  projectPath?: string
}

export interface InstalledState {
  installs: InstallRecord[]
  /** Merged `enabledPlugins`: later scopes win (user < project < local < managed). */
  enabled: Map<string, { value: boolean; file: string }>
  /** Marketplace name -> folder holding its `.claude-plugin/marketplace.json`, when on this disk. */
  marketplaces: Map<string, { location: string; local: boolean }>
  /** Files read (or looked for), for the snapshot's freshness check and `doctor`. */
  files: string[]
  diagnostics: Diagnostic[]
}

/**
 * `managed`: the organization's managed-settings files, whose enabledPlugins win over every other scope (true
 * force-enables, false blocks; probed on 2.1.197 and 2.1.332).
 */
export function readInstalledState(
  locations: ClaudeLocations,
  managed: { files: string[]; dropIns: string } = { files: managedSettingsFiles(), dropIns: managedDropInFolder() },
): InstalledState {
  const diagnostics: Diagnostic[] = []
  const settingsFiles = [...locations.settingsFiles.map((s) => s.file), ...managed.files]
  const state: InstalledState = {
    installs: readInstalls(locations, diagnostics),
    enabled: readEnabled(settingsFiles, diagnostics),
    marketplaces: readMarketplaces(locations, diagnostics),
    files: [locations.installedPluginsFile, locations.knownMarketplacesFile, ...settingsFiles, managed.dropIns],
    diagnostics,
  }
  for (const [key, { value, file }] of state.enabled) {
    if (value && !state.installs.some((i) => i.key === key)) {
      diagnostics.push(
        info(
          'PLUGIN_ENABLED_NOT_INSTALLED',
          file,
          `"${key}" is enabled but not installed, so Claude Code does not load it. Install it: claude plugin install ${key}`,
          `enabledPlugins.${key}`,
        ),
      )
    }
  }
  return state
}

/** Splits `plugin@marketplace` at its last `@`. */
function splitPluginKey(key: string): { plugin: string; marketplace: string } {
  const at = key.lastIndexOf('@')
  return at > 0 ? { plugin: key.slice(0, at), marketplace: key.slice(at + 1) } : { plugin: key, marketplace: '' }
}

// --- internal ---

function readInstalls(locations: ClaudeLocations, diagnostics: Diagnostic[]): InstallRecord[] {
  const file = locations.installedPluginsFile
  const read = readJsonFile(file, 'INSTALLED_PLUGINS_UNREADABLE')
  if (!read.ok) {
    if (!read.missing) diagnostics.push(read.diagnostic)
    return []
  }
  const plugins = isObject(read.value) ? read.value.plugins : undefined
  if (!isObject(plugins)) {
    diagnostics.push(
      warning(
        'INSTALLED_PLUGINS_UNREADABLE',
        file,
        'expected {"version": 2, "plugins": {"name@marketplace": [...]}}; no installed plugins were read. Reinstall a plugin to let Claude Code rewrite it.',
        'plugins',
      ),
    )
    return []
  }
  const installs: InstallRecord[] = []
  for (const [key, value] of Object.entries(plugins)) {
    // Version 2 keeps a list of records (one per scope); version 1 kept one record.
    const records = Array.isArray(value) ? value : [value]
    records.forEach((record, index) => {
      if (!isObject(record) || typeof record.installPath !== 'string') {
        diagnostics.push(
          warning(
            'INSTALLED_PLUGINS_UNREADABLE',
            file,
            `the install record of "${key}" has no "installPath"; skipped. Reinstall it: claude plugin install ${key}`,
            `plugins.${key}.${index}`,
          ),
        )
        return
      }
      const { plugin, marketplace } = splitPluginKey(key)
      installs.push({
        key,
        plugin,
        marketplace,
        installPath: resolve(locations.pluginsRoot, record.installPath),
        ...(typeof record.version === 'string' ? { version: record.version } : {}),
        ...(typeof record.scope === 'string' ? { scope: record.scope } : {}),
        ...(typeof record.projectPath === 'string' ? { projectPath: record.projectPath } : {}),
      })
    })
  }
  return installs
}

function readEnabled(settingsFiles: string[], diagnostics: Diagnostic[]): InstalledState['enabled'] {
  const enabled: InstalledState['enabled'] = new Map()
  for (const file of settingsFiles) {
    const read = readJsonFile(file, 'SETTINGS_UNREADABLE')
    if (!read.ok) {
      if (!read.missing) diagnostics.push(read.diagnostic)
      continue
    }
    const map = isObject(read.value) ? read.value.enabledPlugins : undefined
    if (map === undefined) continue
    if (!isObject(map)) {
      diagnostics.push(
        warning(
          'SETTINGS_ENABLED_PLUGINS_INVALID',
          file,
          'enabledPlugins is an object such as {"formatter@team-tools": true}; ignored.',
          'enabledPlugins',
        ),
      )
      continue
    }
    for (const [key, value] of Object.entries(map)) {
      if (typeof value === 'boolean') enabled.set(key, { value, file })
      else
        diagnostics.push(
          warning(
            'SETTINGS_ENABLED_PLUGINS_INVALID',
            file,
            `enabledPlugins."${key}" should be true or false.`,
            `enabledPlugins.${key}`,
          ),
        )
    }
  }
  return enabled
}

function readMarketplaces(locations: ClaudeLocations, diagnostics: Diagnostic[]): InstalledState['marketplaces'] {
  const marketplaces: InstalledState['marketplaces'] = new Map()
  const read = readJsonFile(locations.knownMarketplacesFile, 'KNOWN_MARKETPLACES_UNREADABLE')
  if (!read.ok) {
    if (!read.missing) diagnostics.push(read.diagnostic)
    return marketplaces
  }
  if (!isObject(read.value)) return marketplaces
  for (const [name, record] of Object.entries(read.value)) {
    if (isObject(record) && typeof record.installLocation === 'string') {
      // A marketplace added from a folder on this disk: Claude Code loads its plugins in place.
      const kind = isObject(record.source) ? record.source.source : undefined
      marketplaces.set(name, {
        location: resolve(locations.pluginsRoot, record.installLocation),
        local: kind === 'directory' || kind === 'file',
      })
    }
  }
  return marketplaces
}

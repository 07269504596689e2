/**
 * Which plugin record speaks for a plugin name or a component. Runtime-neutral (the guard runs it in the
 * hooks module too). The registry lists plugins Claude Code does not run beside those it does: refused
 * ones, disabled ones, and two enabled plugins that share a name (two installs from two marketplaces,
 * or two --plugin-dir folders, which Claude Code loads into one namespace).
 */
import type { Component, PluginRecord } from './model.ts'

type Owner = Pick<PluginRecord, 'name' | 'root' | 'loaded' | 'enabled'>

/**
 * The workflows Claude Code's session has, with the plugin each is of: those of loaded, enabled plugins only. A
 * disabled or refused plugin's workflow of the same id listed first stood in for the enabled one's (found by
 * review), and ran as that plugin's.
 */
export function activeWorkflows<P extends Owner & { workflows?: readonly unknown[] }>(
  plugins: readonly P[],
): Array<{ plugin: string; record: NonNullable<P['workflows']>[number] }> {
  return plugins
    .filter((plugin) => plugin.loaded && plugin.enabled)
    .flatMap((plugin) => (plugin.workflows ?? []).map((record) => ({ plugin: plugin.name, record })))
}

/** The first loaded, enabled plugin of this name: the one whose version and settings count for the name. */
export function activePlugin<P extends Owner>(plugins: readonly P[], name: string): P | undefined {
  return plugins.find((p) => p.name === name && p.loaded && p.enabled)
}

/**
 * The loaded, enabled plugin whose folder holds the component's file: whose `callers` rules and defaults
 * protect it. By name alone, a refused, disabled or same-named plugin would speak for another's components
 * (a hostile plugin refused on purpose opened another's private agents).
 */
export function ownerOf<P extends Owner>(
  plugins: readonly P[],
  component: Pick<Component, 'plugin' | 'file'>,
): P | undefined {
  const named = plugins.filter((p) => p.name === component.plugin && p.loaded && p.enabled)
  if (named.length <= 1) return named[0]
  let owner: P | undefined
  for (const plugin of named)
    if (inside(component.file, plugin.root) && (!owner || plugin.root.length > owner.root.length)) owner = plugin
  return owner ?? named[0]
}

/** Whether an absolute path is under a folder, with either separator (the module has no path module). */
function inside(file: string, folder: string): boolean {
  const base = folder.replace(/[\\/]+$/, '')
  return file.length > base.length && file.startsWith(base) && (file[base.length] === '/' || file[base.length] === '\\')
}

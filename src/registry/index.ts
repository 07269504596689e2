export { buildRegistry, registryKey } from './build-registry.ts'
export type { Registry, RegistryOptions } from './build-registry.ts'
export { claudeLocations } from './claude-paths.ts'
export type { Env } from './claude-paths.ts'
export { readMarketplace } from './discover.ts'
export { readBounded, readBoundedText, readBytesNoWait, SMALL_FILE_BYTES } from './read-bounded.ts'
export { managedSettingsFiles } from './managed-settings.ts'

export { loadPlugin } from './load-plugin.ts'

export { callerDescription, ComponentSchema } from './model.ts'
export { activePlugin, activeWorkflows, ownerOf } from './plugin-owner.ts'
export type { Component, PluginRecord } from './model.ts'
export { dataDir } from './data-dir.ts'
export { hashKey, isSnapshotFresh, readSnapshot, snapshotPath } from './snapshot.ts'
export type { RegistrySnapshot } from './snapshot.ts'

export { syncSnapshot } from './snapshot-store.ts'

export { sessionPluginDirs } from './session-plugin-dirs.ts'

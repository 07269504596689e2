/**
 * The registry snapshot as data: its shape and how its text is read. Pure (no Node): the hooks
 * read it with one JSON.parse through snapshot.ts, and the hooks module through `$.fs`.
 */
import type { Diagnostic } from '../common/core.ts'
import type { DependencyReport } from '../resolve/index.ts'
import type { SearchedPlace } from './discover.ts'
import type { Component, PluginRecord } from './model.ts'

// 2: capabilityCalls. 3: components' forkAgent. 4: components' claimedName. 5: agents' preloads (read from
// an older snapshot, an agent's preloads would pass unchecked). 6: components' frontName. 7: a skill's
// frontName also where it is its id's last part (read from an older snapshot, a bare Skill call passed).
// 8: components' shellArguments (read from an older snapshot, a slot value reached a shell). 9: plugins that
// share a name both listed, disabled dependencies and unnamed installs not loaded (an older snapshot let an
// impostor pass as the plugin it is named like).
export const SNAPSHOT_VERSION = 9

export interface RegistrySnapshot {
  version: typeof SNAPSHOT_VERSION
  builtAt: string
  /** Hash of the registry key (which sources were read). */
  keyHash: string
  plugins: PluginRecord[]
  components: Component[]
  dependencies: DependencyReport
  /** The components each capability entry of a `calls` list admits (resolve/capabilities.ts). */
  capabilityCalls: Record<string, string[]>
  diagnostics: Diagnostic[]
  searched: SearchedPlace[]
  /** [path, mtimeMs, size] of the watched paths at build time; -1 for paths that did not exist (left out below a recorded folder), -2 for paths changed while the registry was read (fingerprintOf in snapshot.ts). */
  fingerprint: Array<[string, number, number]>
}

/** A snapshot from its text; undefined when it is not JSON or was written by another snapshot version. */
export function parseSnapshot(text: string): RegistrySnapshot | undefined {
  try {
    const snapshot = JSON.parse(text) as RegistrySnapshot
    return snapshot?.version === SNAPSHOT_VERSION ? snapshot : undefined
  } catch {
    return undefined
  }
}

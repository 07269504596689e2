/**
 * Writing and reusing snapshots (the heavy side: it may build the registry). Writes are atomic
 * (a temporary file renamed over the old one), so a reader never sees half a snapshot and a writer
 * killed mid-write leaves the previous snapshot intact.
 */
import { SwitchboardError, writeFileAtomic } from '../common/index.ts'
import { buildRegistry } from './build-registry.ts'
import type { Registry, RegistryOptions } from './build-registry.ts'
import { freshSnapshot } from './fresh-snapshot.ts'
import { fingerprintOf, hashKey, SNAPSHOT_VERSION } from './snapshot.ts'
import type { RegistrySnapshot } from './snapshot.ts'

export function toSnapshot(registry: Registry): RegistrySnapshot {
  return {
    version: SNAPSHOT_VERSION,
    builtAt: new Date().toISOString(),
    keyHash: hashKey(registry.key),
    plugins: registry.plugins,
    components: registry.components,
    dependencies: registry.dependencies,
    capabilityCalls: registry.capabilityCalls,
    diagnostics: registry.diagnostics,
    searched: registry.searched,
    fingerprint: fingerprintOf(registry.watched, registry.startedAt),
  }
}

export function writeSnapshot(file: string, snapshot: RegistrySnapshot): void {
  try {
    writeFileAtomic(file, JSON.stringify(snapshot))
  } catch (cause) {
    throw new SwitchboardError(
      'SNAPSHOT_UNWRITABLE',
      `cannot write the registry snapshot ${file}: ${(cause as Error).message}. Make the folder writable or set SWITCHBOARD_DATA_DIR to one that is.`,
      { cause },
    )
  }
}

export interface SyncResult {
  snapshot: RegistrySnapshot
  file: string
  /** Whether the registry was rebuilt (false: the existing snapshot was still fresh). */
  rebuilt: boolean
}

/** Returns a fresh snapshot for these options, rebuilding and writing it only when something changed. */
export function syncSnapshot(options: RegistryOptions & { force?: boolean }): SyncResult {
  const found = freshSnapshot(options)
  if (found.snapshot && !options.force) return { snapshot: found.snapshot, file: found.file, rebuilt: false }
  const snapshot = toSnapshot(buildRegistry(options))
  writeSnapshot(found.file, snapshot)
  return { snapshot, file: found.file, rebuilt: true }
}

/**
 * The snapshot a set of options names, and whether it is still fresh: the light half of
 * syncSnapshot (snapshot-store.ts). SessionStart runs this at every session start and loads the
 * registry build only when it finds nothing fresh.
 */
import { dataDir } from './data-dir.ts'
import { registryKey } from './registry-key.ts'
import type { RegistryOptions } from './registry-key.ts'
import { hashKey, isSnapshotFresh, readSnapshot, snapshotPath } from './snapshot.ts'
import type { RegistrySnapshot } from './snapshot.ts'

/** Where the snapshot for these options lives, and that snapshot when it is fresh. */
export function freshSnapshot(options: RegistryOptions): { file: string; snapshot: RegistrySnapshot | undefined } {
  const file = snapshotPath(dataDir(options.env, options.cwd), hashKey(registryKey(options)))
  const existing = readSnapshot(file)
  return { file, snapshot: existing && isSnapshotFresh(existing) ? existing : undefined }
}

/**
 * The snapshot's file name comes from a hash of its registry key. A file of its own: node:crypto costs
 * a process about 8 ms to load, and the hooks that run on every call read snapshots but never name one.
 */
import { createHash } from 'node:crypto'

/** Stable hash of a registry key, used in the snapshot's file name. */
export function hashKey(key: unknown): string {
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16)
}

/**
 * The light door of the registry: hooks read the prebuilt snapshot with one JSON.parse and never
 * glob or parse markdown. Imports nothing heavy (only Node built-ins), so hook bundles stay small.
 *
 * Freshness is checked by stat-ing the files and folders the registry was built from (settings,
 * installed_plugins.json, manifests, every component file and folder): adding, removing or editing
 * a component changes a size or mtime recorded here.
 */
import { lstatSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseSnapshot } from './snapshot-format.ts'
import type { RegistrySnapshot } from './snapshot-format.ts'
import { ABSENT, entryHolds, snapshotFileName, watchesWhatItLists } from './snapshot-locator.ts'
import type { PathStat } from './snapshot-locator.ts'
import { readTextNoWait } from './read-bounded.ts'

export { SNAPSHOT_VERSION } from './snapshot-format.ts'
export type { RegistrySnapshot } from './snapshot-format.ts'
export type { Component } from './model.ts'
export { hashKey } from './snapshot-locator.ts'

export function snapshotPath(dir: string, keyHash: string): string {
  return join(dir, snapshotFileName(keyHash))
}

/** A snapshot of 10,000 plugins is about 32 MB; one far larger is not Switchboard's, and is not read. */
const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024

/** Reads a snapshot; undefined when absent, unreadable, or written by another snapshot version. */
export function readSnapshot(file: string): RegistrySnapshot | undefined {
  try {
    return parseSnapshot(readTextNoWait(file, MAX_SNAPSHOT_BYTES))
  } catch {
    return undefined
  }
}

/**
 * Records size and mtime of every path (or -1 when it does not exist). A path that does not exist
 * below a folder that is itself recorded, with nothing at all between them (a plugin's
 * `hooks/hooks.json` where it has no `hooks/`), is left out: it can only appear once a new entry
 * appears in that folder, which changes the folder's mtime (as an added component file does), so the
 * check need not stat it. About a tenth of a session start's stats (corpus and generated trees).
 * A link that leads nowhere is something between: its target can appear with no change to the folder
 * that holds the link, so a path through a dangling link stays recorded.
 */
export function fingerprintOf(paths: readonly string[], readSince?: number): Array<[string, number, number]> {
  const entries = paths.map((path) => ({ path, ...statOf(path) }))
  const statted = Date.now()
  const folders = new Set(entries.filter((entry) => entry.folder).map((entry) => entry.path))
  return entries
    .filter((entry) => entry.mtime !== -1 || !folders.has(nearestPresent(entry.path)))
    .map((entry) => [entry.path, changedWhileRead(entry.mtime, readSince, statted) ? CHANGED : entry.mtime, entry.size])
}

/**
 * A path changed after the build began (`readSince`) may have been read before the change: its mtime is
 * not recorded, so the next check finds it changed and the registry is read again. (The mtimes are taken
 * after the build, which reads for a fraction of a second; an editor saving meanwhile would otherwise be
 * recorded as read.) Only a change up to the moment of the stat counts: an mtime in the future (a clock
 * that ran ahead where the file was made, a zip's local times) is no sign of a change, and would otherwise
 * rebuild the registry at every session start. A file's mtime comes from a clock that lags Date.now()
 * by at most a tick (a few milliseconds): a change in the build's first tick can read as before it,
 * while the build had hardly read anything yet.
 */
function changedWhileRead(mtime: number, readSince: number | undefined, statted: number): boolean {
  // Date.now() drops the fraction of its millisecond, an mtime keeps it: a change within that millisecond
  // is on the safe side of the 1 ms added to each bound.
  return readSince !== undefined && mtime > readSince + 1 && mtime <= statted + 1
}

/** The mtime recorded for a path changed while the registry was read: it matches no stat, ABSENT's -1 included. */
const CHANGED = -2

/** True when none of the snapshot's watched paths changed since it was built (and it watches what it lists). */
export function isSnapshotFresh(snapshot: RegistrySnapshot): boolean {
  return watchesWhatItLists(snapshot) && snapshot.fingerprint.every((entry) => entryHolds(entry, statOf(entry[0])))
}

// --- internal ---

function statOf(path: string): PathStat & { folder: boolean } {
  try {
    // No exception for a path that is absent (many watched paths are optional files): they are slow.
    const stat = statSync(path, { throwIfNoEntry: false })
    if (!stat) return ABSENT_PATH
    // Folder sizes are filesystem-specific and meaningless; their mtime changes when entries do.
    const folder = stat.isDirectory()
    return { mtime: stat.mtimeMs, size: folder ? 0 : stat.size, folder }
  } catch {
    return ABSENT_PATH
  }
}

const ABSENT_PATH = { ...ABSENT, folder: false }

/**
 * The path itself where there is anything by its name (a dangling link included: lstat), else its
 * nearest ancestor where there is (the root at worst).
 */
function nearestPresent(path: string): string {
  for (let at = path; ; at = dirname(at)) if (isPresent(at) || dirname(at) === at) return at
}

function isPresent(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined
  } catch {
    return false // a path through a file (ENOTDIR): what stands in the way is found further up
  }
}

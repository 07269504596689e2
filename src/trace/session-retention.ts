/**
 * How long a session's data (its trace, its context slots, secrets included, the files values were sent
 * in) stays on disk: as long as Claude Code keeps the session's transcript, `cleanupPeriodDays` of the
 * user's settings (default 30), counted from the session's last activity. Without this the data folder
 * grew by a folder per session for good, and a secret put in a session stayed in it after Claude Code had
 * deleted the conversation itself. The SessionStart node process prunes, once a day: in settings mode it runs
 * at every session start; the hooks module, which otherwise has it step aside, lets it run when a prune is
 * due (module/session-start.ts), since a module cannot remove files.
 */
import { lstat, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { claudeLocations } from '../registry/claude-paths.ts'
import { dataDir } from '../registry/data-dir.ts'
import { settingsText } from '../common/index.ts'
import { readBytesNoWait, SMALL_FILE_BYTES } from '../registry/read-bounded.ts'
import { PROCESSES_FOLDER, PRUNED_MARKER, pruneDue } from './records.ts'

/** Claude Code's default `cleanupPeriodDays`. */
export const DEFAULT_KEEP_DAYS = 30
const DAY_MS = 86_400_000

/**
 * Days to keep, from the user's settings text: a whole `cleanupPeriodDays` of 1 or more, else the default.
 * 0 (Claude Code keeps no transcript) keeps a day: a session that is running must keep its data.
 */
export function keepDaysOf(settingsText: string | undefined): number {
  let value: unknown
  try {
    value = (JSON.parse(settingsText ?? '{}') as { cleanupPeriodDays?: unknown } | null)?.cleanupPeriodDays
  } catch {
    return DEFAULT_KEEP_DAYS // Claude Code reports a broken settings file itself
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return DEFAULT_KEEP_DAYS
  return Math.max(1, value)
}

/** The daily prune for the session a process starts (SessionStart's): its data folder, the user's period. */
export function pruneOwnDataDaily(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<string[]> {
  let settings: string | undefined
  try {
    settings = settingsText(
      readBytesNoWait(join(claudeLocations(env, cwd).configDir, 'settings.json'), SMALL_FILE_BYTES),
    )
  } catch {
    settings = undefined // no user settings: the default period
  }
  return pruneSessionsDaily(dataDir(env, cwd), keepDaysOf(settings)).catch(() => [])
}

/**
 * Removes the sessions (and the process records) with no activity in `keepDays`, once a day: a marker
 * younger than a day ends it at one `lstat`. Never throws: retention must not break a session.
 */
export async function pruneSessionsDaily(
  dataDir: string,
  keepDays: number,
  now: number = Date.now(),
): Promise<string[]> {
  const sessions = join(dataDir, 'sessions')
  const marker = join(sessions, PRUNED_MARKER)
  const last = await lstat(marker).then(
    (stat) => stat.mtimeMs,
    () => undefined, // never pruned here
  )
  if (!pruneDue(last, now)) return []
  try {
    await writeFile(marker, '', { flag: 'w' })
    await utimes(marker, now / 1000, now / 1000)
  } catch {
    return [] // no sessions folder yet (nothing to prune), or not writable
  }
  return pruneSessions(dataDir, keepDays, now)
}

/** Removes every session folder and process record whose last activity is older than `keepDays`. */
export async function pruneSessions(dataDir: string, keepDays: number, now: number = Date.now()): Promise<string[]> {
  const before = now - keepDays * DAY_MS
  const removed: string[] = []
  for (const folder of ['sessions', PROCESSES_FOLDER]) {
    const root = join(dataDir, folder)
    for (const name of await entries(root)) {
      if (name === PRUNED_MARKER) continue
      const path = join(root, name)
      if ((await lastActivity(path)) >= before) continue
      // Not followed if a link: rm removes the link itself, and walks no link inside a folder it removes.
      await rm(path, { recursive: true, force: true }).then(
        () => removed.push(path),
        () => undefined,
      )
    }
  }
  return removed
}

// --- internal ---

async function entries(folder: string): Promise<string[]> {
  try {
    return await readdir(folder)
  } catch {
    return []
  }
}

/**
 * The latest time anything in a session changed: the folder, its files, and its context folder's (a slot
 * replaced in place changes only its own file). A process record is one file.
 */
async function lastActivity(path: string): Promise<number> {
  const times = async (folder: string): Promise<number[]> =>
    Promise.all((await entries(folder)).map((name) => mtimeOf(join(folder, name))))
  const own = await mtimeOf(path)
  if (!(await isFolder(path))) return own
  return Math.max(own, ...(await times(path)), ...(await times(join(path, 'context'))))
}

async function mtimeOf(path: string): Promise<number> {
  try {
    return (await lstat(path)).mtimeMs
  } catch {
    return Number.POSITIVE_INFINITY // gone or unreadable: not ours to judge old
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory()
  } catch {
    return false
  }
}

/**
 * The per-session call log: an append-only JSONL file that every hook process of a session appends
 * to, concurrently. Durability without locks:
 * - each record is ONE write() to a file opened with O_APPEND, so concurrent appends never overwrite
 *   each other (the kernel places every write at the current end);
 * - each record starts with a newline, so a torn record (a process killed mid-write) ends its own
 *   line and cannot swallow the next one;
 * - readers skip lines that are not complete JSON records.
 * The folder is created 0700 and the file 0600: traces hold prompts and results, readable by the user only.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs'
import type { Dirent } from 'node:fs'
import { join } from 'node:path'
import {
  CALL_LOG,
  mergeByTime,
  byTime,
  MODULE_CALL_LOG,
  MODULE_LOG_MAX_BYTES,
  MODULE_MARKER,
  moduleLogSegmentIndex,
  recordLine,
  sessionFolderName,
  SNAPSHOT_POINTER,
} from './records.ts'
import type { CallRecord } from './records.ts'
import { appendNoWait } from '../registry/read-bounded.ts'
import { readLogRecords } from './log-reader.ts'
import { SwitchboardError } from '../common/index.ts'

export function sessionDir(dataDir: string, sessionId: string): string {
  return join(dataDir, 'sessions', sessionFolderName(sessionId))
}

export function appendRecord(dir: string, record: CallRecord): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  appendNoWait(join(dir, CALL_LOG), recordLine(record), 0o600)
}

/** A call's records take a few hundred bytes; a log past this was not written by a session's calls. */
const MAX_CALL_LOG_BYTES = 4 * 1024 * 1024

/**
 * Every complete record of a session, in order: the settings hooks' log and the hooks module's segments. A
 * missing log is an empty one; one that cannot be read (a pipe, a folder, past the bound) throws: the guard
 * cannot count the session's chains, so it refuses the calls it tracks (hooks/pre-tool-use.ts, uncounted), not
 * a session with no calls.
 */
export function readRecords(dir: string): CallRecord[] {
  const settings = readLog(join(dir, CALL_LOG), false) ?? []
  // The module's segments in order, each sorted by time; a record completed late may sit in an older one.
  const module: CallRecord[] = []
  for (const file of moduleLogFiles(dir)) for (const record of readLog(file, true) ?? []) module.push(record)
  return mergeByTime(settings, module.sort(byTime))
}

/**
 * The module log's segments in the folder, in order, by the rule the module reads them by (module/module-log.ts):
 * every one there, gaps and all. One that is not a plain file, or all of them past what a session's calls
 * write, throws, as the module counts them: the session's chains cannot be counted.
 */
function moduleLogFiles(dir: string): string[] {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return []
    throw unreadableLog(dir, thrown as Error)
  }
  const found = entries
    .flatMap((entry) => {
      const index = moduleLogSegmentIndex(entry.name)
      return index === undefined ? [] : [{ index, file: join(dir, entry.name), entry }]
    })
    .sort((a, b) => a.index - b.index)
  let bytes = 0
  for (const { file, entry } of found) {
    if (!entry.isFile()) throw unreadableLog(file, new Error('not a plain file'))
    bytes += statSync(file, { throwIfNoEntry: false })?.size ?? 0
  }
  if (bytes > MODULE_LOG_MAX_BYTES)
    throw unreadableLog(dir, new Error(`${found.length} segments of ${bytes} bytes, more than a session's calls write`))
  return found.map(({ file }) => file)
}

/** The segments to date a session by: a log that cannot be read (trace says why) still dates it by its first. */
function moduleLogFilesOrFirst(dir: string): string[] {
  try {
    return moduleLogFiles(dir)
  } catch {
    return [join(dir, MODULE_CALL_LOG)]
  }
}

/** The guard's failure for a call log it cannot read: the session's chains cannot be counted. */
function unreadableLog(file: string, thrown: Error): SwitchboardError {
  return new SwitchboardError(
    'CALL_LOG_UNREADABLE',
    `cannot read the session's call log ${file} (${thrown.message}), so its calls cannot be counted. Move the file away; the session's next calls start a new log`,
  )
}

/** A log's records in time order; undefined where there is no such file. `rewritten`: readLogRecords says. */
function readLog(file: string, rewritten: boolean): readonly CallRecord[] | undefined {
  try {
    return readLogRecords(file, MAX_CALL_LOG_BYTES, rewritten)
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw unreadableLog(file, thrown as Error)
  }
}

/** Which runtime ran a session: the hooks module (it leaves its marker) or the settings hooks; undefined when neither wrote. */
export function sessionRuntime(dir: string): 'hooks module' | 'settings hooks' | undefined {
  const exists = (file: string): boolean => {
    try {
      statSync(join(dir, file))
      return true
    } catch {
      return false
    }
  }
  if (exists(MODULE_MARKER)) return 'hooks module'
  return exists(CALL_LOG) || exists(SNAPSHOT_POINTER) ? 'settings hooks' : undefined
}

/** A named session (which need not exist yet), else the most recently active one. */
export function findSession(dataDir: string, wanted?: string): { id: string; dir: string } | undefined {
  if (wanted && wanted !== 'latest') return { id: wanted, dir: sessionDir(dataDir, wanted) }
  return listSessions(dataDir)[0]
}

/** Sessions something has written to, most recently active first. */
export function listSessions(dataDir: string): Array<{ id: string; dir: string; modified: number }> {
  const root = join(dataDir, 'sessions')
  let entries: string[]
  try {
    entries = readdirSync(root)
  } catch {
    return []
  }
  return entries
    .map((id) => {
      const dir = join(root, id)
      // A session counts once anything wrote to it: the call log, SessionStart's snapshot pointer, or a
      // context slot (`switchboard context put --session ID` before or during it).
      const modified = Math.max(
        ...[join(dir, CALL_LOG), ...moduleLogFilesOrFirst(dir), join(dir, SNAPSHOT_POINTER)]
          // The folder's path, not contextDir: a link planted there must not stop every session being listed (review).
          .concat(join(dir, 'context'))
          .map((path) => {
            try {
              return statSync(path).mtimeMs
            } catch {
              return -1
            }
          }),
      )
      return modified < 0 ? undefined : { id, dir, modified }
    })
    .filter((s): s is { id: string; dir: string; modified: number } => s !== undefined)
    .sort((a, b) => b.modified - a.modified)
}

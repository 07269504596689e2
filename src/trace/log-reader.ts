/**
 * A session's call log as a long-lived process reads it, the MCP server that answers settings mode's hooks
 * above all: each file's records kept from the last read, and only the bytes appended since parsed. Read
 * and parsed whole, both files, for every guarded call, a log of megabytes (a long session's, or one that
 * something able to write the data folder planted) cost 0.2 to 1.2 s a decision at 15 MiB, and twenty calls
 * at once were answered past Claude Code's 10 s hook timeout, which runs a call unchecked (found by review,
 * on 2.1.197).
 *
 * A log is append-only: the same file (device and inode) no shorter than when last read is read on from
 * there; any other (replaced, truncated) is read whole again. A last line not whole yet (a write in
 * progress) is read again next time.
 */
import { statSync } from 'node:fs'
import { otherNames, readAppendedNoWait } from '../registry/read-bounded.ts'
import { byTime, parseRecords } from './records.ts'
import type { CallRecord } from './records.ts'

/** What a file held when last read: its id, the bytes its records came from, and those records in time order. */
interface ReadLog {
  id: string
  size: number
  records: CallRecord[]
  /** A rewritten file's device, inode, size and time when read (readLogRecords). */
  key?: string
}

/**
 * The files read lately, the least recently read dropped first: a server may answer a few sessions (`/clear`
 * starts a new one), and a long module session's log is up to MODULE_LOG_MAX_BYTES in 64 K segments (256).
 */
const readLogs = new Map<string, ReadLog>()
const MAX_READ_LOGS = 320

/**
 * The file's records in time order (mergeLogs' order). Throws as readTextNoWait does; a missing file, ENOENT.
 * `rewritten`: a file its writer rewrites whole (the hooks module's segments, where a record completed later
 * changes bytes already read), read whole again whenever its size or time changed, never on from where it was.
 */
export function readLogRecords(file: string, maxBytes: number, rewritten = false): readonly CallRecord[] {
  const known = readLogs.get(file)
  // Taken before the read: a change while it reads shows as another key next time.
  const key = rewritten ? rewrittenKey(file) : undefined
  if (key && known?.key === key) {
    readLogs.delete(file) // read now: the last to drop
    readLogs.set(file, known)
    return known.records
  }
  const before = rewritten ? undefined : known
  let read: ReturnType<typeof readAppendedNoWait>
  try {
    read = readAppendedNoWait(file, maxBytes, before)
  } catch (thrown) {
    readLogs.delete(file)
    throw thrown
  }
  // A log is written by Switchboard alone and has one name; one with others (a hard link) is another file.
  if (read.names > 1) {
    readLogs.delete(file)
    throw otherNames(file)
  }
  const { bytes } = read
  // Every record starts with a line break: what follows the last one is either a whole record or one being written.
  const lastBreak = bytes.lastIndexOf(0x0a)
  const whole = lastBreak < 0 || parseRecords(bytes.toString('utf8', lastBreak + 1)).length > 0
  const end = whole ? bytes.length : lastBreak
  const added = parseRecords(bytes.toString('utf8', 0, end))
  const records = read.from > 0 && before ? inTimeOrder(before.records, added) : added.sort(byTime)
  readLogs.delete(file)
  readLogs.set(file, { id: read.id, size: read.from + end, records, ...(key ? { key } : {}) })
  if (readLogs.size > MAX_READ_LOGS) readLogs.delete(readLogs.keys().next().value!)
  return records
}

// --- internal ---

/**
 * What tells a rewritten file's versions apart: its device, inode, size and time (ns); undefined when missing.
 * A rewrite of the same size within one tick of the file system's clock would pass for the same: a record the
 * module completes later grows (its tokens), so a rewrite changes the size as well.
 */
function rewrittenKey(file: string): string | undefined {
  const stat = statSync(file, { bigint: true, throwIfNoEntry: false })
  return stat && `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}`
}

/** `kept` (in time order) with `added` after it: appended as they come where they are later, else sorted again. */
function inTimeOrder(kept: CallRecord[], added: CallRecord[]): CallRecord[] {
  const later = added.every((record, i) => record.ts >= (i === 0 ? (kept.at(-1)?.ts ?? 0) : added[i - 1]!.ts))
  if (later) {
    for (const record of added) kept.push(record)
    return kept
  }
  return [...kept, ...added].sort(byTime)
}

/**
 * The hooks module's own call log, in segments (trace/records.ts MODULE_LOG_SEGMENT_CHARS says why): each
 * write rewrites only the segments whose records changed, the newest above all, so a write stays as long as
 * a segment however long the session runs. Decisions read the records from memory (`records`); the files
 * are for other processes and for a resume.
 *
 * At open (a resume) every segment is read again. One that cannot be read as a plain file (a link, a pipe, a
 * folder, past 4 MiB: none of which the module writes) is never written over: its problem is kept, the
 * session's calls cannot be counted (the guard refuses every call it tracks, in either mode, as the settings
 * hooks do: call-handling.ts), and new records go to a segment after it.
 */
import { messageOf } from '../common/core.ts'
import {
  byTime,
  moduleLogSegment,
  moduleLogSegmentIndex,
  MODULE_LOG_MAX_BYTES,
  MODULE_LOG_SEGMENT_CHARS,
  parseRecords,
  recordLine,
} from '../trace/core.ts'
import type { CallRecord } from '../trace/core.ts'
import { FS_READ_LIMIT, isMissing, isPlainFile } from './mod-api.ts'
import type { Engine } from './mod-api.ts'
import { wholeFileWriter } from './whole-file-writer.ts'

export interface ModuleLog {
  /** Every record, in the order it was added (a resumed session's first). */
  records: CallRecord[]
  /**
   * The session folder's entries as the log's opening listed them, for the module's other files there;
   * undefined where the listing was refused (the module then writes nothing there).
   */
  listed: FolderEntry[] | undefined
  /** Why a segment could not be read, where one could not: the session's chains cannot be counted. */
  unreadable: string | undefined
  /** Adds records to the newest segment. */
  add: (...records: CallRecord[]) => void
  /** A record added before has changed (completed behind its call): its segment is written again. */
  changed: (record: CallRecord) => void
  /** Writes what changed since the last write; settles when that write has. */
  write: () => Promise<void>
  /** Settles once every write asked for so far has. */
  flushed: () => Promise<void>
}

type FolderEntry = Awaited<ReturnType<Engine['fs']['list']>>[number]

interface Segment {
  index: number
  records: CallRecord[]
  /** Why it could not be read, where it could not (it is then never written). */
  problem?: string
  /** Empty: no records, and never written either (a file of another's can be empty; the log goes on after it). */
  empty?: true
}

/** The log of the session folder `dir` (none where the session has no folder: nothing is written). */
export async function openModuleLog($: Engine, dir: string | undefined): Promise<ModuleLog> {
  // No folder yet: a new session, no records. Refused otherwise: nothing can be counted, and nothing written
  // (a write would replace the first segment, which may hold the session's records).
  const listing = dir
    ? await $.fs.list(dir).then(
        (entries) => ({ entries }),
        (thrown: unknown) =>
          isMissing(thrown)
            ? { entries: [] }
            : {
                problem: `cannot list the session's folder ${dir} (${messageOf(thrown)}), so its calls cannot be counted. Make it readable and resume the session`,
              },
      )
    : { entries: [] }
  const listed = 'entries' in listing ? listing.entries : undefined
  const segments = dir && listed ? await readSegments($, dir, listed) : []
  // In time order, as the decisions fold them (a record completed late may sit in an older segment).
  const records = segments.flatMap((segment) => segment.records).sort(byTime)
  const segmentOf = new WeakMap<CallRecord, Segment>()
  for (const segment of segments) for (const record of segment.records) segmentOf.set(record, segment)
  // New records go to the last segment read, unless it could not be read (then to the one after it).
  const last = segments.at(-1)
  let current: Segment = last && !last.problem && !last.empty ? last : { index: (last?.index ?? -1) + 1, records: [] }
  const dirty = new Set<Segment>()
  const writer = wholeFileWriter(() => (dir && listed ? save(dir) : undefined))

  async function save(folder: string): Promise<void> {
    const due = [...dirty]
    dirty.clear()
    const texts = due.map((segment) => segment.records.map(recordLine).join(''))
    // Full: records added from now on begin the next segment (this one is complete once written).
    const at = due.indexOf(current)
    if (at >= 0 && texts[at]!.length >= MODULE_LOG_SEGMENT_CHARS) current = { index: current.index + 1, records: [] }
    const written = await Promise.allSettled(
      due.map((segment, i) => $.fs.write(`${folder}/${moduleLogSegment(segment.index)}`, texts[i]!)),
    )
    const failed = written.flatMap((result, i) => (result.status === 'rejected' ? [[due[i]!, result.reason]] : []))
    // Written again with the next record: a failed write loses nothing the memory holds.
    for (const [segment] of failed) dirty.add(segment as Segment)
    if (failed.length > 0) throw failed[0]![1]
  }

  return {
    records,
    listed,
    unreadable: 'problem' in listing ? listing.problem : segments.find((segment) => segment.problem)?.problem,
    add: (...added) => {
      for (const record of added) {
        records.push(record)
        current.records.push(record)
        segmentOf.set(record, current)
      }
      dirty.add(current)
    },
    changed: (record) => {
      const segment = segmentOf.get(record)
      if (segment) dirty.add(segment)
    },
    write: writer.write,
    flushed: writer.flushed,
  }
}

// --- internal ---

/** The segments among the folder's entries, in order, read together. */
async function readSegments($: Engine, dir: string, entries: FolderEntry[]): Promise<Segment[]> {
  const found = entries
    .flatMap((entry) => {
      const index = moduleLogSegmentIndex(entry.name)
      return index === undefined ? [] : [{ index, entry }]
    })
    .sort((a, b) => a.index - b.index)
  // Past what a session's calls write: put there (and read, it would fill the memory of Claude Code's worker).
  const bytes = found.reduce((sum, { entry }) => sum + (entry.size ?? 0), 0)
  if (bytes > MODULE_LOG_MAX_BYTES)
    return found.map(({ index }) => ({
      index,
      records: [],
      problem: `cannot read the session's call log in ${dir} (${found.length} segments of ${bytes} bytes, more than a session's calls write), so its calls cannot be counted. Move them away and resume the session`,
    }))
  return Promise.all(
    found.map(async ({ index, entry }): Promise<Segment> => {
      const file = `${dir}/${entry.name}`
      // Read only a plain file, and within what one read answers: a link could lead the writes elsewhere, and
      // a pipe would hold the read (a range read refuses one: `length`).
      const problem = !isPlainFile(entry)
        ? 'not a plain file'
        : (entry.size ?? 0) > FS_READ_LIMIT
          ? `${entry.size} bytes, more than one read answers`
          : undefined
      const text =
        problem === undefined
          ? await $.fs.read(file, { length: FS_READ_LIMIT }).then(
              (read) => ({ read }),
              (thrown: unknown) => ({ thrown }),
            )
          : { thrown: new Error(problem) }
      if ('read' in text) {
        // A write cut short at its start, or an empty file put there: nothing to count, and not written over.
        if (text.read === '') return { index, records: [], empty: true }
        const records = parseRecords(text.read)
        // Every line the module writes is a record (a torn last one aside, from a write cut short): a file with
        // other lines is not the log, though it looks plain (a hard link to another file: `$.fs.write` would
        // write into that file, found by review). Never written, and its calls cannot be counted.
        if (!onlyRecords(text.read, records.length))
          return {
            index,
            records: [],
            problem: `the session's call log ${file} holds lines that are no call records (a file put in its place), so its calls cannot be counted. Move it away and resume the session`,
          }
        return { index, records }
      }
      // Gone since the listing (a person moved it away): none.
      if (isMissing(text.thrown)) return { index, records: [] }
      return {
        index,
        records: [],
        problem: `cannot read the session's call log ${file} (${messageOf(text.thrown)}), so its calls cannot be counted. Move the file away and resume the session`,
      }
    }),
  )
}

/** Whether a segment's lines are all records (`records` of them parsed), but for a torn last line. */
function onlyRecords(text: string, records: number): boolean {
  // Every record's line begins with a line break (recordLine): a file that does not is another's, one line of
  // JSON included (a credentials file hard-linked in the log's place read as one torn line, found by review).
  if (!text.startsWith('\n')) return false
  const lines = text.split('\n').filter((line) => line !== '')
  if (lines.length === records) return true
  // A write cut short leaves its last line torn: one line more, the last, and the start of a record's JSON.
  const last = lines.at(-1)!
  const torn = RECORD_START.startsWith(last) || (last.startsWith(RECORD_START) && parseRecords(last).length === 0)
  return lines.length === records + 1 && !text.endsWith('\n') && torn
}

/** How every record's JSON begins (its `e` first: trace/records.ts). */
const RECORD_START = '{"e":"'

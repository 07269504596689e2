/**
 * The records of a session's call log, as data: their shape, and how a log's text is read and a
 * record written as one line. Pure (no Node): the settings hooks, the CLI, the MCP server and the
 * hooks module share it; call-log.ts keeps the file on disk.
 */
export type CallStatus = 'running' | 'ok' | 'denied' | 'failed'

/** A step's place in a workflow run: the run's id, the workflow's name (and plugin), the step's id. */
export interface WorkflowTag {
  run: string
  name: string
  plugin?: string
  step: string
}

/** One line of the log. Later records about the same invocation refine earlier ones. */
export type CallRecord =
  | {
      /** A call was asked for (PreToolUse): allowed (running) or denied. */
      e: 'call'
      id: string
      parent: string | null
      caller: string
      callerAgent: string | null
      /** The resolved target (guard/resolve-target.ts), or the spelling when it resolves to no component. */
      target: string
      /** The spelling the caller used, when it differs from the resolved target. */
      asked?: string
      /** `message`: a SendMessage to another plugin's running agent (module mode, module/messages.ts). */
      kind: 'agent' | 'skill' | 'message'
      ts: number
      status: 'running' | 'denied'
      reason?: string
      /** The context slot its return is stored in. */
      into?: string
      /** A forked command or skill: the plugin agent it runs as (`context: fork`, `agent:`). */
      runsAs?: string
      /** Other plugins' commands and skills the agent it starts loads as it starts (`skills:`). */
      loads?: string[]
      /** An agent call asked to run in the background (`run_in_background: true`, settings mode). */
      background?: true
      /** The workflow run this call is a step of (module mode: module/workflow-run.ts). */
      workflow?: WorkflowTag
    }
  /** The child agent that runs an invocation (from PostToolUse, a meta file, or SubagentStart order). */
  | { e: 'link'; id: string; agent: string; ts: number; how: 'post-tool-use' | 'meta-file' | 'start-order' | 'module' }
  /** A child agent started (SubagentStart). */
  | { e: 'start'; agent: string; type: string; ts: number }
  /** An invocation ended. */
  | { e: 'end'; id: string; status: 'ok' | 'failed'; ts: number; durationMs?: number; tokens?: number; reason?: string }
  /** A child agent stopped (SubagentStop); ends its invocation when PostToolUse could not (background agents). */
  | { e: 'stop'; agent: string; ts: number }

/**
 * The line a record is appended as. It starts with a newline, so a torn record (a writer killed
 * mid-write) ends its own line and cannot swallow the next one.
 */
export function recordLine(record: CallRecord): string {
  const line = JSON.stringify(record)
  return `\n${line.length <= MAX_RECORD_LINE ? line : JSON.stringify(record, clipLongText)}`
}

/**
 * The record as its line keeps it: texts over MAX_RECORD_TEXT cut. A name a caller asked for is its own
 * text, and a padded one (`alpha:a` and a megabyte of spaces, which Claude Code's loose match still runs
 * as alpha:a) made each denied call's record a megabyte: sixteen filled the log past what the guard reads
 * (found by review). The hooks module keeps the cut record in memory too.
 */
export function clippedRecord(record: CallRecord): CallRecord {
  return JSON.stringify(record).length <= MAX_RECORD_LINE
    ? record
    : (JSON.parse(JSON.stringify(record, clipLongText)) as CallRecord)
}

/** A record's line up to this is kept whole: a call's records take a few hundred bytes. */
const MAX_RECORD_LINE = 8 * 1024
/** The most of one text a record keeps, where its line is longer. */
const MAX_RECORD_TEXT = 1024

function clipLongText(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.length > MAX_RECORD_TEXT
    ? `${value.slice(0, MAX_RECORD_TEXT)}… (${value.length - MAX_RECORD_TEXT} more characters)`
    : value
}

/** Every complete record in a log's text, in order; torn or foreign lines are skipped. */
export function parseRecords(text: string): CallRecord[] {
  const records: CallRecord[] = []
  for (const line of text.split('\n')) {
    if (line.length === 0) continue
    try {
      const record = JSON.parse(line) as CallRecord
      if (record && typeof record === 'object' && typeof record.e === 'string') records.push(record)
    } catch {
      // A torn line from a killed writer: skipped.
    }
  }
  return records
}

/** The call log the settings hooks append to, and the first segment of the one the hooks module owns. */
export const CALL_LOG = 'calls.jsonl'
export const MODULE_CALL_LOG = 'calls-module.jsonl'

/**
 * The hooks module's log is kept in segments: `$.fs` cannot append, so the module rewrites a file whole for
 * each record, and one file for the whole session made every write as long as the session so far (a write
 * takes about 10 ms a MiB: 1 ms at 16 KB, 2 at 64 KB, 5 to 7 at 256 KB, 32 at 3 MiB, 2.1.331 and 2.1.332, and a
 * call's start waits for its write; `$.fs.write` refuses over 4 MiB, several thousand calls). It rewrites its newest
 * segment (and an older one only to complete a record there): calls-module.jsonl, then calls-module.1.jsonl,
 * calls-module.2.jsonl, each begun once the one before holds this many characters (about a hundred calls; a
 * record is clipped to a few KB: clippedRecord).
 */
export const MODULE_LOG_SEGMENT_CHARS = 64 * 1024

/** A session's calls write a few hundred bytes each: module log segments past this in all were put there. */
export const MODULE_LOG_MAX_BYTES = 16 * 1024 * 1024

/** The file name of the module log's segment `index` (0: calls-module.jsonl). */
export function moduleLogSegment(index: number): string {
  return index === 0 ? MODULE_CALL_LOG : `calls-module.${index}.jsonl`
}

/** The segment index a file name is, or undefined: calls-module.jsonl is 0, calls-module.N.jsonl is N (N ≥ 1). */
export function moduleLogSegmentIndex(name: string): number | undefined {
  if (name === MODULE_CALL_LOG) return 0
  const match = /^calls-module\.([1-9][0-9]{0,5})\.jsonl$/.exec(name)
  return match ? Number(match[1]) : undefined
}

/**
 * The records of a session's logs, merged in time order. Each runtime writes its own file (the hooks
 * module cannot append, and must not rewrite what a hook process appended meanwhile); a stable sort
 * keeps each file's own order for records of the same millisecond.
 */
export function mergeLogs(texts: readonly string[]): CallRecord[] {
  return texts.flatMap((text) => parseRecords(text)).sort(byTime)
}

/** mergeLogs' order for two logs' records, each already in it: the first's record first where two tie. */
export function mergeByTime(first: readonly CallRecord[], second: readonly CallRecord[]): CallRecord[] {
  const merged: CallRecord[] = new Array(first.length + second.length)
  let i = 0
  let j = 0
  for (let k = 0; k < merged.length; k++)
    merged[k] = j >= second.length || (i < first.length && first[i]!.ts <= second[j]!.ts) ? first[i++]! : second[j++]!
  return merged
}

/** Time order (a stable sort keeps a log's own order within a millisecond). */
export const byTime = (a: CallRecord, b: CallRecord): number => a.ts - b.ts

/** A session's folder name under `sessions/`: its id as a safe file name. */
export function sessionFolderName(sessionId: string): string {
  return safeFileName(sessionId)
}

/** An id from hook input as a file name: anything but letters, digits, `_` and `-` as `_`. */
export function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_')
}

/** The file the hooks module writes in a session folder when it runs that session (module mode). */
export const MODULE_MARKER = 'runtime-module'

/** What MODULE_MARKER holds (its presence is what counts). */
export const MODULE_MARKER_TEXT = 'Switchboard ran this session as a hooks module.\n'

/** The file in a session folder that names the registry snapshot the session uses. */
export const SNAPSHOT_POINTER = 'registry-path'

/** The file in a session folder that names the project the session started in. */
export const PROJECT_FILE = 'project'

/** The data folder's folder of `<claude pid>` files, each naming the session that process runs (own-session.ts). */
export const PROCESSES_FOLDER = 'processes'

/** In the data folder's `sessions` folder: its time is the last prune of old sessions (session-retention.ts). */
export const PRUNED_MARKER = '.pruned'

/**
 * Whether old sessions are due to be pruned: never done, or over a day ago (the marker's mtime, undefined
 * where it is absent). The hooks module asks it to let the SessionStart node process run, which prunes.
 */
export function pruneDue(markerMtime: number | undefined, now: number): boolean {
  return markerMtime === undefined || now - markerMtime >= PRUNE_EVERY_MS
}

const PRUNE_EVERY_MS = 86_400_000

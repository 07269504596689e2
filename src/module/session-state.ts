/**
 * One session's state as the hooks module sees it, through `$` only (no Node): the data folder the
 * settings hooks use, the registry snapshot SessionStart chose, the policy files, the slots, and the
 * call log. The module writes its own log file whole (`$.fs` cannot append) and never the one the
 * hook processes append to; readers merge both (trace/records.ts).
 */
import { messageOf, settingsTextOfBase64, SwitchboardError } from '../common/core.ts'
import { caseTwin, caseTwinProblem, parseSlot, replaceProblem, SLOT_NAME } from '../context/core.ts'
import type { Slot } from '../context/core.ts'
import {
  mergePolicy,
  movedByProjectSettings,
  PROJECT_SETTINGS,
  PROJECT_SETTINGS_MAX_BYTES,
  unreadProjectSettings,
} from '../guard/core.ts'
import type { Policy, PolicySource, ReturnReading } from '../guard/core.ts'
import type { RegistrySnapshot } from '../registry/snapshot-format.ts'
import { parseSnapshot } from '../registry/snapshot-format.ts'
import { POSIX_PATHS } from '../registry/snapshot-locator.ts'
import {
  CALL_LOG,
  mergeLogs,
  MODULE_MARKER,
  MODULE_MARKER_TEXT,
  clippedRecord,
  sessionFolderName,
  SNAPSHOT_POINTER,
} from '../trace/core.ts'
import { foldInvocations } from '../trace/core.ts'
import type { CallRecord, Invocation, WorkflowTag } from '../trace/core.ts'
import { findDataDir, pluginDataOf } from './data-dir.ts'
import { openModuleLog } from './module-log.ts'
import { seenLoopsOf } from './loops.ts'
import { firstLink, FS_READ_LIMIT, isMissing, listOrNone, notPlainAmong } from './mod-api.ts'
import type { Engine } from './mod-api.ts'
import type { PreparedSession } from './session-start.ts'

/** What the module knows of an agent it saw start: its type, its caller, and its call (null: not traced). */
export interface AgentSeen {
  type: string
  parentAgentId: string | undefined
  invocation: string | null
  /**
   * A built-in agent another plugin's code started, or the person's that a plugin sent work to
   * (messages.ts): whom its calls are judged as (`<plugin>:(hooks module)`, a plugin's component) (callers.ts).
   */
  worksFor?: string
  /** Started by the Workflow tool: its answer goes to the script, so no agent.report ends its call. */
  workflow?: boolean
  /** Started by the invoke tool: its report is kept for the tool's result (`returns`). */
  invoke?: boolean
}

/**
 * An Agent call the invoke tool is making: the spawn it causes finds it by its caller, type and
 * prompt, takes its id as the invocation id, and leaves the guard's reason here when it denies.
 */
export interface PendingInvoke {
  id: string
  denied?: string
  invocation?: string | null
}

export interface SessionState {
  id: string
  /** Switchboard's own plugin name, as Claude Code loaded it. */
  plugin: string
  dir: string | undefined
  /** The data folder the session folder is in (workflow receipts live there, across sessions). */
  dataDir: string | undefined
  snapshot: RegistrySnapshot | undefined
  /**
   * The plugin agent the main thread runs as (`--agent`, or `"agent"` in settings, .claude/settings.json
   * included): its calls are that agent's, not the person's (callers.ts), as in settings mode; else a
   * repository could give a plugin's agent the person's rights, other plugins' private components included.
   */
  mainAgent?: string
  /**
   * Who the main thread's current turn is, where not the person: another plugin's hooks-module code that
   * submitted its prompt or ran its command (submitted-prompts.ts). Its calls are that code's, not the person's.
   */
  mainTurn?: string
  /** The last main turn (`$.session.turns()`) that `mainTurn` holds for; undefined: until another plugin's row. */
  mainTurnLast?: number
  agents: Map<string, AgentSeen>
  /** Agents that ran unchecked (no snapshot), with what their caller is told at the report. */
  unchecked: Map<string, string>
  /** Agent calls the invoke tool is making, by `pendingKey`. */
  pending: Map<string, PendingInvoke[]>
  /** Reports of agents the invoke tool started, read back by the tool (by agent id). */
  returns: Map<string, { text: string; reading: ReturnReading }>
  /** Calls a workflow run is about to make, by `<target>\n<prompt or args>`: their record names the run. */
  workflowTags: Map<string, WorkflowTag[]>
  records: () => Promise<CallRecord[]>
  /**
   * Runs `work` after every earlier exclusive work of this session has finished: a decision reads the
   * log and appends to it, and the handlers overlap while they wait for `$.fs`, so without this two
   * calls racing for a chain's last call could both pass its budget.
   */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>
  /** The records the module itself wrote, without reading any file. */
  ownRecords: () => CallRecord[]
  /**
   * Adds records to the log, at once to what decisions read (ownRecords, records), and resolves once the file
   * holds them: for a call's start and a denial, which a crash in the next moment must not lose.
   */
  append: (...records: CallRecord[]) => Promise<void>
  /**
   * append, with the file written behind the caller (whole-file-writer.ts): for a call's end and its agent's
   * id, on the way back to a waiting caller. Where that write fails, the next one writes these records again.
   */
  appendBehind: (...records: CallRecord[]) => void
  /**
   * appendBehind of a call's end, with what `later` adds to it once that settles (its tokens, from Claude
   * Code's agent list, a hop the report need not wait for): decisions see the end at once, the file gets it
   * now and again once completed, and flushed() waits for that.
   */
  appendEndBehind: (record: EndRecord, later: Promise<Partial<EndRecord> | undefined>) => void
  /** Settles once everything appended so far is in the file (or its write failed): before another process reads it. */
  flushed: () => Promise<void>
  slots: () => Promise<Map<string, Slot>>
  writeSlot: (slot: Slot) => Promise<void>
  /** Why the session's earlier calls could not be read (its log, module-log.ts): tracked calls are refused. */
  uncounted: string | undefined
  /** A value too large for the envelope, into the session's context/files folder (guard/inject.ts), never through a link. */
  writeValueFile: (path: string, text: string) => Promise<void>
  policy: () => Promise<PolicySource[]>
  env: Record<string, string | undefined>
}

/** A call's end (its status, time, tokens and reason). */
type EndRecord = Extract<CallRecord, { e: 'end' }>

/**
 * Opens the module's view of the current session; `cwd` is the project (classic.SessionStart's).
 * `prepared`: the data folder and snapshot the module found at session start, when it prepared the
 * session itself (session-start.ts); else SessionStart's hook recorded them and they are read here.
 * The `$` calls are made together where they can be: each is a hop to Claude Code's main thread.
 */
export async function openSession($: Engine, cwd: string, prepared?: PreparedSession): Promise<SessionState> {
  const [
    id,
    SWITCHBOARD_STRICT,
    SWITCHBOARD_DATA_DIR,
    CLAUDE_CONFIG_DIR,
    CLAUDE_CODE_PLUGIN_CACHE_DIR,
    HOME,
    pluginData,
  ] = await Promise.all([
    $.session.id(),
    $.env.get('SWITCHBOARD_STRICT'),
    $.env.get('SWITCHBOARD_DATA_DIR'),
    $.env.get('CLAUDE_CONFIG_DIR'),
    $.env.get('CLAUDE_CODE_PLUGIN_CACHE_DIR'),
    $.env.get('HOME'),
    prepared ? undefined : pluginDataOf($),
  ])
  const env = { SWITCHBOARD_STRICT, SWITCHBOARD_DATA_DIR, CLAUDE_CONFIG_DIR, CLAUDE_CODE_PLUGIN_CACHE_DIR, HOME }
  const configDir = claudeConfigDir(env)
  const dataDir = prepared?.dataDir ?? (await findDataDir($, env, cwd, { session: id }, pluginData))
  const dir = dataDir ? `${dataDir}/sessions/${sessionFolderName(id)}` : undefined
  const [snapshot, log, mainAgent] = await Promise.all([
    prepared?.snapshot ??
      (dir
        ? readPlain($, `${dir}/${SNAPSHOT_POINTER}`)
            .then((path) => (path ? readPlain($, path.trim()) : undefined))
            .then((text) => (text ? parseSnapshot(text) : undefined))
        : undefined),
    openModuleLog($, dir),
    mainAgentOf($, cwd),
  ])
  const own = log.records
  // Say which runtime runs this session, for `switchboard trace` and `/switchboard:trace` (session
  // start said it already where the module prepared the session).
  // Best effort: a folder a model's Bash step made unwritable must not make every decision a guard
  // failure (which open mode lets run); a denial is decided before any write.
  // Only where nothing is in its place: a link, or a file of another's (a hard link looks plain), would take the
  // write; one the module wrote before says the same already. The trace then names no runtime, and loses nothing else.
  if (dir && log.listed && !prepared && !log.listed.some((entry) => entry.name === MODULE_MARKER))
    await $.fs.write(`${dir}/${MODULE_MARKER}`, MODULE_MARKER_TEXT).catch(() => undefined)
  const settingsLog = changedLogReader($)
  /** Ends waiting for what completes them (appendEndBehind). */
  const completing = new Set<Promise<unknown>>()
  let queue: Promise<unknown> = Promise.resolve()
  return {
    id,
    plugin: $.plugin.name,
    dir,
    dataDir,
    snapshot,
    ...(mainAgent ? { mainAgent } : {}),
    agents: seenLoopsOf(own),
    unchecked: new Map(),
    pending: new Map(),
    returns: new Map(),
    workflowTags: new Map(),
    env,
    records: async () => {
      if (!dir) return []
      // The settings hooks' log: nothing writes it while the module runs the session, so what it holds came
      // before (a session resumed under the other runtime), or was written by something else that can write
      // the data folder, a model's Bash step included. It never speaks for a call the module recorded: one
      // forged line re-parenting a caller's call would otherwise break its cycle, depth and budget checks.
      const ownIds = new Set(own.map(recordSubject))
      const before = (await settingsLog.read(`${dir}/${CALL_LOG}`)).filter((r) => !ownIds.has(recordSubject(r)))
      return [...before, ...own].sort((a, b) => a.ts - b.ts) // stable: each log keeps its order within a millisecond
    },
    exclusive: (work) => {
      const run = queue.then(work, work)
      queue = run.catch(() => undefined)
      return run
    },
    ownRecords: () => own,
    uncounted: log.unreadable,
    append: (...records) => {
      log.add(...records.map(clippedRecord))
      return log.write()
    },
    appendBehind: (...records) => {
      log.add(...records.map(clippedRecord))
      void log.write().catch(() => undefined)
    },
    appendEndBehind: (record, later) => {
      const stored = clippedRecord(record) as EndRecord
      log.add(stored)
      void log.write().catch(() => undefined)
      const completed = later
        .then((extra) => {
          if (!extra) return
          Object.assign(stored, extra)
          log.changed(stored)
          return log.write()
        })
        .catch(() => undefined)
      completing.add(completed)
      void completed.finally(() => completing.delete(completed))
    },
    flushed: async () => {
      await Promise.all(completing)
      await log.flushed()
    },
    // A call whose text may name a slot waits for these in its decision, and each `$` call is a hop to Claude
    // Code's main thread: one listing (a folder not there yet holds no slot), then every slot file at once.
    // (They were asked one after another: a folder check, the listing, and a read per slot.)
    slots: async () => {
      const slots = new Map<string, Slot>()
      if (!dir) return slots
      const context = `${dir}/context`
      // Refused and not there: no slot yet. Refused and there by the check: a concurrent capture (a fan-out's
      // first return) made it between the two, so it is listed again (read as unlistable, a step ran unchecked).
      const entries = await $.fs
        .list(context)
        .catch(async () => ((await $.fs.exists(context)) ? $.fs.list(context) : []))
      const named = entries.flatMap((entry) => {
        const name = entry.name.endsWith('.json') ? entry.name.slice(0, -'.json'.length) : ''
        return SLOT_NAME.test(name) ? [{ name, file: `${context}/${entry.name}` }] : []
      })
      // Read as the Node side reads it (context/store.ts): a file that holds no slot of its own name (torn by
      // a writer, or forged) is none. Bounded by Claude Code: one read answers at most 4 MiB (2.1.332; asking
      // for more with `length` is refused, which read every slot as none here), and a slot past it is none.
      const texts = await Promise.all(named.map(({ file }) => readPlain($, file)))
      named.forEach(({ name }, at) => {
        const text = texts[at]
        const slot = text === undefined ? undefined : parseSlot(text, name)
        if (slot) slots.set(name, slot)
      })
      return slots
    },
    writeSlot: async (slot) => {
      if (!dir) return
      // Asked together, at every write: each is a hop, and an `into` call's report waits for this write. The
      // folders are looked at each time: a context folder swapped for a link after the first write took the
      // next slot wherever it led (found by review).
      const file = `${dir}/context/${slot.name}.json`
      const [, entries, existing] = await Promise.all([
        ownContextFolder($, dir),
        listOrNone($, `${dir}/context`),
        readPlain($, file),
      ])
      // `$.fs.write` follows a link and writes into a file's other names, where the Node side replaces the file
      // (context/store.ts): a link, a pipe, or a file of another's (a hard link looks plain) put in a slot's place
      // would take the slot's text wherever it leads. A slot file is only ever one of Switchboard's slots.
      const name = `${slot.name}.json`
      const foreign =
        notPlainAmong(entries, [name]) ||
        (entries.some((entry) => entry.name === name) &&
          (existing === undefined || !(parseSlot(existing, slot.name) || tornSlot(existing, slot.name))))
      if (foreign)
        throw new SwitchboardError(
          'SLOT_FILE_NOT_PLAIN',
          `${file} is not a slot file of Switchboard's (a link, a pipe or another file put in a slot's place), and Switchboard writes a slot only as a file of its own. Remove it.`,
        )
      const twin = caseTwin(
        entries.map((entry) => entry.name),
        slot.name,
      )
      if (twin) throw new SwitchboardError('SLOT_NAME_CASE', caseTwinProblem(slot.name, twin))
      const refused = replaceProblem(existing === undefined ? undefined : parseSlot(existing, slot.name), slot.writer)
      if (refused) throw new SwitchboardError('SLOT_SECRET', refused)
      const { name: slotName, ...rest } = slot
      await $.fs.write(file, JSON.stringify({ name: slotName, ...rest })) // its name first: tornSlot
    },
    writeValueFile: async (path, text) => {
      const folder = path.slice(0, path.lastIndexOf('/'))
      const name = path.slice(folder.length + 1)
      const [, entries, existing] = await Promise.all([
        ownContextFolder($, dir!),
        listOrNone($, folder),
        readPlain($, path),
      ])
      // Named by a hash of its text (protocol/envelope.ts valueFileName): one there already holds this text, and
      // anything else at the name (a link, a pipe, a file of another's, all of which `$.fs.write` would write
      // through) was put there, with a name worked out from the value (found by review).
      if (!entries.some((entry) => entry.name === name)) return $.fs.write(path, text)
      // As written and read back: a lone surrogate is written as U+FFFD.
      if (!notPlainAmong(entries, [name]) && existing === new TextDecoder().decode(new TextEncoder().encode(text)))
        return
      throw new SwitchboardError(
        'VALUE_FILE_NOT_PLAIN',
        `${path} is not the value file Switchboard wrote (a link, a pipe or another file put in its place), so the value is not written there. Remove it.`,
      )
    },
    policy: () => readPolicySources($, configDir, cwd),
  }
}

/**
 * Slots are written only into a folder of the session's own, never through a link a model's Bash step
 * planted (as the Node side refuses, context/store.ts contextDir): a put through one would overwrite the
 * files it leads to. A folder not there yet is fine: the write makes it.
 */
async function ownContextFolder($: Engine, dir: string): Promise<void> {
  // The files folder too: a secret's value, too large for the envelope, was written through a planted link
  // there, and the file a replaced secret's value was in removed through it (found by review).
  const link = await firstLink($, [dir, `${dir}/context`, `${dir}/context/files`])
  if (link)
    throw new SwitchboardError(
      'CONTEXT_FOLDER_LINK',
      `${link} is a link, and Switchboard keeps a session's slots only in a folder of its own. Remove the link (a new session starts with none).`,
    )
}

/**
 * The plugin agent (`plugin:name`) the main thread runs as: Claude Code's own answer (`--agent`, the `agent`
 * key of any settings tier, as it resolved them; 2.1.331 and 2.1.332, probed 2026-12-01), as 2.1.197 names
 * it in its hooks' input. A user's or a built-in agent (no plugin part) leaves the person the caller.
 */
async function mainAgentOf($: Engine, cwd: string): Promise<string | undefined> {
  let info: { agentType?: string }
  try {
    info = await $.session.info()
  } catch {
    return projectMainAgent($, cwd) // an early-access call gone: a repository's setting must still not pass for the person
  }
  return info?.agentType?.includes(':') ? info.agentType : undefined
}

/** The plugin agent the project's settings name as the main thread's `agent`, local settings first. */
async function projectMainAgent($: Engine, cwd: string): Promise<string | undefined> {
  const names = ['.claude/settings.local.json', '.claude/settings.json']
  const reads = await Promise.all(names.map((name) => readSettings($, `${cwd}/${name}`)))
  for (const read of reads) {
    if (read === undefined || !('text' in read)) continue // unreadable: no agent read from it, as before
    try {
      const agent = (JSON.parse(read.text) as { agent?: unknown } | null)?.agent
      if (typeof agent === 'string' && agent.trim()) return agent.includes(':') ? agent.trim() : undefined
    } catch {
      // not JSON: Claude Code reads no agent from it
    }
  }
  return undefined
}

/** Claude Code's config folder, as the module reads the environment: `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function claudeConfigDir(env: { CLAUDE_CONFIG_DIR?: string | undefined; HOME?: string | undefined }): string {
  return env.CLAUDE_CONFIG_DIR || `${env.HOME ?? ''}/.claude`
}

/** The user's and the project's policy files, as the guard merges them (a file that cannot be read says so). */
export async function readPolicySources($: Engine, configDir: string, cwd: string): Promise<PolicySource[]> {
  const user = `${configDir}/switchboard/policy.json`
  const project = `${cwd}/.claude/switchboard/policy.json`
  // A session in the home folder: one file, the user's (policy.ts loadPolicy says why).
  const files: Array<[string, PolicySource['scope']]> =
    POSIX_PATHS.resolve('/', user) === POSIX_PATHS.resolve('/', project)
      ? [[user, 'user']]
      : [
          [user, 'user'],
          [project, 'project'],
        ]
  // The project's settings, asked in the same batch: one that moves the policy is a problem (policy-rules.ts).
  const [sources, moved] = await Promise.all([
    Promise.all(
      files.map(async ([file, scope]): Promise<PolicySource> => {
        if (!(await isThere($, file))) return { file, scope }
        // A range: a pipe is refused at once (readPlain), and said so.
        const text = await $.fs.read(file, { length: FS_READ_LIMIT }).catch((thrown: unknown) => ({ thrown }))
        return typeof text === 'string'
          ? { file, scope, text }
          : {
              file,
              scope,
              problem: `${file}: cannot be read (${messageOf(text.thrown)}). Make it a readable JSON file, or remove it.`,
            }
      }),
    ),
    Promise.all(
      PROJECT_SETTINGS.map(async (name) => {
        const file = `${cwd}/${name}`
        const read = await readSettings($, file)
        if (read === undefined) return undefined
        return 'unread' in read ? unreadProjectSettings(file, read.unread) : movedByProjectSettings(file, read.text)
      }),
    ),
  ])
  return [...sources, ...moved.filter((source): source is PolicySource => source !== undefined)]
}

/**
 * What a guard decision reads, asked together: each is a hop to Claude Code's main thread, and a
 * call's decision waits on them (the policy files, and the calls so far of both logs).
 */
export async function decisionInputs(
  s: SessionState,
): Promise<{ policy: Policy; invocations: Map<string, Invocation> }> {
  const [sources, records] = await Promise.all([s.policy(), s.records()])
  return { policy: mergePolicy(sources, s.env), invocations: foldInvocations(records) }
}

/** How a spawn finds the invoke call that caused it: the calling loop, the agent type and the prompt as asked. */
export function pendingKey(agentId: string | undefined, subagentType: string, prompt: string): string {
  return `${agentId ?? 'main'}\n${subagentType}\n${prompt}`
}

// --- internal ---

/** What a record speaks for: a call (by its id), or an agent's start (by the agent's id). */
function recordSubject(record: CallRecord): string {
  return 'id' in record ? record.id : `agent ${record.agent}`
}

/**
 * A log's records, read again only when its size or time changed: nothing writes the settings hooks' log
 * while the module runs the session, and one of megabytes (planted, or a resumed session's) was read and
 * parsed for every decision, 73 ms each at 3.9 MiB (found by review).
 */
function changedLogReader($: Engine): { read: (path: string) => Promise<CallRecord[]> } {
  let last: { key: string; records: CallRecord[] } | undefined
  return {
    read: async (path) => {
      const stat = await $.fs.stat(path).catch(() => undefined)
      if (!stat) return []
      const key = `${stat.size}:${stat.mtimeMs}`
      if (last?.key !== key) last = { key, records: mergeLogs([(await readPlain($, path)) ?? '']) }
      return last.records
    },
  }
}

/**
 * Whether anything is at the path, a link that leads nowhere included: only a policy file that is not there
 * means no policy (policy.ts loadPolicy). `$.fs.exists` answers false for a dangling link (2.1.331 and 2.1.332,
 * probed 2026-12-02), which read the user's rules and strict mode as gone where the Node side fails closed;
 * `$.fs.stat` answers a dangling link as one (`isLink`) and rejects ending ` failed: ENOENT` only where nothing
 * is there (the path comes before that end, so a name cannot forge it). Any other answer counts as there.
 */
async function isThere($: Engine, path: string): Promise<boolean> {
  return $.fs.stat(path).then(
    () => true,
    (thrown: unknown) => !isMissing(thrown),
  )
}

/**
 * A project settings file's text, decoded as Claude Code decodes it (common/settings-text.ts); undefined where
 * nothing is there, `unread` why where it is there but cannot be read whole (policy-rules.ts, as on the Node
 * side). Read as a range, so a pipe is refused at once; a range as long as the bound that comes back full may
 * be the start of a longer file, which its size tells.
 */
async function readSettings($: Engine, path: string): Promise<{ text: string } | { unread: string } | undefined> {
  try {
    const { base64 } = await $.fs.read(path, { as: 'bytes', length: PROJECT_SETTINGS_MAX_BYTES })
    if (base64.length >= (PROJECT_SETTINGS_MAX_BYTES / 3) * 4) {
      const { size } = await $.fs.stat(path)
      if (size > PROJECT_SETTINGS_MAX_BYTES) return { unread: `${size} bytes` }
    }
    return { text: settingsTextOfBase64(base64) }
  } catch (thrown) {
    // Only a file that is not there has no env block.
    return isMissing(thrown) || / failed: ENOTDIR$/.test(messageOf(thrown)) ? undefined : { unread: messageOf(thrown) }
  }
}

/**
 * A slot file of this name the module's own write left cut short (`$.fs.write` truncates, then writes): the
 * start of `{"name":"<name>",...`, as writeSlot writes it. Written over; anything else not a slot is another's.
 */
function tornSlot(text: string, name: string): boolean {
  const head = `{"name":${JSON.stringify(name)},`
  // Empty too: another write of the slot, truncated, not yet written (a fan-out whose steps share a slot).
  return head.startsWith(text) || text.startsWith(head)
}

/**
 * A file's text, or undefined where it cannot be read. Read as a range, as anything in the data folder may have
 * been put in its place by a model's Bash step: a pipe is refused at once where a plain read would wait on it,
 * holding the decision; a file past what one read answers reads as its start, which parses as nothing.
 */
async function readPlain($: Engine, path: string): Promise<string | undefined> {
  try {
    return await $.fs.read(path, { length: FS_READ_LIMIT })
  } catch {
    return undefined
  }
}

/**
 * A session's start, prepared by the hooks module where it can be, so the SessionStart settings hook
 * need not start node (about 1.5 bare-node starts once per session; docs/runtimes.md). The module
 * finds the registry snapshot this session's plugins name, by the rules the hook follows
 * (registry/snapshot-locator.ts), checks it fresh with `$.fs.stat`, and writes what the hook would
 * write: the session's snapshot pointer, its project and runtime, and which session this Claude Code
 * process runs (for the MCP server). It answers the text the model is told at session start.
 *
 * Anything it cannot be sure of (no snapshot yet, a stale one, a data folder it cannot tell, a
 * Claude Code it does not recognise on /proc) and it answers undefined: the hook then runs as
 * before, rebuilds what it must and writes the same files. So the module never rebuilds, and never
 * judges with a snapshot the hook would not have chosen.
 */
import { parseSnapshot } from '../registry/snapshot-format.ts'
import type { RegistrySnapshot } from '../registry/snapshot-format.ts'
import {
  ABSENT,
  entryHolds,
  hashKey,
  isClaudeCodeArgv,
  pluginDirsOfArgv,
  POSIX_PATHS,
  registryKeyWith,
  snapshotFileName,
  watchesWhatItLists,
} from '../registry/snapshot-locator.ts'
import type { PathStat } from '../registry/snapshot-locator.ts'
import {
  MODULE_MARKER,
  MODULE_MARKER_TEXT,
  PROCESSES_FOLDER,
  PRUNED_MARKER,
  pruneDue,
  PROJECT_FILE,
  runtimeLine,
  sessionFolderName,
  sessionSummary,
  SNAPSHOT_POINTER,
} from '../trace/core.ts'
import { findDataDirWith, pluginDataOf } from './data-dir.ts'
import { FS_READ_LIMIT, isMissing, isPlainFile, notPlainAmong } from './mod-api.ts'
import type { Engine } from './mod-api.ts'

/** A session the module prepared: what the model is told, and what the session's state opens with. */
export interface PreparedSession {
  context: string
  dataDir: string
  snapshot: RegistrySnapshot
}

/**
 * The session prepared, its files written; undefined where the hook must run. Its `$` calls are made
 * together wherever one does not need another's answer: each waits on Claude Code's main thread,
 * which is busy starting the session.
 */
export async function prepareSession($: Engine, sessionId: string, cwd: string): Promise<PreparedSession | undefined> {
  // What the settings hook reads from its environment to name the snapshot (registry/claude-paths.ts),
  // each name a literal: `claude plugin validate` lists the variables a module reads.
  const [
    HOME,
    CLAUDE_CONFIG_DIR,
    CLAUDE_CODE_PLUGIN_CACHE_DIR,
    SWITCHBOARD_PLUGIN_DIRS,
    CLAUDE_CODE_PLUGIN_DIRS,
    SWITCHBOARD_DATA_DIR,
    claude,
    pluginData,
  ] = await Promise.all([
    $.env.get('HOME'),
    $.env.get('CLAUDE_CONFIG_DIR'),
    $.env.get('CLAUDE_CODE_PLUGIN_CACHE_DIR'),
    $.env.get('SWITCHBOARD_PLUGIN_DIRS'),
    $.env.get('CLAUDE_CODE_PLUGIN_DIRS'),
    $.env.get('SWITCHBOARD_DATA_DIR'),
    claudeProcess($),
    pluginDataOf($),
  ])
  if (!HOME || !claude) return undefined
  // Claude Code gives its hooks CLAUDE_PROJECT_DIR as the folder it runs in, whatever its own
  // environment says (docs/claude-code-notes.md): the hook's key is made with that folder.
  const env = {
    HOME,
    CLAUDE_CONFIG_DIR,
    CLAUDE_CODE_PLUGIN_CACHE_DIR,
    CLAUDE_PROJECT_DIR: claude.cwd,
    SWITCHBOARD_PLUGIN_DIRS,
    CLAUDE_CODE_PLUGIN_DIRS,
    SWITCHBOARD_DATA_DIR,
  }
  const pluginDirs = pluginDirsOfArgv(claude.argv, claude.cwd)
  const fileName = snapshotFileName(hashKey(registryKeyWith(POSIX_PATHS, { cwd, env, pluginDirs }, HOME)))
  // Each candidate data folder's snapshot is read with the file that says whose folder it is.
  const located = await findDataDirWith(
    $,
    env,
    cwd,
    { inline: pluginDirs.includes($.plugin.root) },
    pluginData,
    // A range: a pipe in the snapshot's place is refused at once, not waited on (found by review).
    (folder) => $.fs.read(`${folder}/${fileName}`, { length: FS_READ_LIMIT }).catch(() => undefined),
  )
  if (!located) return undefined
  const { dataDir } = located
  const file = `${dataDir}/${fileName}`
  const snapshot = parseSnapshot(located.found ?? '')
  if (!snapshot) return undefined
  // The module cannot remove files: once a day the SessionStart node process runs and prunes old sessions
  // (trace/session-retention.ts), about 1.4 bare-node starts a day. Asked with the freshness stats.
  const sessionDir = `${dataDir}/sessions/${sessionFolderName(sessionId)}`
  const processFile = `${dataDir}/${PROCESSES_FOLDER}/${claude.pid}`
  // The files it writes, looked at with the freshness stats (no round more): `$.fs.write` follows a link and
  // writes into a hard link's other names, so where anything but its own text is in the place of one (a link,
  // a pipe, or a file of another's, which looks plain), the hook's node process writes them, replacing it.
  const files: Array<[string, string]> = [
    [`${sessionDir}/${SNAPSHOT_POINTER}`, file],
    [`${sessionDir}/${PROJECT_FILE}`, POSIX_PATHS.resolve('/', cwd)],
    [`${sessionDir}/${MODULE_MARKER}`, MODULE_MARKER_TEXT],
    [processFile, sessionId],
  ]
  const [fresh, pruned, inSession, processEntry, ...texts] = await Promise.all([
    isFresh($, snapshot),
    $.fs.stat(`${dataDir}/sessions/${PRUNED_MARKER}`).then(
      (stat) => stat.mtimeMs,
      () => undefined,
    ),
    // Not there yet (a new session): nothing in the way. Refused otherwise: undefined, and the hook writes them.
    $.fs.list(sessionDir).catch((thrown: unknown) => (isMissing(thrown) ? [] : undefined)),
    $.fs.stat(processFile).catch(() => undefined),
    ...files.map(([path]) => $.fs.read(path, { length: FS_READ_LIMIT }).catch(() => undefined)),
  ])
  if (!fresh || pruneDue(pruned, Date.now())) return undefined
  if (!inSession || notPlainAmong(inSession, [SNAPSHOT_POINTER, PROJECT_FILE, MODULE_MARKER])) return undefined
  if (processEntry && !isPlainFile(processEntry)) return undefined
  const present = [...inSession.map((entry) => `${sessionDir}/${entry.name}`), ...(processEntry ? [processFile] : [])]
  // A resumed session's own files hold what it would write: left as they are.
  const due = files.filter(([path, text], at) => !present.includes(path) || texts[at] !== text)
  if (due.some(([path]) => present.includes(path))) return undefined
  // With the files, the variable that has the SessionStart hook step aside (hooks.json): one batch,
  // every call settled before deciding. Should a write fail or the variable be refused, it is unset
  // here, and the hook does the work (register.ts unsets it too where the handler itself fails).
  const settled = await Promise.allSettled([
    ...due.map(([path, text]) => $.fs.write(path, text)),
    $.env.set('SWITCHBOARD_SESSION_READY', sessionId),
  ])
  const ready = settled.at(-1)
  if (settled.some((s) => s.status === 'rejected') || (ready?.status === 'fulfilled' && ready.value?.deny)) {
    await $.env.set('SWITCHBOARD_SESSION_READY', undefined)
    return undefined
  }
  const summary = sessionSummary(snapshot)
  const { line } = runtimeLine({ runtime: 'hooks module', version: undefined }, snapshot.plugins)
  return { context: summary === undefined ? line : `${line}\n${summary}`, dataDir, snapshot }
}

// --- internal ---

/** Claude Code's own process (the module runs inside it): its pid, command line and working directory. */
async function claudeProcess($: Engine): Promise<{ pid: string; argv: string[]; cwd: string } | undefined> {
  try {
    const [self, cmdline, folder] = await Promise.all([
      $.fs.stat('/proc/self', { resolve: true }),
      $.fs.read('/proc/self/cmdline'),
      $.fs.stat('/proc/self/cwd', { resolve: true }),
    ])
    const pid = /^\/proc\/(\d+)$/.exec(self.realPath ?? '')?.[1]
    const argv = cmdline.split('\0').filter((arg) => arg.length > 0)
    const cwd = folder.realPath
    // The settings hook looks further up the process tree when this is not Claude Code: let it.
    return pid && cwd && isClaudeCodeArgv(argv) ? { pid, argv, cwd } : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether every watched path is as the snapshot recorded it, all asked at once. A `$.fs.stat` costs
 * Claude Code about 0.14 ms asked together and 1 ms one after another (2.1.332, 2,250 paths: 304 ms
 * against Node's 40 ms), so past MAX_WATCHED paths the hook's node process is the cheaper check.
 */
async function isFresh($: Engine, snapshot: RegistrySnapshot): Promise<boolean> {
  const entries = snapshot.fingerprint
  if (entries.length > MAX_WATCHED || !watchesWhatItLists(snapshot)) return false
  const now = await Promise.all(entries.map((entry) => statOf($, entry[0])))
  return entries.every((entry, index) => entryHolds(entry, now[index]!))
}

const MAX_WATCHED = 1000

/** As registry/snapshot.ts records a path: a folder's size as 0, anything that cannot be seen as ABSENT. */
async function statOf($: Engine, path: string): Promise<PathStat> {
  try {
    const stat = await $.fs.stat(path)
    return { mtime: stat.mtimeMs, size: stat.kind === 'dir' ? 0 : stat.size }
  } catch {
    return ABSENT
  }
}

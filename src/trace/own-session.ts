/**
 * Which session a process belongs to, so that a session reaches only its own slots and trace.
 *
 * Claude Code starts the SessionStart hook and the plugin's MCP server as direct children of its own
 * process, and gives both CLAUDE_CODE_SESSION_ID; the Bash tool gets CLAUDE_CODE_SESSION_ID too
 * (docs/claude-code-notes.md "Environment of plugin processes"). The id in the MCP server's
 * environment is the one it was started with, and `/clear` or a resume gives the running process a
 * new session: so SessionStart records `processes/<claude pid>` -> session id each time it runs, and
 * the MCP server looks itself up by its parent pid first.
 */
import { rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { writeFileAtomic } from '../common/index.ts'
import { readSnapshot } from '../registry/snapshot.ts'
import type { RegistrySnapshot } from '../registry/snapshot.ts'
import { listSessions, sessionDir, sessionRuntime } from './call-log.ts'
import { MODULE_MARKER, MODULE_MARKER_TEXT, PROCESSES_FOLDER, PROJECT_FILE, SNAPSHOT_POINTER } from './records.ts'
import type { RuntimeName } from './runtime.ts'
import { readTextNoWait, SMALL_FILE_BYTES } from '../registry/read-bounded.ts'

export interface SessionRef {
  id: string
  dir: string
}

/** Records that the Claude Code process `claudePid` now runs session `sessionId` (SessionStart). */
export function recordSessionProcess(dataDir: string, claudePid: number, sessionId: string): void {
  writeFileAtomic(join(dataDir, PROCESSES_FOLDER, String(claudePid)), sessionId)
}

/**
 * The session of the Claude Code process `claudePid` (the MCP server's parent), else the session id
 * Claude Code put in the environment; undefined outside Claude Code. Never "the latest session".
 */
export function ownSession(
  dataDir: string,
  env: Readonly<Record<string, string | undefined>>,
  claudePid?: number,
): SessionRef | undefined {
  const recorded = claudePid === undefined ? undefined : readRecorded(dataDir, claudePid)
  const id = recorded ?? env.CLAUDE_CODE_SESSION_ID
  return id ? { id, dir: sessionDir(dataDir, id) } : undefined
}

/** Records which registry snapshot a session uses (SessionStart). */
export function writeSnapshotPointer(sessionFolder: string, snapshotFile: string): void {
  writeFileAtomic(join(sessionFolder, SNAPSHOT_POINTER), snapshotFile)
}

/** The registry snapshot a session uses; undefined when SessionStart did not record a readable one. */
export function readSessionSnapshot(sessionFolder: string): RegistrySnapshot | undefined {
  try {
    return readSnapshot(readTextNoWait(join(sessionFolder, SNAPSHOT_POINTER), SMALL_FILE_BYTES).trim())
  } catch {
    return undefined
  }
}

/**
 * Records, at SessionStart, the project a session runs in and the runtime it runs: the module's
 * marker when the hooks module runs it (the module also writes it at its first call), none otherwise
 * (a session resumed under a Claude Code without modules ran the module before, and does not now).
 */
export function recordSessionStart(sessionFolder: string, project: string, runtime: RuntimeName | 'none'): void {
  writeFileAtomic(join(sessionFolder, PROJECT_FILE), resolve(project))
  if (runtime === 'hooks module') writeFileAtomic(join(sessionFolder, MODULE_MARKER), MODULE_MARKER_TEXT)
  else rmSync(join(sessionFolder, MODULE_MARKER), { force: true })
}

/** The most recently active session started in `project`, and the runtime that ran it. */
export function lastSessionOf(
  dataDir: string,
  project: string,
): (SessionRef & { runtime: RuntimeName | undefined }) | undefined {
  const wanted = resolve(project)
  for (const session of listSessions(dataDir)) {
    let recorded: string
    try {
      recorded = readTextNoWait(join(session.dir, PROJECT_FILE), SMALL_FILE_BYTES)
    } catch {
      continue // started before sessions recorded their project
    }
    if (recorded === wanted) return { id: session.id, dir: session.dir, runtime: sessionRuntime(session.dir) }
  }
  return undefined
}

function readRecorded(dataDir: string, claudePid: number): string | undefined {
  try {
    const id = readTextNoWait(join(dataDir, PROCESSES_FOLDER, String(claudePid)), SMALL_FILE_BYTES).trim()
    return id || undefined
  } catch {
    return undefined
  }
}

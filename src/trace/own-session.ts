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
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../common/index.ts'
import { readSnapshot } from '../registry/snapshot.ts'
import type { RegistrySnapshot } from '../registry/snapshot.ts'
import { sessionDir } from './call-log.ts'

export interface SessionRef {
  id: string
  dir: string
}

/** Records that the Claude Code process `claudePid` now runs session `sessionId` (SessionStart). */
export function recordSessionProcess(dataDir: string, claudePid: number, sessionId: string): void {
  writeFileAtomic(join(dataDir, 'processes', String(claudePid)), sessionId)
}

/**
 * The session of the Claude Code process `claudePid` (the MCP server's parent), else the session id
 * Claude Code put in the environment; undefined outside Claude Code. Never "the latest session".
 */
export function ownSession(dataDir: string, env: Readonly<Record<string, string | undefined>>, claudePid?: number): SessionRef | undefined {
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
    return readSnapshot(readFileSync(join(sessionFolder, SNAPSHOT_POINTER), 'utf8').trim())
  } catch {
    return undefined
  }
}

// --- internal ---

const SNAPSHOT_POINTER = 'registry-path'

function readRecorded(dataDir: string, claudePid: number): string | undefined {
  try {
    const id = readFileSync(join(dataDir, 'processes', String(claudePid)), 'utf8').trim()
    return id || undefined
  } catch {
    return undefined
  }
}

/**
 * What SubagentStop has to tell an agent's caller, waiting for the caller's PostToolUse.
 *
 * In settings mode an agent's return is captured at its SubagentStop, which fires for every plugin
 * agent, foreground or background, before the caller's PostToolUse; a return that breaks its contract
 * leaves a notice here, which the caller's PostToolUse hands to the caller beside the tool result.
 */
import { rmSync } from 'node:fs'
import { writeFileAtomic } from '../common/index.ts'
import { join } from 'node:path'
import { safeFileName } from '../trace/index.ts'
import { readTextNoWait, SMALL_FILE_BYTES } from '../registry/read-bounded.ts'

const NOTICES = 'notices'

/** Leaves `text` for the PostToolUse of the call `toolUseId`. */
export function leaveNotice(sessionDir: string, toolUseId: string, text: string): void {
  // Replaced, never opened for writing where it stands: a FIFO put there would hold the server until read.
  writeFileAtomic(join(sessionDir, NOTICES, safeFileName(toolUseId)), text)
}

/** The notice left for the call, removed as it is read. */
export function takeNotice(sessionDir: string, toolUseId: string): string | undefined {
  const file = join(sessionDir, NOTICES, safeFileName(toolUseId))
  try {
    const text = readTextNoWait(file, SMALL_FILE_BYTES)
    rmSync(file, { force: true })
    return text
  } catch {
    return undefined
  }
}

/** A later stop of the same agent brought a return that is fine after all. */
export function dropNotice(sessionDir: string, toolUseId: string): void {
  rmSync(join(sessionDir, NOTICES, safeFileName(toolUseId)), { force: true })
}

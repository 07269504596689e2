/**
 * The context store: named slots of one session, each a text or JSON value with who wrote it and
 * when. One file per slot under sessions/<id>/context/, written atomically (temporary file + rename),
 * so concurrent writers never leave half a value and the last complete write wins.
 */
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { inert, isLink, SwitchboardError, writeFileAtomic } from '../common/index.ts'
import { caseTwin, caseTwinProblem, MAX_SLOT_FILE_BYTES, parseSlot, replaceProblem, SLOT_NAME } from './slots.ts'
import type { Slot } from './slots.ts'
import { readTextNoWait } from '../registry/read-bounded.ts'

/**
 * The session's context folder. Never through a link: a model's Bash step can plant one in the data
 * folder, and slots put and cleared there would overwrite and delete the files it leads to (found by review).
 */
export function contextDir(sessionDir: string): string {
  const dir = join(sessionDir, 'context')
  // The files folder too, where values too large for the envelope go: a secret's was written through a
  // link planted there, and a replaced secret's file removed through it (found by review).
  for (const folder of [sessionDir, dir, join(dir, 'files')])
    if (isLink(folder))
      throw new SwitchboardError(
        'CONTEXT_FOLDER_LINK',
        `${folder} is a link, and Switchboard keeps a session's slots only in a folder of its own. Remove the link (a new session starts with none).`,
      )
  return dir
}

export function putSlot(sessionDir: string, slot: Omit<Slot, 'ts'> & { ts?: number }): Slot {
  if (!SLOT_NAME.test(slot.name))
    throw new Error(`"${slot.name}" is not a slot name: use ASCII letters, digits and "_", not starting with a digit`)
  const twin = caseTwin(slotFiles(sessionDir), slot.name)
  if (twin) throw new SwitchboardError('SLOT_NAME_CASE', caseTwinProblem(slot.name, twin))
  const existing = getSlot(sessionDir, slot.name)
  const refused = replaceProblem(existing, slot.writer)
  if (refused) throw new SwitchboardError('SLOT_SECRET', refused)
  const full: Slot = { ...slot, ts: slot.ts ?? Date.now() }
  const text = JSON.stringify(full)
  if (Buffer.byteLength(text) > MAX_SLOT_FILE_BYTES)
    throw new SwitchboardError(
      'SLOT_TOO_LARGE',
      `the value of slot "${slot.name}" takes ${Buffer.byteLength(text)} bytes stored, more than the ${MAX_SLOT_FILE_BYTES} a slot holds (the guard reads every slot a call names, at every call). Pass a path to the file instead, or store a summary.`,
    )
  writeFileAtomic(join(contextDir(sessionDir), `${slot.name}.json`), text)
  // A secret's old value must not stay on disk in a file a call was sent it in (inject.ts moves large ones).
  if (existing?.secret) removeValueFiles(sessionDir, slot.name)
  return full
}

export function getSlot(sessionDir: string, name: string): Slot | undefined {
  if (!SLOT_NAME.test(name)) return undefined
  try {
    return parseSlot(readTextNoWait(join(contextDir(sessionDir), `${name}.json`), MAX_SLOT_FILE_BYTES), name)
  } catch {
    return undefined
  }
}

/** The file names in the session's context folder (none where it is not there or is a link). */
function slotFiles(sessionDir: string): string[] {
  try {
    return readdirSync(contextDir(sessionDir))
  } catch {
    return []
  }
}

export function listSlots(sessionDir: string): Slot[] {
  return slotFiles(sessionDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => getSlot(sessionDir, f.slice(0, -5)))
    .filter((s): s is Slot => s !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * clearSlots for a caller that is not the user at a terminal (a tool call, the CLI run by Claude Code): a secret is
 * the user's to remove, as clearing it would let that caller put its own value under the secret's name next. The
 * secrets named are kept (`kept`).
 */
export function clearSlotsButSecrets(sessionDir: string, name?: string): { removed: number; kept: string[] } {
  const named = listSlots(sessionDir).filter((slot) => name === undefined || slot.name === name)
  const removed = named.filter((slot) => !slot.secret).reduce((n, slot) => n + clearSlots(sessionDir, slot.name), 0)
  return { removed, kept: named.filter((slot) => slot.secret).map((slot) => slot.name) }
}

/** What clearSlotsButSecrets kept, said to the caller ('' where it kept none). */
export function keptSecretsNote(kept: readonly string[]): string {
  return kept.length > 0
    ? ` Kept ${kept.map(inert).join(', ')}: secret slots are removed only with \`switchboard context clear\` at a terminal.`
    : ''
}

/** Removes one slot, or all of them. Returns how many were removed. */
export function clearSlots(sessionDir: string, name?: string): number {
  const slots = name ? [getSlot(sessionDir, name)].filter((s): s is Slot => s !== undefined) : listSlots(sessionDir)
  for (const slot of slots) {
    rmSync(join(contextDir(sessionDir), `${slot.name}.json`), { force: true })
    removeValueFiles(sessionDir, slot.name) // a removed slot leaves no copy of its value behind
  }
  return slots.length
}

// --- internal ---

/**
 * The files a slot's values were moved to for calls (`files/<name>-<hash>.txt`: protocol/envelope.ts). A slot
 * name holds no "-", so `<name>-` names only that slot's files.
 */
function removeValueFiles(sessionDir: string, name: string): void {
  const folder = join(contextDir(sessionDir), 'files')
  let files: string[]
  try {
    files = readdirSync(folder)
  } catch {
    return // no value was ever moved to a file
  }
  for (const file of files)
    if (file.startsWith(`${name}-`) && /^[0-9a-f]{12}\.txt$/.test(file.slice(name.length + 1)))
      rmSync(join(folder, file), { force: true })
}

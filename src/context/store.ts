/**
 * The context store: named slots of one session, each a text or JSON value with who wrote it and
 * when. One file per slot under sessions/<id>/context/, written atomically (temporary file + rename),
 * so concurrent writers never leave half a value and the last complete write wins.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Slot {
  name: string
  type: 'text' | 'json'
  value: unknown
  /** `cli`, `tool`, or the invocation whose return was captured (`return:<target>`). */
  writer: string
  ts: number
}

export const SLOT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export function contextDir(sessionDir: string): string {
  return join(sessionDir, 'context')
}

export function putSlot(sessionDir: string, slot: Omit<Slot, 'ts'> & { ts?: number }): Slot {
  if (!SLOT_NAME.test(slot.name)) throw new Error(`"${slot.name}" is not a slot name: use letters, digits and "_", not starting with a digit`)
  const dir = contextDir(sessionDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const full: Slot = { ...slot, ts: slot.ts ?? Date.now() }
  const file = join(dir, `${slot.name}.json`)
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  writeFileSync(temporary, JSON.stringify(full), { mode: 0o600 })
  renameSync(temporary, file)
  return full
}

export function getSlot(sessionDir: string, name: string): Slot | undefined {
  if (!SLOT_NAME.test(name)) return undefined
  try {
    return JSON.parse(readFileSync(join(contextDir(sessionDir), `${name}.json`), 'utf8')) as Slot
  } catch {
    return undefined
  }
}

export function listSlots(sessionDir: string): Slot[] {
  let files: string[]
  try {
    files = readdirSync(contextDir(sessionDir))
  } catch {
    return []
  }
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => getSlot(sessionDir, f.slice(0, -5)))
    .filter((s): s is Slot => s !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Removes one slot, or all of them. Returns how many were removed. */
export function clearSlots(sessionDir: string, name?: string): number {
  const slots = name ? [getSlot(sessionDir, name)].filter((s): s is Slot => s !== undefined) : listSlots(sessionDir)
  for (const slot of slots) rmSync(join(contextDir(sessionDir), `${slot.name}.json`), { force: true })
  return slots.length
}

/** A slot's value as text: strings as they are, JSON pretty-printed. */
export function slotText(slot: Slot): string {
  return typeof slot.value === 'string' ? slot.value : JSON.stringify(slot.value, null, 2)
}

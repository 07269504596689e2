/**
 * The context store: named slots of one session, each a text or JSON value with who wrote it and
 * when. One file per slot under sessions/<id>/context/, written atomically (temporary file + rename),
 * so concurrent writers never leave half a value and the last complete write wins.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { SwitchboardError, writeFileAtomic } from '../common/index.ts'
import { replaceProblem, SLOT_NAME } from './slots.ts'
import type { Slot } from './slots.ts'

export function contextDir(sessionDir: string): string {
  return join(sessionDir, 'context')
}

export function putSlot(sessionDir: string, slot: Omit<Slot, 'ts'> & { ts?: number }): Slot {
  if (!SLOT_NAME.test(slot.name))
    throw new Error(`"${slot.name}" is not a slot name: use letters, digits and "_", not starting with a digit`)
  const refused = replaceProblem(getSlot(sessionDir, slot.name), slot.writer)
  if (refused) throw new SwitchboardError('SLOT_SECRET', refused)
  const full: Slot = { ...slot, ts: slot.ts ?? Date.now() }
  writeFileAtomic(join(contextDir(sessionDir), `${slot.name}.json`), JSON.stringify(full))
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

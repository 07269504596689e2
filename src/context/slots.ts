/**
 * A context slot as data: its shape, its name rule, whether it may leave for a plugin, and its text.
 * Pure (no Node): shared by the Node store (store.ts) and the hooks module.
 */
export interface Slot {
  name: string
  type: 'text' | 'json'
  value: unknown
  /** `cli`, `tool`, or the invocation whose return was captured (`return:<target>`). */
  writer: string
  ts: number
  /**
   * A secret never leaves for another plugin: it is passed only to the plugin that wrote it (a
   * captured return) and to the plugins named in `shareWith`. The user sets it (`context put --secret`).
   */
  secret?: boolean
  shareWith?: string[]
}

import { inert, nearest } from '../common/core.ts'

export { SLOT_NAME } from '../manifest/name-rules.ts'

/**
 * The most a slot's file may hold to be read (the guard reads every slot a call names, at every call): a
 * value this large is a mistake or an attack (a 300 MB slot named in a call held its hook 36 s, and Claude
 * Code runs a call whose hook does not answer in time unchecked). `context put` refuses to store more.
 */
export const MAX_SLOT_FILE_BYTES = 16 * 1024 * 1024

/**
 * The slot a file holds, from its text, or undefined where it holds none by that name: torn, of another
 * shape, or forged (a model's Bash step can write in the data folder). One reading for both runtimes, the
 * name the file's own: the module read any JSON with a name as a slot, and a file with no writer or no value
 * crashed the guard after it had allowed the call, which then ran unchecked and untraced (found by review).
 */
export function parseSlot(text: string, name: string): Slot | undefined {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined
  const slot = data as Record<string, unknown>
  const shape =
    slot.name === name &&
    (slot.type === 'json' || (slot.type === 'text' && typeof slot.value === 'string')) &&
    Object.hasOwn(slot, 'value') &&
    typeof slot.writer === 'string' &&
    typeof slot.ts === 'number' &&
    (slot.secret === undefined || typeof slot.secret === 'boolean') &&
    (slot.shareWith === undefined ||
      (Array.isArray(slot.shareWith) && slot.shareWith.every((plugin) => typeof plugin === 'string')))
  return shape ? (slot as unknown as Slot) : undefined
}

/**
 * Another slot whose name differs from `name` only in letter case, among the context folder's file names:
 * on a disk that folds case (macOS, Windows) the two are one file, and a put of `TOKEN` replaced the user's
 * secret `token` (its file read back as no slot of that name; found by review). Refused on every disk.
 */
export function caseTwin(fileNames: readonly string[], name: string): string | undefined {
  const wanted = `${name}.json`.toLowerCase()
  return fileNames.find((file) => file.toLowerCase() === wanted && file !== `${name}.json`)?.slice(0, -'.json'.length)
}

/** Why a slot may not be written as `name` where `twin` is (caseTwin). */
export function caseTwinProblem(name: string, twin: string): string {
  return `there is a slot "${twin}", whose name differs from "${name}" only in letter case (one file on macOS and Windows). Use "${twin}" itself, or another name.`
}

/**
 * Why `writer` may not replace `existing`, or undefined when it may. A secret is the user's: only
 * `switchboard context put` at a terminal (writer `cli`) replaces it, never a tool call, a captured
 * return, a workflow step or a receipt, which a model or another plugin could steer.
 */
export function replaceProblem(
  existing: Pick<Slot, 'name' | 'secret'> | undefined,
  writer: string,
): string | undefined {
  if (!existing?.secret || writer === 'cli') return undefined
  return `the slot "${existing.name}" is secret: only \`switchboard context put ${existing.name} ... --secret\` at a terminal replaces it. Use another slot name.`
}

/** Whether a slot may be passed to a component of `plugin` (secret slots stay with their owners). */
export function maySendSlot(slot: Slot, plugin: string): boolean {
  return !slot.secret || secretAudience(slot).includes(plugin)
}

/** The plugins a secret slot may go to: the one whose return wrote it, and those it is shared with. */
export function secretAudience(slot: Pick<Slot, 'writer' | 'shareWith'>): string[] {
  const owner = slot.writer.startsWith('return:') ? slot.writer.slice('return:'.length).split(':')[0] : undefined
  return [...new Set([...(owner ? [owner] : []), ...(slot.shareWith ?? [])])]
}

/**
 * What to tell whoever shares a secret with plugins that are not here (`--share-with tdd-desgin`): the
 * slot is stored as asked (the plugin may be installed later), but a typo would otherwise be found only
 * when the plugin meant is refused the slot. Empty when every name is a plugin of `installed`, or when
 * the plugins here are not known (undefined).
 */
export function shareWithNote(shareWith: readonly string[], installed: readonly string[] | undefined): string {
  if (!installed) return ''
  const absent = shareWith.filter((plugin) => !installed.includes(plugin))
  if (absent.length === 0) return ''
  const named = absent.map((plugin) => {
    const near = nearest(plugin, installed)
    return `"${inert(plugin)}"${near ? ` (did you mean "${inert(near)}"?)` : ''}`
  })
  const which = absent.length === 1 ? `No plugin ${named[0]} is` : `No plugins ${named.join(', ')} are`
  return ` ${which} installed here, so the secret goes to ${absent.length === 1 ? 'that name' : 'those names'} only once installed. If that is a typo, put the slot again with --share-with spelled as the plugin is.`
}

/** A slot's value as text: strings as they are, JSON pretty-printed. */
export function slotText(slot: Slot): string {
  return typeof slot.value === 'string' ? slot.value : JSON.stringify(slot.value, null, 2)
}

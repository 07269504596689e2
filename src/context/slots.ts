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

export { SLOT_NAME } from '../manifest/name-rules.ts'

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

/** A slot's value as text: strings as they are, JSON pretty-printed. */
export function slotText(slot: Slot): string {
  return typeof slot.value === 'string' ? slot.value : JSON.stringify(slot.value, null, 2)
}

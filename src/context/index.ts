export {
  findReferences,
  looksLikeShellVariable,
  maySendSlot,
  quotedRanges,
  secretAudience,
  readDirective,
  SLOT_NAME,
  slotText,
  substitute,
} from './core.ts'
export type { Directive, Reference, Slot } from './core.ts'
export { clearSlots, contextDir, getSlot, listSlots, putSlot } from './store.ts'

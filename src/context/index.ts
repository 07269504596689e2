export { findReferences, looksLikeShellVariable, quotedRanges, readDirective, substitute } from './references.ts'
export type { Directive, Reference } from './references.ts'
export { clearSlots, contextDir, getSlot, listSlots, maySendSlot, putSlot, SLOT_NAME, slotText } from './store.ts'
export type { Slot } from './store.ts'

export { findReferences, substitute } from './references.ts'
export type { Reference } from './references.ts'
export { clearSlots, contextDir, getSlot, listSlots, putSlot, SLOT_NAME, slotText } from './store.ts'
export type { Slot } from './store.ts'

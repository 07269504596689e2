export {
  findReferences,
  MAX_SLOT_FILE_BYTES,
  secretAudience,
  shareWithNote,
  readDirective,
  SLOT_NAME,
  slotText,
  substitute,
} from './core.ts'

export { clearSlots, contextDir, getSlot, listSlots, putSlot } from './store.ts'

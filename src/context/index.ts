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

export { clearSlots, clearSlotsButSecrets, contextDir, getSlot, keptSecretsNote, listSlots, putSlot } from './store.ts'

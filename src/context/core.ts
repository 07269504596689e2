// The runtime-neutral part of context passing (no Node): references, directives and the slot model.
export {
  findReferences,
  looksLikeShellVariable,
  QUOTE_OPENER,
  quotedRanges,
  readDirective,
  substitute,
} from './references.ts'

export {
  caseTwin,
  caseTwinProblem,
  MAX_SLOT_FILE_BYTES,
  maySendSlot,
  parseSlot,
  replaceProblem,
  secretAudience,
  shareWithNote,
  SLOT_NAME,
  slotText,
} from './slots.ts'
export type { Slot } from './slots.ts'

export {
  callTarget,
  PostToolUseInputSchema,
  PreToolUseInputSchema,
  SessionStartInputSchema,
  SubagentInputSchema,
} from './hook-input.ts'
export type { PostToolUseInput, PreToolUseInput, SessionStartInput, SubagentInput } from './hook-input.ts'
export { buildEnvelope, ENVELOPE_BUDGET, pointer, valueFileName } from './envelope.ts'

export { extractJson, responseText } from './returns.ts'

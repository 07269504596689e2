export { callTarget, HookInputBaseSchema, PostToolUseInputSchema, PreToolUseInputSchema, SessionStartInputSchema, SubagentInputSchema } from './hook-input.ts'
export type { PostToolUseInput, PreToolUseInput, SessionStartInput, SubagentInput } from './hook-input.ts'

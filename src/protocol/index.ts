export { HookInputBaseSchema, SessionStartInputSchema } from './hook-input.ts'
export type { SessionStartInput } from './hook-input.ts'

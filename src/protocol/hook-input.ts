/**
 * Hook stdin, as Claude Code sends it (../shared/claude-code-observed.md "Hook input observed").
 * zod/mini: same schemas, a fraction of the bundle size, for processes that start on every call.
 * Loose objects: Claude Code adds fields between versions, and a hook must not break on them.
 */
import * as z from 'zod/mini'

export const HookInputBaseSchema = z.looseObject({
  session_id: z.string(),
  cwd: z.string(),
  hook_event_name: z.string(),
  transcript_path: z.optional(z.string()),
  agent_id: z.optional(z.string()),
  agent_type: z.optional(z.string()),
})

export const SessionStartInputSchema = z.looseObject({
  ...HookInputBaseSchema.shape,
  hook_event_name: z.literal('SessionStart'),
  source: z.optional(z.string()),
})
export type SessionStartInput = z.infer<typeof SessionStartInputSchema>

/**
 * Hook stdin, as Claude Code sends it (docs/claude-code-notes.md "Hook input observed").
 * zod/mini: same schemas, a fraction of the bundle size, for processes that start on every call.
 * Loose objects: Claude Code adds fields between versions, and a hook must not break on them.
 */
import * as z from 'zod/mini'

const HookInputBaseSchema = z.looseObject({
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

const ToolEventFields = {
  ...HookInputBaseSchema.shape,
  tool_name: z.string(),
  tool_input: z.record(z.string(), z.unknown()),
  tool_use_id: z.string(),
  prompt_id: z.optional(z.string()),
}

export const PreToolUseInputSchema = z.looseObject({ ...ToolEventFields, hook_event_name: z.literal('PreToolUse') })
export type PreToolUseInput = z.infer<typeof PreToolUseInputSchema>

/** PostToolUse and PostToolUseFailure, handled by one hook. */
export const PostToolUseInputSchema = z.looseObject({
  ...ToolEventFields,
  hook_event_name: z.enum(['PostToolUse', 'PostToolUseFailure']),
  tool_response: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
})
export type PostToolUseInput = z.infer<typeof PostToolUseInputSchema>

/** SubagentStart and SubagentStop, handled by one hook. */
export const SubagentInputSchema = z.looseObject({
  ...HookInputBaseSchema.shape,
  hook_event_name: z.enum(['SubagentStart', 'SubagentStop']),
  agent_id: z.string(),
  agent_type: z.string(),
  last_assistant_message: z.optional(z.string()),
})
export type SubagentInput = z.infer<typeof SubagentInputSchema>

/** The target of an Agent/Task or Skill call, or undefined for other tools. */
export function callTarget(
  toolName: string,
  toolInput: Record<string, unknown>,
): { target: string; kind: 'agent' | 'skill' } | undefined {
  if (toolName === 'Agent' || toolName === 'Task') {
    return typeof toolInput.subagent_type === 'string' && toolInput.subagent_type
      ? { target: toolInput.subagent_type, kind: 'agent' }
      : undefined
  }
  if (toolName === 'Skill')
    return typeof toolInput.skill === 'string' && toolInput.skill
      ? { target: toolInput.skill.replace(/^\//, ''), kind: 'skill' }
      : undefined
  return undefined
}

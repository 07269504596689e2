/**
 * hooks/hooks.json (and inline `hooks` in plugin.json). Claude Code refuses to load a plugin whose
 * hooks file is not `{ "hooks": { "<Event>": [ { matcher?, hooks: [ { type, ... } ] } ] } }` (for
 * example `hooks` as an array, docs/claude-code-notes.md), so the shape that matters for
 * loading is checked exactly, while handler details stay loose.
 */
import { z } from 'zod'

export const HOOK_EVENTS = [
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PostToolBatch',
  'PermissionRequest',
  'PermissionDenied',
  'UserPromptSubmit',
  'UserPromptExpansion',
  'Notification',
  'Stop',
  'StopFailure',
  'SubagentStart',
  'SubagentStop',
  'SessionStart',
  'SessionEnd',
  'Setup',
  'PreCompact',
  'PostCompact',
  'InstructionsLoaded',
  'ConfigChange',
  'CwdChanged',
  'DirectoryAdded',
  'FileChanged',
  'WorktreeCreate',
  'WorktreeRemove',
  'TeammateIdle',
  'TaskCreated',
  'TaskCompleted',
  'Elicitation',
  'ElicitationResult',
  'MessageDisplay',
] as const

/** The kinds of hook handler Claude Code runs. */
export const HOOK_HANDLER_TYPES = ['command', 'http', 'mcp_tool', 'prompt', 'agent'] as const

const HookHandlerSchema = z.looseObject({
  type: z.enum(HOOK_HANDLER_TYPES, {
    error: 'a hook handler needs "type": "command", "http", "mcp_tool", "prompt" or "agent"',
  }),
  timeout: z.number({ error: 'timeout is a number of seconds' }).positive().optional(),
})

export const HookMatcherGroupSchema = z.looseObject({
  matcher: z.string({ error: 'matcher is a string such as "Agent|Task"' }).optional(),
  hooks: z.array(HookHandlerSchema, { error: 'each matcher group has "hooks": a list of handlers' }),
})

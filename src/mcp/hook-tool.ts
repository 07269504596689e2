/**
 * The per-call settings hooks, answered by this server: the companion plugin's hooks.json declares them
 * as `mcp_tool` hooks that call the tool `hook` here, so a guarded call costs Claude Code a round trip to
 * a running process instead of a `node` start per hook (docs/claude-code-notes.md, "A plugin's `mcp_tool`
 * hook can call another plugin's server").
 * The decisions are the hooks' own (hooks/pre-tool-use.ts, post-tool-use.ts, subagent.ts), answered in
 * process with answerHook, exactly as their processes answer them.
 *
 * `hook` is not in tools/list: Claude Code refuses a model's call to a tool its server did not list ("No
 * such tool available"), and an `mcp_tool` hook calls it all the same (2.1.197, 2.1.331, 2.1.332). A
 * plugin's own hooks could call it with made-up input, but a plugin's hooks run any command as the user
 * already: that is no new power.
 *
 * Claude Code fills in each `${field}` of the hook's input with that field of the hook input, once (a
 * `${…}` inside a value stays as written): objects as JSON text, an absent field as "". This undoes that.
 */
import { answerHook, postToolUseHook, preToolUseHook, subagentHook } from '../hooks/index.ts'
import type { HookDefinition, HookEnv, HookResult } from '../hooks/index.ts'
import { sessionRuntimeFromEnv } from '../trace/index.ts'
import { movedByProject } from '../guard/index.ts'
import type { ToolAnswer } from './tool-calls.ts'

/** The hook input fields the companion's hooks.json passes (test/companion.test.ts holds the two together). */
export const HOOK_FIELDS = {
  text: [
    'hook_event_name',
    'session_id',
    'transcript_path',
    'cwd',
    'agent_id',
    'agent_type',
    'tool_name',
    'tool_use_id',
    'last_assistant_message',
    'error', // PostToolUseFailure's: text
  ],
  /** Objects, which arrive as JSON text. */
  json: ['tool_input', 'tool_response'],
} as const

type Answer = (stdin: string, env: HookEnv, elapsedMs: () => number) => Promise<HookResult>
const answerWith =
  <Input>(hook: HookDefinition<Input>): Answer =>
  (stdin, env, elapsedMs) =>
    answerHook(hook, stdin, env, elapsedMs)
/** Each event the companion's hooks.json sends, and the hook that answers it. */
const HOOKS: Record<string, Answer> = {
  PreToolUse: answerWith(preToolUseHook),
  PostToolUse: answerWith(postToolUseHook),
  PostToolUseFailure: answerWith(postToolUseHook),
  SubagentStop: answerWith(subagentHook),
}

/** `receivedAt`: when the server read the call (performance.now()): a call queued behind others has waited already. */
export async function hookTool(args: unknown, env: HookEnv, receivedAt = performance.now()): Promise<ToolAnswer> {
  const fields = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>
  const event = typeof fields.hook_event_name === 'string' ? fields.hook_event_name : ''
  const answer = Object.hasOwn(HOOKS, event) ? HOOKS[event] : undefined
  if (!answer)
    return {
      text: `switchboard hook: no hook for the event "${event.slice(0, 40)}". Reinstall switchboard-hooks, whose hooks/hooks.json names the events this tool answers.`,
      isError: true,
    }
  if (filled(fields.session_id) && runsModule(fields.session_id, env, fields.cwd)) return { text: '' }
  // A hook input Claude Code sent, re-read as its stdin would be: the hook checks it with its own schema,
  // and whatever goes wrong from here on fails the way the hook does (closed in strict mode).
  const result = await answer(hookStdin(fields), env, () => performance.now() - receivedAt)
  return asToolAnswer(event, result)
}

// --- internal ---

/**
 * Where this session runs the hooks module, it decides: the companion's hooks, had they loaded (the module
 * keeps them out at plugin.register), step aside, so one call never gets two decisions or two records.
 * Told only by the variables the module sets in Claude Code's environment, which this server inherits (the
 * module holds it until after it set them), never by a file: a file outlives its session, and anything
 * that can write the data folder could leave one to switch the guard off.
 */
function runsModule(sessionId: string, env: HookEnv, cwd: unknown): boolean {
  if (sessionRuntimeFromEnv(env, sessionId).runtime !== 'hooks module') return false
  // Claude Code gives this server the env block of the project's settings too: variables set there are a
  // file's, not the module's (a resumed session's id is known), and the hook does the work (policy.ts
  // then refuses the call, naming the file).
  return movedByProject(env.CLAUDE_PROJECT_DIR || (typeof cwd === 'string' ? cwd : '')).length === 0
}

/**
 * The hook input as Claude Code would have written it on stdin. An object field's JSON text goes in as it
 * came, never parsed and written again: JSON.stringify recurses, and an input nested some thousands deep
 * would overflow the stack here, outside the hook, where a failure lets the call go on even in strict mode.
 * Text that is not JSON goes in as a string (the hook's schema then says what is wrong with it).
 * `last_assistant_message` is the agent's return, and SubagentStop always has one: "" is an empty return
 * there (its contract is checked), where elsewhere "" is how Claude Code fills in a field the input lacks.
 */
function hookStdin(fields: Record<string, unknown>): string {
  const event = fields.hook_event_name
  const entries = [
    ...HOOK_FIELDS.text
      .filter((name) => filled(fields[name]) || (name === 'last_assistant_message' && event === 'SubagentStop'))
      .map((name) => `${JSON.stringify(name)}:${JSON.stringify(typeof fields[name] === 'string' ? fields[name] : '')}`),
    ...HOOK_FIELDS.json
      .filter((name) => filled(fields[name]))
      .map((name) => `${JSON.stringify(name)}:${jsonOrString(fields[name] as string)}`),
  ]
  return `{${entries.join(',')}}`
}

const filled = (value: unknown): value is string => typeof value === 'string' && value !== ''

/** JSON text as it is (JSON.parse does not recurse); other text as a JSON string. */
function jsonOrString(text: string): string {
  try {
    JSON.parse(text)
    return text
  } catch {
    return JSON.stringify(text)
  }
}

/**
 * A hook process's answer, as a tool's: its stdout is the text Claude Code reads as the hook's output.
 * A failure that lets the action go on (exit 1) is an error result, which Claude Code reports and goes on
 * from. One that must block (exit 2, the guard in strict mode) cannot be said by an exit code here, so it
 * is said the way the hook's output would: a PreToolUse deny, or a block, with the reason.
 */
function asToolAnswer(event: string, result: HookResult): ToolAnswer {
  if (result.exitCode === 0) return { text: result.stdout.trim() }
  const reason = result.stderr.trim()
  if (result.exitCode === 1) return { text: reason, isError: true }
  return {
    text: JSON.stringify(
      event === 'PreToolUse'
        ? { hookSpecificOutput: { hookEventName: event, permissionDecision: 'deny', permissionDecisionReason: reason } }
        : { decision: 'block', reason },
    ),
  }
}

/**
 * SubagentStop, for plugin agents only (matcher `:` in hooks.json): where settings mode captures an
 * agent's return. It fires for every plugin agent, foreground or background, before the caller's
 * PostToolUse (observed on 2.1.197 and 2.1.331), so it links the agent to its call, ends the call,
 * reads the return against the output contract and stores its slot. A return that breaks its contract
 * is told to whoever can still act on it:
 * - the caller of a foreground agent, by a notice its PostToolUse delivers (caller-notice.ts);
 * - a background agent itself, once, which gets one more turn to correct it (this hook's
 *   additionalContext; nothing reaches its caller in settings mode).
 * Fails open. There is no SubagentStart hook: the child's link comes from the meta file Claude Code
 * writes before its first tool call (session-files.ts), so a process per start bought nothing.
 */
import { SubagentInputSchema } from '../protocol/index.ts'
import type { SubagentInput } from '../protocol/index.ts'
import { appendRecord, backgroundByDefault, claudeVersionFromEnv, readSessionSnapshot } from '../trace/index.ts'
import type { Invocation } from '../trace/index.ts'
import type { HookDefinition, HookEnv } from './run-hook.ts'
import { dropNotice, leaveNotice } from './caller-notice.ts'
import { captureReturn } from './capture-return.ts'
import { readAgentMeta, resolveAgentInvocation, sessionFilesOf } from './session-files.ts'
import type { SessionFiles } from './session-files.ts'

export const subagentHook: HookDefinition<SubagentInput> = {
  name: 'subagent',
  onFailure: 'open',
  input: SubagentInputSchema,
  handle: (input, env) => {
    if (input.hook_event_name !== 'SubagentStop') return undefined
    const files = sessionFilesOf(input.session_id, input.cwd, env)
    // Link first if nothing did yet (an agent that made no calls of its own), then record the stop.
    const invocation = resolveAgentInvocation(files, input.agent_id, input.agent_type, input.transcript_path)
    const stoppedBefore = files.records.some((r) => r.e === 'stop' && r.agent === input.agent_id)
    // A call its PostToolUse(Failure) already ended (it failed, or SubagentStop did not run) keeps that end.
    const ended = invocation && files.records.some((r) => r.e === 'end' && r.id === invocation.id)
    appendRecord(files.dir, { e: 'stop', agent: input.agent_id, ts: Date.now() })
    if (!invocation || ended || input.last_assistant_message === undefined) return undefined
    const problem = captureReturn(
      files.dir,
      invocation,
      input.last_assistant_message,
      readSessionSnapshot(files.dir),
    ).problem
    if (!problem) {
      // A notice exists only if an earlier stop of this agent left one: its second try came back right.
      if (stoppedBefore) {
        dropNotice(files.dir, invocation.id)
        appendRecord(files.dir, { e: 'end', id: invocation.id, status: 'ok', ts: Date.now() })
      }
      return undefined
    }
    // A return that breaks its contract: a failed call in the trace, the problem its reason.
    appendRecord(files.dir, { e: 'end', id: invocation.id, status: 'failed', ts: Date.now(), reason: problem })
    const shape = agentShape(files, invocation, input, env)
    if (shape !== 'background') leaveNotice(files.dir, invocation.id, problem)
    return shape !== 'foreground' && !stoppedBefore
      ? { hookSpecificOutput: { hookEventName: 'SubagentStop', additionalContext: problem } }
      : undefined
  },
}

/**
 * Whether the agent ran in the foreground (its caller waits, and its PostToolUse comes next) or in the
 * background, as far as Claude Code lets one tell: its meta file says so from 2.1.331 on; before
 * 2.1.198 an agent ran in the background only when asked. Otherwise unknown, and both are told.
 */
function agentShape(
  files: SessionFiles,
  invocation: Invocation,
  input: SubagentInput,
  env: HookEnv,
): 'foreground' | 'background' | undefined {
  const shape = readAgentMeta(input.transcript_path, input.agent_id)?.requestShape
  if (shape === 'foreground' || shape === 'background') return shape
  const version = claudeVersionFromEnv(env)
  if (!version || backgroundByDefault(version)) return undefined
  const asked = files.records.some((r) => r.e === 'call' && r.id === invocation.id && r.background)
  return asked ? 'background' : 'foreground'
}

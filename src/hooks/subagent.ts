/**
 * SubagentStop, for plugin agents only (matcher `:` in hooks.json): ends the invocation of a background
 * agent, whose PostToolUse came back at launch, and links an agent that made no call of its own.
 * Fails open. There is no SubagentStart hook: the child's link comes from the meta file Claude Code
 * writes before its first tool call (session-files.ts), so a process per start bought nothing.
 */
import { SubagentInputSchema } from '../protocol/index.ts'
import { appendRecord, readSessionSnapshot } from '../trace/index.ts'
import { runHook } from './run-hook.ts'
import { captureReturn } from './capture-return.ts'
import { resolveAgentInvocation, sessionFilesOf } from './session-files.ts'

runHook({
  name: 'subagent',
  onFailure: 'open',
  input: SubagentInputSchema,
  handle: (input) => {
    const files = sessionFilesOf(input.session_id, input.cwd)
    if (input.hook_event_name !== 'SubagentStop') return undefined
    // Link first if nothing did yet (an agent that made no calls of its own), then record the stop.
    const invocation = resolveAgentInvocation(files, input.agent_id, input.agent_type, input.transcript_path)
    const stoppedBefore = files.records.some((r) => r.e === 'stop' && r.agent === input.agent_id)
    appendRecord(files.dir, { e: 'stop', agent: input.agent_id, ts: Date.now() })
    // SubagentStop also fires for foreground agents, before their PostToolUse, which captures their
    // result. A background agent (launched asynchronously: its PostToolUse came back at launch with its
    // agentId) returns only here, so its result is captured here.
    const background =
      invocation && files.records.some((r) => r.e === 'link' && r.id === invocation.id && r.how === 'post-tool-use')
    if (!invocation || !background || input.last_assistant_message === undefined) return undefined
    const problem = captureReturn(
      files.dir,
      invocation,
      input.last_assistant_message,
      readSessionSnapshot(files.dir),
    ).problem
    // This hook's additionalContext reaches the agent itself and gives it one more turn (observed on
    // 2.1.197 and 2.1.331): the only channel left, so the agent is asked once to correct its return.
    return problem && !stoppedBefore
      ? { hookSpecificOutput: { hookEventName: 'SubagentStop', additionalContext: problem } }
      : undefined
  },
})

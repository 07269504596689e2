/**
 * PostToolUse and PostToolUseFailure on Agent|Task and Skill: close the invocation the call opened.
 * Foreground agents (2.1.197, and nested calls on 2.1.331) report `completed` with duration and
 * tokens; background agents (2.1.331 from the main thread) report `async_launched` with the child's
 * agentId, and end at SubagentStop. Skills run inline and end here. Fails open.
 */
import { callTarget, PostToolUseInputSchema, responseText } from '../protocol/index.ts'
import { appendRecord, readSessionSnapshot } from '../trace/index.ts'
import { runHook } from './run-hook.ts'
import { captureReturn } from './capture-return.ts'
import { sessionFilesOf } from './session-files.ts'

runHook({
  name: 'post-tool-use',
  onFailure: 'open',
  input: PostToolUseInputSchema,
  handle: (input) => {
    if (!callTarget(input.tool_name, input.tool_input)) return undefined
    const files = sessionFilesOf(input.session_id, input.cwd)
    const invocation = files.invocations.get(input.tool_use_id)
    // SubagentStop runs before PostToolUse for foreground agents and may have closed the call already;
    // the end recorded here is still the authoritative one (duration, tokens, the result).
    const ended = files.records.some((r) => r.e === 'end' && r.id === input.tool_use_id)
    if (!invocation || invocation.status === 'denied' || ended) return undefined
    const now = Date.now()
    if (input.hook_event_name === 'PostToolUseFailure') {
      appendRecord(files.dir, { e: 'end', id: invocation.id, status: 'failed', ts: now, reason: String(input.error ?? 'the tool call failed').slice(0, 500) })
      return undefined
    }
    const response = (input.tool_response ?? {}) as { status?: unknown; agentId?: unknown; totalDurationMs?: unknown; totalTokens?: unknown }
    if (typeof response.agentId === 'string') appendRecord(files.dir, { e: 'link', id: invocation.id, agent: response.agentId, ts: now, how: 'post-tool-use' })
    if (response.status === 'async_launched') return undefined // ends at SubagentStop
    // A forked skill answers `forked` when its fork finished (2.1.197 and later).
    const ok = response.status === undefined || response.status === 'completed' || response.status === 'forked'
    appendRecord(files.dir, {
      e: 'end',
      id: invocation.id,
      status: ok ? 'ok' : 'failed',
      ts: now,
      ...(typeof response.totalDurationMs === 'number' ? { durationMs: response.totalDurationMs } : {}),
      ...(typeof response.totalTokens === 'number' ? { tokens: response.totalTokens } : {}),
    })
    // Skills run inline: their tool response is the skill's instructions, not a result to capture.
    const text = invocation.kind === 'agent' && ok ? responseText(input.tool_response) : undefined
    const problem = text === undefined ? undefined : captureReturn(files.dir, invocation, text, readSessionSnapshot(files.dir))
    return problem ? { hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: problem } } : undefined
  },
})

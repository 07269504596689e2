/**
 * SubagentStart and SubagentStop. Start records the child agent (for correlation when no exact link
 * exists); Stop ends the invocation of a background agent, whose PostToolUse came back at launch.
 * Neither can block anything useful, so both fail open.
 */
import { SubagentInputSchema } from '../protocol/index.ts'
import { appendRecord } from '../trace/index.ts'
import { runHook } from './run-hook.ts'
import { resolveAgentInvocation, sessionFilesOf } from './session-files.ts'

runHook({
  name: 'subagent',
  onFailure: 'open',
  input: SubagentInputSchema,
  handle: (input) => {
    const files = sessionFilesOf(input.session_id, input.cwd)
    if (input.hook_event_name === 'SubagentStart') {
      appendRecord(files.dir, { e: 'start', agent: input.agent_id, type: input.agent_type, ts: Date.now() })
      return undefined
    }
    // Link first if nothing did yet (an agent that made no calls of its own), then record the stop.
    resolveAgentInvocation(files, input.agent_id, input.agent_type, input.transcript_path)
    appendRecord(files.dir, { e: 'stop', agent: input.agent_id, ts: Date.now() })
    return undefined
  },
})

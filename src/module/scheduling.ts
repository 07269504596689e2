/**
 * CronCreate and the like, from a plugin's agent or code: refused, as a prompt it queues would run as the
 * person's own turn when it fires (guard/scheduled-prompts.ts). The caller is found as for a call
 * (callers.ts): through built-in agents and forks to the plugin component above, or the plugin whose
 * hooks-module code made the call; the main thread is the person's unless it runs as a plugin's agent.
 */
import { schedulingProblem } from '../guard/core.ts'
import { componentAbove, moduleCaller, otherPluginCode } from './callers.ts'
import type { InvokeCallEvent, Next, ToolCallResult } from './mod-api.ts'
import type { SessionState } from './session-state.ts'

export async function scheduling(
  s: SessionState,
  e: InvokeCallEvent,
  next: Next<InvokeCallEvent, ToolCallResult>,
): Promise<ToolCallResult> {
  const code = otherPluginCode(s, next.origin?.plugin)
  const problem = schedulingProblem(e.tool, [code ? moduleCaller(code) : null, componentAbove(s, e.agentId)])
  return problem ? { deny: `Switchboard: ${problem}` } : next(e)
}

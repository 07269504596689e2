/**
 * CronCreate and the like, from a plugin's agent or code: refused, as a prompt it queues would run as the
 * person's own turn when it fires (guard/scheduled-prompts.ts). The caller is found as for a call
 * (callers.ts): through built-in agents and forks to the plugin component above, or the plugin whose
 * hooks-module code made the call; the main thread is the person's unless it runs as a plugin's agent.
 *
 * ScheduleWakeup is the main thread's own (its wake-up turn is judged as the main thread is, so one run as
 * a plugin's agent stays that agent's): refused in a turn another plugin's code submitted or ran
 * (submitted-prompts.ts), whose wake-up would otherwise come back as the person's, `/loop` run by that code
 * included (found by review), and to that code's own `$` call of it.
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
  const loop = e.tool === 'ScheduleWakeup' ? (s.mainTurn ?? null) : componentAbove(s, e.agentId)
  const problem = schedulingProblem(e.tool, [code ? moduleCaller(code) : null, loop])
  return problem ? { deny: `Switchboard: ${problem}` } : next(e)
}

/**
 * Tools that queue a prompt for the main thread: when it fires, Claude Code hands it to the main thread as
 * a user turn, with no word of who queued it (2.1.197, 2.1.331, 2.1.332: no origin in UserPromptSubmit; the
 * module's `prompt.submit` says only `scheduled-trigger`), so every call that turn makes is the person's. A
 * plugin's agent that may not call another plugin's private skill had the main thread call it a minute later
 * by queueing the prompt with CronCreate (found by review; a plugin agent gets CronCreate on all three
 * versions). ScheduleWakeup and RemoteTrigger are the main thread's only: the hooks module refuses
 * ScheduleWakeup in a turn another plugin's code submitted (module/scheduling.ts), which settings mode has
 * no way to tell; RemoteTrigger is not checked.
 */
import { pluginPart } from './resolve-target.ts'

export const SCHEDULING_TOOLS: ReadonlySet<string> = new Set(['CronCreate'])

/**
 * Why a loop may not queue a prompt, or undefined: `callers` are the caller ids from the loop up (a plugin
 * component, a plugin's hooks-module code, an agent Switchboard did not see start), null or a name with no
 * plugin part for the person and the agents that work for them.
 */
export function schedulingProblem(tool: string, callers: ReadonlyArray<string | null>): string | undefined {
  const component = callers.find((caller) => caller !== null && pluginPart(caller) !== undefined)
  if (component === undefined) return undefined
  return `schedule: ${component} may not queue a prompt for the main thread (${tool}): when it fires, the main thread runs it as your own turn, with your rights over every plugin's components, past the rules Switchboard holds ${component} to. Say what to schedule in your answer instead, and let the person schedule it.`
}

/**
 * Steps the engine refused before any call (the guard's verdict for the workflow's caller): recorded
 * as denied calls of the run, so the trace shows them under the run in both runtimes, made by the loop
 * that runs the workflow, as the calls it does make are (not the caller a workflow names: a plugin's
 * workflow naming its own agent would have that agent's name on calls the person's run was refused).
 */
import { findComponent } from '../guard/core.ts'
import type { Snapshot } from '../guard/core.ts'
import type { CallRecord } from '../trace/core.ts'
import type { Workflow } from './model.ts'
import type { RunResult } from './run-engine.ts'

export function refusalRecords(
  result: RunResult,
  workflow: Workflow,
  /** The loop that runs the workflow: its type (null: the main thread), its call, its agent id. */
  caller: { type: string | null; parent: string | null; callerAgent: string | null },
  /** The run's registry: a target that is not an agent is recorded as a skill call, as the hooks record commands. */
  snapshot: Snapshot,
  now: number,
): CallRecord[] {
  return result.steps
    .filter((step) => step.status === 'denied' && step.invocation === null && step.target)
    .map((step) => ({
      e: 'call' as const,
      // `.` is in no step id, and a made call's id ends `-<attempt>`: a refused step `ed-1` had the id of step
      // `ed`'s first call, and its record replaced that call's in the trace (found by review).
      id: `${result.run}-${step.id}.refused`,
      parent: caller.parent,
      caller: caller.type ?? 'main',
      callerAgent: caller.callerAgent,
      target: step.target!,
      kind: findComponent(snapshot, step.target!)?.kind === 'agent' ? ('agent' as const) : ('skill' as const),
      ts: now,
      status: 'denied' as const,
      reason: step.problems[0] ?? 'denied',
      workflow: {
        run: result.run,
        name: workflow.name,
        step: step.id,
        ...(workflow.plugin ? { plugin: workflow.plugin } : {}),
      },
    }))
}

/**
 * Steps the engine refused before any call (the guard's verdict for the workflow's caller): recorded
 * as denied calls of the run, so the trace shows them under the run in both runtimes.
 */
import type { CallRecord } from '../trace/core.ts'
import type { Workflow } from './model.ts'
import type { RunResult } from './run-engine.ts'

export function refusalRecords(
  result: RunResult,
  workflow: Workflow,
  caller: { parent: string | null; callerAgent: string | null },
  kindOf: (target: string) => 'agent' | 'skill',
  now: number,
): CallRecord[] {
  return result.steps
    .filter((step) => step.status === 'denied' && step.invocation === null && step.target)
    .map((step) => ({
      e: 'call' as const,
      id: `${result.run}-${step.id}`,
      parent: caller.parent,
      caller: workflow.caller,
      callerAgent: caller.callerAgent,
      target: step.target!,
      kind: kindOf(step.target!),
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

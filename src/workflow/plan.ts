/**
 * `workflow plan`: the calls a run would make, in order, at zero tokens. Waves in order (a parallel
 * group is one wave), each step with its resolved target (capability routing included), its kind and
 * tool, the guard's verdict for the workflow's caller, and its arguments with the inputs filled in
 * (`$slot` references stay: the guard fills them at call time, with its secret and size rules).
 */
import type { Condition } from './schema.ts'
import type { ResolvedStep } from './check.ts'
import { resolveSteps } from './check.ts'
import { stepCalls } from './check-budgets.ts'
import { resolveInputs } from './inputs.ts'
import type { ArgValue, Call, Limits, Workflow } from './model.ts'
import { targetLabel } from './model.ts'
import type { ResolvedCall, WorkflowContext } from './resolve-calls.ts'
import { fillCall } from './fill.ts'

export interface PlannedCall {
  /** The target as written: `plugin:name` or `capability@range`. */
  requested: string
  /** The component id it resolves to, when it does. */
  target?: string
  kind?: 'agent' | 'command' | 'skill'
  /** The tool that makes the call: Agent for agents, Skill for commands and skills. */
  tool?: 'Agent' | 'Skill'
  route?: string
  /** `allowed`, or why the call cannot be made (the guard's reason, with its fix). */
  verdict: { allow: true } | { allow: false; reason: string }
  prompt?: string
  args: Record<string, ArgValue>
}

export interface PlannedStep extends PlannedCall {
  id: string
  when: Condition[]
  into?: string
  onError: { retries: number; backoffMs: number; then: 'stop' | 'continue'; fallback?: PlannedCall }
  budget: Limits
}

export interface WorkflowPlan {
  name: string
  file: string
  caller: string
  inputs: Record<string, string>
  waves: Array<{ id: string; parallel: boolean; maxParallel: number; steps: PlannedStep[] }>
  /** The workflow's budget, and the most calls its steps may make. */
  budget: Limits & { plannedCalls: number }
  outputs: Record<string, string>
  /** What stops a run: inputs missing or wrong, calls the guard refuses. */
  problems: string[]
}

export function planWorkflow(
  workflow: Workflow,
  context: WorkflowContext,
  given: Readonly<Record<string, string>>,
): WorkflowPlan {
  const inputs = resolveInputs(workflow, given)
  const problems = [...inputs.problems]
  const byId = new Map<string, ResolvedStep>(resolveSteps(workflow, context).map((r) => [r.step.id, r]))
  const waves = workflow.waves.map((wave) => ({
    id: wave.id,
    parallel: wave.parallel,
    maxParallel: wave.maxParallel,
    steps: wave.steps.map((step): PlannedStep => {
      const resolved = byId.get(step.id)!
      const main = plannedCall(step, resolved.call, inputs.values, problems, step.id)
      const fallback =
        step.onError.fallback && resolved.fallback
          ? plannedCall(step.onError.fallback, resolved.fallback, inputs.values, problems, `${step.id} (fallback)`)
          : undefined
      return {
        id: step.id,
        ...main,
        when: step.when,
        ...(step.into === undefined ? {} : { into: step.into }),
        onError: {
          retries: step.onError.retries,
          backoffMs: step.onError.backoffMs,
          then: step.onError.then,
          ...(fallback ? { fallback } : {}),
        },
        budget: step.budget,
      }
    }),
  }))
  const plannedCalls = workflow.waves.flatMap((w) => w.steps).reduce((sum, step) => sum + stepCalls(step), 0)
  return {
    name: workflow.name,
    file: workflow.file,
    caller: workflow.caller,
    inputs: inputs.values,
    waves,
    budget: { ...workflow.budget, plannedCalls },
    outputs: workflow.outputs,
    problems,
  }
}

// --- internal ---

function plannedCall(
  call: Call,
  resolved: ResolvedCall,
  values: Record<string, string>,
  problems: string[],
  label: string,
): PlannedCall {
  const component = resolved.component
  const verdict = resolved.problem
    ? { allow: false as const, reason: resolved.problem.message }
    : { allow: true as const }
  if (resolved.problem) problems.push(`step ${label}: ${resolved.problem.message}`)
  const filled = fillCall(call, values)
  if (!filled.ok) problems.push(`step ${label}, ${filled.reason}`)
  const args = filled.ok ? filled.args : call.args
  const prompt = filled.ok ? filled.prompt : call.prompt
  return {
    requested: targetLabel(call.target),
    ...(component
      ? {
          target: component.id,
          kind: component.kind,
          tool: component.kind === 'agent' ? ('Agent' as const) : ('Skill' as const),
        }
      : {}),
    ...(resolved.route === undefined ? {} : { route: resolved.route }),
    verdict,
    ...(prompt === undefined ? {} : { prompt }),
    args,
  }
}

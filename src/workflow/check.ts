/**
 * `workflow check`: a parsed workflow against the registry and the policy, before anything runs.
 * Every target exists and the workflow's caller may call it (the guard's own decision, decideCall,
 * so a step the check passes is a call the runtime allows, and the reverse), contracts line up,
 * slots are written before they are read, no call loops back into the chain, budgets add up.
 * Each diagnostic names the file, the step (its path) and the fix.
 */
import { error, warning } from '../common/core.ts'
import type { Diagnostic } from '../common/core.ts'
import { callTargetMatches, idPlugin } from '../guard/core.ts'
import { contractToJsonSchema } from '../manifest/contract-schema.ts'
import type { Component } from '../registry/index.ts'
import { checkBudgets } from './check-budgets.ts'
import { checkContracts } from './check-contracts.ts'
import type { ResolvedStep } from './check-contracts.ts'
import { checkSlots } from './check-slots.ts'
import { stepQuotingProblems, writtenSlots } from './call-segments.ts'
import { allSteps } from './model.ts'
import type { Workflow, WorkflowStep } from './model.ts'
import { pathOf } from './model.ts'
import { resolveCall, resolveCaller } from './resolve-calls.ts'
import type { WorkflowContext } from './resolve-calls.ts'

export type { ResolvedStep } from './check-contracts.ts'

/** Every step's call (and fallback) resolved and decided for the workflow's caller. */
export function resolveSteps(workflow: Workflow, context: WorkflowContext): ResolvedStep[] {
  return allSteps(workflow).map((step) => {
    const fallback = step.onError.fallback ? resolveCall(step.onError.fallback, workflow.caller, context) : undefined
    return {
      step,
      path: pathOf(step),
      call: resolveCall(step, workflow.caller, context),
      ...(fallback ? { fallback } : {}),
    }
  })
}

/** What checkWorkflow finds that a run meets at call time instead (on_error: fallback, continue, stop), as the guard would. */
export const RUN_TIME_CODES: ReadonlySet<string> = new Set([
  'WORKFLOW_TARGET_NOT_CALLABLE',
  'WORKFLOW_CALL_DENIED',
  'WORKFLOW_CYCLE',
  'WORKFLOW_TARGET_MISSING',
])

export function checkWorkflow(workflow: Workflow, context: WorkflowContext): Diagnostic[] {
  const file = workflow.file
  // A plugin's workflow acting as another plugin's agent would borrow that agent's permissions
  // (its callers allow-lists, its orchestration.calls): the text is the plugin author's, not the user's.
  if (workflow.plugin !== undefined && workflow.caller !== 'main' && idPlugin(workflow.caller) !== workflow.plugin) {
    return [
      error(
        'WORKFLOW_CALLER_BORROWED',
        file,
        `a workflow of plugin "${workflow.plugin}" may run as main (the user who starts it) or as one of ${workflow.plugin}'s own agents, not as ${workflow.caller}: it would borrow that agent's permissions. Name one of ${workflow.plugin}'s agents, or remove caller.`,
        'caller',
      ),
    ]
  }
  const caller = resolveCaller(workflow.caller, context.snapshot)
  if (caller.problem)
    return [
      error('WORKFLOW_CALLER_MISSING', file, caller.problem, 'caller'),
      ...checkSlots(workflow),
      ...checkBudgets(workflow),
    ]
  const resolved = resolveSteps(workflow, context)
  const problems: Diagnostic[] = []
  for (const { call, fallback, path } of resolved) {
    if (call.problem) problems.push(error(call.problem.code, file, call.problem.message, `${path}.invoke`))
    if (fallback?.problem)
      problems.push(error(fallback.problem.code, file, fallback.problem.message, `${path}.on_error.fallback`))
    // A capability fallback routes to the highest provider in range, which can be the step's own target.
    if (fallback?.component && call.component && fallback.component.id === call.component.id)
      problems.push(
        warning(
          'WORKFLOW_FALLBACK_SAME_TARGET',
          file,
          `the fallback resolves to ${fallback.component.id}, the step's own target${fallback.route ? ` (${fallback.route})` : ''}, so it calls the same component again. Name another component, narrow the capability's range, or drop the fallback.`,
          `${path}.on_error.fallback`,
        ),
      )
    for (const [reached, at] of [
      [call, `${path}.invoke`],
      [fallback, `${path}.on_error.fallback`],
    ] as const) {
      if (!reached?.component || reached.problem) continue
      const loop = loopBack(reached.component, workflow.caller, caller.component, context)
      if (loop)
        problems.push(
          warning(
            'WORKFLOW_CYCLE_POSSIBLE',
            file,
            `${reached.component.id} declares calls that lead back to the caller: ${loop.join(' -> ')}. The guard will refuse that call when it is made; remove it from one of the orchestration.calls lists, or call another component.`,
            at,
          ),
        )
    }
  }
  const byStep = new Map(resolved.map((r) => [r.step, r]))
  const optionalArg = (step: WorkflowStep, key: string): boolean => {
    const contract = byStep.get(step)?.call.component?.orchestration?.input
    if (contract === undefined) return false
    const schema = contractToJsonSchema(contract)
    return key in ((schema.properties ?? {}) as object) && !((schema.required ?? []) as string[]).includes(key)
  }
  return [
    ...problems,
    ...checkSlots(workflow, optionalArg),
    ...checkContracts(workflow, resolved),
    ...checkBudgets(workflow),
    ...checkQuoting(workflow),
  ]
}

/**
 * A prompt or argument whose own text leaves a fence open around a value or past its end reads, once
 * filled, otherwise than written (call-segments.ts): the planner refuses such a call when a value would
 * change it, and compile refuses the workflow. A warning here, where the values are not known yet.
 */
function checkQuoting(workflow: Workflow): Diagnostic[] {
  const written = writtenSlots(workflow)
  return allSteps(workflow).flatMap((step) =>
    stepQuotingProblems(step, written).map((problem) =>
      warning('WORKFLOW_QUOTE_OPEN', workflow.file, problem.message, problem.path),
    ),
  )
}

// --- internal ---

/**
 * A chain the declared `orchestration.calls` lists allow, from `start` back to the caller (or, with
 * `cycles: plugin`, to its plugin): the guard denies such a call at run time, so the step may fail
 * half-way. Only declared lists are followed; a component that declares none may call anything.
 */
function loopBack(
  start: Component,
  callerId: string,
  caller: Component | undefined,
  context: WorkflowContext,
): string[] | undefined {
  if (!caller) return undefined
  const key = (c: Component): string => (context.policy.cycles === 'plugin' ? c.plugin : c.id)
  const goal = key(caller)
  const seen = new Set<string>()
  const walk = (component: Component, path: string[]): string[] | undefined => {
    if (path.length > context.policy.maxDepth) return undefined
    for (const next of declaredCallees(component, context.snapshot)) {
      if (key(next) === goal) return [...path, next.id]
      if (seen.has(next.id)) continue
      seen.add(next.id)
      const found = walk(next, [...path, next.id])
      if (found) return found
    }
    return undefined
  }
  return walk(start, [callerId, start.id])
}

/** The components `component`'s declared calls list admits, as the guard reads it (`*` aside: it admits all). */
function declaredCallees(component: Component, snapshot: WorkflowContext['snapshot']): Component[] {
  const patterns = component.orchestration?.calls
  if (!patterns) return []
  return snapshot.components.filter(
    (other) =>
      other.id !== component.id &&
      patterns.some((pattern) => pattern !== '*' && callTargetMatches(pattern, other, snapshot.capabilityCalls)),
  )
}

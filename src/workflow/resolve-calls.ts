/**
 * Each step's call resolved against the registry and decided by the guard, exactly as the runtime
 * will: capability routing (resolve/core.ts), name resolution and the guard's decision
 * (guard/core.ts decideCall) for the workflow's caller. Shared by check.ts and plan.ts.
 */
import { decideCall, findComponent, resolveTarget } from '../guard/core.ts'
import type { Policy, Snapshot, Verdict } from '../guard/core.ts'
import type { Component } from '../registry/index.ts'
import type { CapabilityRouter } from '../resolve/core.ts'
import type { Call, StepTarget } from './model.ts'
import { targetLabel } from './model.ts'

/** What checking and planning read: the registry and the user's policy, as the runtime has them. */
export interface WorkflowContext {
  snapshot: Snapshot
  policy: Policy
  /** How capability steps are routed: routeCapability in Node. */
  route: CapabilityRouter
}

export interface ResolvedCall {
  target: StepTarget
  /** The component the call reaches, when it reaches one. */
  component?: Component
  /** How a capability request was routed. */
  route?: string
  /** The guard's decision, when it got that far. */
  verdict?: Verdict
  /** Why the call cannot be made, with the fix; absent when it can. */
  problem?: { code: string; message: string }
}

/** Resolves one call for `caller` (`main` or a plugin agent id). */
export function resolveCall(call: Pick<Call, 'target'>, caller: string, context: WorkflowContext): ResolvedCall {
  const { target } = call
  const { snapshot } = context
  let id: string
  let route: string | undefined
  if (target.kind === 'capability') {
    const routed = context.route(target.capability, snapshot.components)
    if (!routed.ok)
      return {
        target,
        problem: {
          code: 'WORKFLOW_TARGET_MISSING',
          message: `cannot route ${target.capability}: ${routed.explanation}`,
        },
      }
    id = routed.provider
    route = routed.explanation
  } else {
    id = target.id
  }
  const tool =
    target.kind === 'agent'
      ? 'agent'
      : target.kind === 'capability'
        ? findComponent(snapshot, id)?.kind === 'agent'
          ? 'agent'
          : 'skill'
        : 'skill'
  const base = { target, ...(route === undefined ? {} : { route }) }
  if (target.kind !== 'capability') {
    const byTool = resolveTarget(snapshot, id, tool)
    const actual = byTool.kind === 'component' ? byTool.component : findComponent(snapshot, id)
    if (actual && actual.kind !== target.kind) {
      return {
        ...base,
        component: actual,
        problem: {
          code: 'WORKFLOW_KIND_MISMATCH',
          message: `${actual.id} is ${actual.kind === 'agent' ? 'an' : 'a'} ${actual.kind}, not ${target.kind === 'agent' ? 'an' : 'a'} ${target.kind}. Write ${actual.kind}: ${actual.name}.`,
        },
      }
    }
  }
  const verdict = decideCall(
    { callerType: caller === 'main' ? null : caller, callerInvocation: null, target: id, kind: tool },
    snapshot,
    context.policy,
    new Map(),
  )
  const component = verdict.component
  const withVerdict = { ...base, verdict, ...(component ? { component } : {}) }
  if (!verdict.allow) {
    // The guard's words are for a model's call ("Return to the caller instead"); in a workflow the loop is a step
    // calling the agent the workflow runs as (found by a newcomer: the guard's fix did not help).
    const message =
      codeOf(verdict.reason) === 'WORKFLOW_CYCLE' && caller !== 'main' && component?.id === caller
        ? `cycle: a step may not call the workflow's caller, ${caller}, which is already running when the workflow runs as it. Call another component, or write caller: main.`
        : verdict.reason
    return { ...withVerdict, problem: { code: codeOf(verdict.reason), message } }
  }
  if (!component) {
    return {
      ...withVerdict,
      problem: {
        code: 'WORKFLOW_TARGET_MISSING',
        message: `${targetLabel(target)} is not in Switchboard's registry, so nothing can check the call. Install its plugin (or pass --plugin-dir), then run \`switchboard sync\`.`,
      },
    }
  }
  if (!component.invocable)
    return {
      ...withVerdict,
      problem: {
        code: 'WORKFLOW_TARGET_NOT_CALLABLE',
        message: `${component.id} has disable-model-invocation set, so no tool can call it. Call another component, or remove that flag from its frontmatter.`,
      },
    }
  return withVerdict
}

/** The caller's component, or a problem when a plugin agent is named that the registry does not have. */
export function resolveCaller(caller: string, snapshot: Snapshot): { component?: Component; problem?: string } {
  if (caller === 'main') return {}
  const resolved = resolveTarget(snapshot, caller, 'agent')
  if (resolved.kind === 'component') return { component: resolved.component }
  const agents = snapshot.components.filter((c) => c.kind === 'agent').map((c) => c.id)
  return {
    problem: `the caller ${caller} is not an agent in the registry, so no call can be checked for it. Write caller: main, or one of: ${agents.join(', ') || 'none'}.`,
  }
}

// --- internal ---

/** Diagnostic codes by the guard's reason (its first word, decide.ts). */
function codeOf(reason: string): string {
  const word = /^(\w+):/.exec(reason)?.[1]
  switch (word) {
    case 'missing':
    case 'ambiguous':
      return 'WORKFLOW_TARGET_MISSING'
    case 'private':
    case 'policy':
      return 'WORKFLOW_TARGET_NOT_CALLABLE'
    case 'cycle':
      return 'WORKFLOW_CYCLE'
    default:
      return 'WORKFLOW_CALL_DENIED'
  }
}

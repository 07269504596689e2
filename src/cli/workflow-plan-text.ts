/**
 * A workflow plan as text: waves in order, each call with its target, kind, tool, verdict and
 * arguments. Everything shown may come from others (plugin names, routes, input values): inert.
 */
import { inert } from '../common/index.ts'
import type { Limits, PlannedCall, PlannedStep, WorkflowPlan } from '../workflow/index.ts'
import { plural } from './format.ts'

/** How much of an argument's value to show: enough to recognise it, not a whole article. */
const SHOWN = 60

export function renderPlan(plan: WorkflowPlan, where: string, problems: string): string {
  const lines = [`Workflow ${inert(plan.name)} (${inert(where)}), caller ${inert(plan.caller)}`]
  plan.waves.forEach((wave, index) => {
    lines.push(
      '',
      wave.parallel
        ? `Wave ${index + 1}: parallel group ${inert(wave.id)}, ${wave.steps.length} steps, up to ${wave.maxParallel} at once`
        : `Wave ${index + 1}:`,
    )
    for (const step of wave.steps) lines.push(...renderStep(step))
  })
  lines.push(
    '',
    `Budget: ${budgetLine(plan.budget)}; the steps may make up to ${plural(plan.budget.plannedCalls, 'call')}.`,
  )
  if (Object.keys(plan.outputs).length > 0)
    lines.push(
      `Outputs: ${Object.entries(plan.outputs)
        .map(([k, v]) => `${inert(k)} = ${inert(v)}`)
        .join(', ')}`,
    )
  if (problems) lines.push('', problems)
  if (plan.problems.length > 0) lines.push('', 'A run would stop here:', ...plan.problems.map((p) => `  - ${inert(p)}`))
  else if (!problems) lines.push('', 'Every call is allowed. Nothing was run; no tokens were spent.')
  return lines.join('\n')
}

// --- internal ---

function renderStep(step: PlannedStep): string[] {
  const lines = [`  ${inert(step.id)}: ${callLine(step)}`]
  const details = [...argLines(step), ...(step.into ? [`-> $${inert(step.into)}`] : [])]
  for (const condition of step.when) lines.push(`      when ${inert(JSON.stringify(condition))}`)
  for (const detail of details) lines.push(`      ${detail}`)
  const onError = step.onError
  if (onError.retries > 0 || onError.fallback || onError.then === 'continue') {
    const parts = [
      ...(onError.retries > 0
        ? [`retry ${onError.retries}x${onError.backoffMs ? ` (backoff ${duration(onError.backoffMs)}, doubling)` : ''}`]
        : []),
      ...(onError.fallback ? [`fallback ${callLine(onError.fallback)}`] : []),
      `then ${onError.then}`,
    ]
    lines.push(`      on error: ${parts.join(', ')}`)
  }
  if (Object.keys(step.budget).length > 0) lines.push(`      budget: ${budgetLine(step.budget)}`)
  return lines
}

function callLine(call: PlannedCall): string {
  const target = call.target ? `${inert(call.target)} (${call.kind}, ${call.tool} tool)` : inert(call.requested)
  const routed = call.route ? ` [${inert(call.requested)}: ${inert(call.route)}]` : ''
  return `${target}${routed}  ${call.verdict.allow ? 'allowed' : `DENIED: ${inert(call.verdict.reason)}`}`
}

function argLines(call: PlannedCall): string[] {
  const show = (value: unknown): string => {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    const flat = text.replace(/\s+/g, ' ')
    return inert(flat.length > SHOWN ? `${flat.slice(0, SHOWN - 1)}… (${text.length} characters)` : flat)
  }
  return [
    ...(call.prompt === undefined ? [] : [`prompt: ${show(call.prompt)}`]),
    ...Object.entries(call.args).map(([key, value]) => `${inert(key)} = ${show(value)}`),
  ]
}

function budgetLine(limits: Limits): string {
  const parts = [
    ...(limits.calls ? [plural(limits.calls, 'call')] : []),
    ...(limits.turns ? [plural(limits.turns, 'turn')] : []),
    ...(limits.timeMs ? [duration(limits.timeMs)] : []),
  ]
  return parts.length > 0 ? parts.join(', ') : 'no limit of its own'
}

function duration(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`
}

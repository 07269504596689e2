/**
 * Budgets add up: a step may only narrow the workflow's budget (calls, turns, time), and what the
 * steps may spend together fits in it. A step's calls are its `budget.calls` when it says, else its
 * attempts (the call, its retries, its fallback); time adds up wave by wave, a parallel group
 * costing its slowest step; turns add up. A step's budget covers all its attempts. Conditional
 * steps count: they may run.
 */
import { error, warning } from '../common/core.ts'
import type { Diagnostic } from '../common/core.ts'
import { allSteps } from './model.ts'
import type { Limits, Workflow, WorkflowStep } from './model.ts'
import { CLAUDE_CODE_CONCURRENT_AGENTS, pathOf } from './model.ts'

/** The most calls a step may make: its own budget, else each attempt once. */
export function stepCalls(step: WorkflowStep): number {
  return step.budget.calls ?? attempts(step)
}

export function checkBudgets(workflow: Workflow): Diagnostic[] {
  const problems: Diagnostic[] = []
  const file = workflow.file
  const total = workflow.budget
  const steps = allSteps(workflow)
  for (const step of steps) {
    for (const key of ['calls', 'turns', 'timeMs'] as const) {
      const own = step.budget[key]
      const limit = total[key]
      if (own !== undefined && limit !== undefined && own > limit)
        problems.push(
          error(
            'WORKFLOW_BUDGET',
            file,
            `the step's ${label(key)} budget (${show(key, own)}) is above the workflow's (${show(key, limit)}); a step can only narrow it. Lower the step's, or raise the workflow's.`,
            `${pathOf(step)}.budget.${key === 'timeMs' ? 'time' : key}`,
          ),
        )
    }
    if (step.budget.calls !== undefined && step.budget.calls < attempts(step))
      problems.push(
        warning(
          'WORKFLOW_BUDGET',
          file,
          `the step may need ${attempts(step)} calls (the call, ${step.onError.retries} retries${step.onError.fallback ? ', the fallback' : ''}) but its budget allows ${step.budget.calls}, so not every attempt can run. Raise budget.calls or retry less.`,
          `${pathOf(step)}.budget.calls`,
        ),
      )
  }
  const sums: Limits = {
    calls: steps.reduce((sum, step) => sum + stepCalls(step), 0),
    turns: steps.reduce((sum, step) => sum + (step.budget.turns ?? 0), 0),
    timeMs: workflow.waves.reduce((sum, wave) => sum + Math.max(0, ...wave.steps.map((s) => s.budget.timeMs ?? 0)), 0),
  }
  for (const key of ['calls', 'turns', 'timeMs'] as const) {
    const limit = total[key]
    const need = sums[key]!
    if (limit !== undefined && need > limit) {
      const how =
        key === 'calls'
          ? 'each step counts its budget.calls, else one per attempt'
          : key === 'turns'
            ? "the steps' budget.turns"
            : "each wave's slowest step"
      problems.push(
        error(
          'WORKFLOW_BUDGET',
          file,
          `the steps may use ${show(key, need)} of ${label(key)} together (${how}), over the workflow's ${show(key, limit)}. Raise the workflow's budget.${key === 'timeMs' ? 'time' : key}, or narrow the steps'.`,
          `budget.${key === 'timeMs' ? 'time' : key}`,
        ),
      )
    }
  }
  for (const wave of workflow.waves) {
    if (wave.parallel && wave.steps.length > CLAUDE_CODE_CONCURRENT_AGENTS)
      problems.push(
        warning(
          'WORKFLOW_PARALLEL_WIDE',
          file,
          `the group has ${wave.steps.length} steps but Claude Code runs at most ${CLAUDE_CODE_CONCURRENT_AGENTS} agents at once (CLAUDE_CODE_MAX_CONCURRENT_SUBAGENTS); the others wait for a free place. Split the group, or accept the wait.`,
          `steps.${wave.id}.parallel`,
        ),
      )
  }
  return problems
}

// --- internal ---

function attempts(step: WorkflowStep): number {
  return 1 + step.onError.retries + (step.onError.fallback ? 1 : 0)
}

function label(key: keyof Limits): string {
  return key === 'timeMs' ? 'time' : key
}

function show(key: keyof Limits, value: number): string {
  if (key !== 'timeMs') return String(value)
  return value % 3_600_000 === 0
    ? `${value / 3_600_000}h`
    : value % 60_000 === 0
      ? `${value / 60_000}m`
      : value % 1000 === 0
        ? `${value / 1000}s`
        : `${value}ms`
}

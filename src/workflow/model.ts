/**
 * A workflow as the checker, the planner and the runner use it: the file's shape (schema.ts)
 * normalised once, so no consumer re-reads short forms. Order is a list of waves: a wave is one step,
 * or one parallel group whose steps run at once; a wave starts when the one before it is done.
 */
import { contractToJsonSchema } from '../manifest/contract-schema.ts'
import type { JsonSchema } from '../manifest/contract-schema.ts'
import type {
  Budget,
  Condition,
  Duration,
  Input,
  Invoke,
  OnError,
  ParallelGroup,
  Step,
  WorkflowFile,
} from './schema.ts'

/**
 * How many agents Claude Code runs at once: `$.agent.limits().concurrent` in module mode, which is
 * `CLAUDE_CODE_MAX_CONCURRENT_SUBAGENTS` and 20 when unset (docs/claude-code-notes.md "Workflows").
 * A parallel group wider than this still runs, its extra steps waiting for a free place.
 */
export const CLAUDE_CODE_CONCURRENT_AGENTS = 20

/** The reserved name of workflow inputs in references: `$inputs.article`. Never a slot name. */
export const INPUTS = 'inputs'

export type ArgValue = string | number | boolean

/** What a step calls, as written: a component by plugin, kind and name, or a capability request. */
export type StepTarget =
  | {
      kind: 'agent' | 'command' | 'skill'
      plugin: string
      name: string /** `plugin:name`, the id Claude Code uses. */
      id: string
    }
  | { kind: 'capability'; capability: string }

export interface Call {
  target: StepTarget
  prompt?: string
  args: Record<string, ArgValue>
}

export interface WorkflowStep extends Call {
  id: string
  description?: string
  /** The parallel group this step belongs to, if any. */
  group?: string
  /** Conditions that must all hold for the step to run: its group's, then its own. */
  when: Condition[]
  /** The slot its return is stored in (`on_complete.inject_into`). */
  into?: string
  onError: { retries: number; backoffMs: number; fallback?: Call; then: 'stop' | 'continue' }
  budget: Limits
}

interface Wave {
  /** The step's id, or the parallel group's. */
  id: string
  parallel: boolean
  /** How many of its steps run at once (a group's `max_parallel`, bounded by Claude Code's limit; 1 for a single step). */
  maxParallel: number
  steps: WorkflowStep[]
}

/** Budgets in numbers: calls, turns, milliseconds; absent means no limit of its own. */
export interface Limits {
  calls?: number
  turns?: number
  timeMs?: number
}

interface WorkflowInput {
  /** The short type as written, without its `?`. */
  type: string
  optional: boolean
  description?: string
  default?: ArgValue
  schema: JsonSchema
}

export interface Workflow {
  name: string
  description?: string
  /** Who the guard checks every step's call for: `main`, or a plugin agent id. */
  caller: string
  inputs: Record<string, WorkflowInput>
  budget: Limits
  waves: Wave[]
  /** Output name → reference (`$slot` or `$inputs.name`). */
  outputs: Record<string, string>
  /** Where it was read from, for messages. */
  file: string
  /** The plugin that ships it, when it is in one's workflows/ folder: it may act only as itself or main. */
  plugin?: string
}

/** Every step, in order (parallel group members in their written order). */
export function allSteps(workflow: Pick<Workflow, 'waves'>): WorkflowStep[] {
  return workflow.waves.flatMap((wave) => wave.steps)
}

/** The diagnostic path of a step: `steps.<id>`, or `steps.<group>.parallel.<id>`. */
export function pathOf(step: Pick<WorkflowStep, 'id' | 'group'>): string {
  return step.group === undefined ? `steps.${step.id}` : `steps.${step.group}.parallel.${step.id}`
}

/** The id Claude Code uses for a component target, or the capability request. */
export function targetLabel(target: StepTarget): string {
  return target.kind === 'capability' ? target.capability : target.id
}

/** A duration in milliseconds: a number is seconds; text is "500ms", "90s", "10m", "1h". */
function durationMs(duration: Duration): number {
  if (typeof duration === 'number') return duration * 1000
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(duration)
  if (!match) return Number.NaN
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h']
  return Number(match[1]) * unit
}

/** The file's shape, normalised. Assumes it passed the schema and parse.ts's rules. */
export function normaliseWorkflow(
  file: WorkflowFile,
  where: { file: string; name: string; plugin?: string },
  concurrency: number,
): Workflow {
  const waves = file.steps.map((entry): Wave => {
    if ('parallel' in entry) {
      const group = entry as ParallelGroup
      const when = group.when ? [group.when] : []
      return {
        id: group.id,
        parallel: true,
        maxParallel: Math.min(group.max_parallel ?? group.parallel.length, concurrency),
        steps: group.parallel.map((step) => normaliseStep(step, when, group.id)),
      }
    }
    const step = entry as Step
    return { id: step.id, parallel: false, maxParallel: 1, steps: [normaliseStep(step, [], undefined)] }
  })
  return {
    name: file.name ?? where.name,
    ...(file.description === undefined ? {} : { description: file.description }),
    caller: file.caller ?? 'main',
    inputs: Object.fromEntries(Object.entries(file.inputs ?? {}).map(([name, input]) => [name, normaliseInput(input)])),
    budget: limits(file.budget),
    waves,
    outputs: file.outputs ?? {},
    file: where.file,
    ...(where.plugin === undefined ? {} : { plugin: where.plugin }),
  }
}

/** A call target from its `invoke` block. Assumes exactly one of agent, command, skill, capability. */
function targetOf(invoke: Invoke): StepTarget {
  if (invoke.capability !== undefined) return { kind: 'capability', capability: invoke.capability }
  const kind = invoke.agent !== undefined ? 'agent' : invoke.command !== undefined ? 'command' : 'skill'
  const name = (invoke[kind] ?? '') as string
  const plugin = invoke.plugin ?? ''
  return { kind, plugin, name, id: `${plugin}:${name}` }
}

// --- internal ---

function normaliseStep(step: Step, groupWhen: Condition[], group: string | undefined): WorkflowStep {
  const onError: OnError = typeof step.on_error === 'string' ? { then: step.on_error } : (step.on_error ?? {})
  const retry = typeof onError.retry === 'number' ? { count: onError.retry } : onError.retry
  return {
    id: step.id,
    ...(step.description === undefined ? {} : { description: step.description }),
    ...(group === undefined ? {} : { group }),
    ...callOf(step.invoke),
    when: [...groupWhen, ...(step.when ? [step.when] : [])],
    ...(step.on_complete ? { into: step.on_complete.inject_into } : {}),
    onError: {
      retries: retry?.count ?? 0,
      backoffMs: retry?.backoff === undefined ? 0 : durationMs(retry.backoff),
      // A fallback without args of its own gets the step's: it stands in for the same call.
      ...(onError.fallback
        ? {
            fallback: {
              ...callOf(onError.fallback),
              ...(onError.fallback.args ? {} : { args: step.invoke.args ?? {} }),
            },
          }
        : {}),
      then: onError.then ?? 'stop',
    },
    budget: limits(step.budget),
  }
}

function callOf(invoke: Invoke): Call {
  return {
    target: targetOf(invoke),
    ...(invoke.prompt === undefined ? {} : { prompt: invoke.prompt }),
    args: invoke.args ?? {},
  }
}

function limits(budget: Budget | undefined): Limits {
  if (!budget) return {}
  return {
    ...(budget.calls === undefined ? {} : { calls: budget.calls }),
    ...(budget.turns === undefined ? {} : { turns: budget.turns }),
    ...(budget.time === undefined ? {} : { timeMs: durationMs(budget.time) }),
  }
}

function normaliseInput(input: Input): WorkflowInput {
  const written = typeof input === 'string' ? input : input.type
  const optional = written.endsWith('?') || (typeof input !== 'string' && input.default !== undefined)
  const type = written.replace(/\?$/, '')
  return {
    type,
    optional,
    ...(typeof input !== 'string' && input.description !== undefined ? { description: input.description } : {}),
    ...(typeof input !== 'string' && input.default !== undefined ? { default: input.default } : {}),
    schema: contractToJsonSchema(type),
  }
}

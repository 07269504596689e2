/**
 * `workflow compile`: a checked workflow as a script for Claude Code's native Workflow tool
 * (2.1.331+; docs/workflows.md "Compile to the Workflow tool"). Pure: the workflow and its calls,
 * resolved as the session will make them, in; the script text out.
 *
 * The script is `export const meta` (a pure literal, which the tool requires), `const PLAN` (every
 * value from the workflow, the registry and fixed inputs, as JSON data) and the fixed runner
 * (compile-runtime.ts). Nothing from the workflow file, a plugin or an input is ever spliced into
 * code: each value is a JSON literal with every character outside printable ASCII escaped, so no
 * quote, backtick, `${`, line separator, bidi control or `</script>` can end its string or hide in
 * the tool's approval dialog; maps keyed by author names are lists of pairs, so `__proto__` is a name.
 */
import { contractToJsonSchema, isTextContract } from '../manifest/contract-schema.ts'
import type { Component } from '../registry/index.ts'
import type { ResolvedStep } from './check.ts'
import { allSteps, targetLabel } from './model.ts'
import type { Call, Workflow } from './model.ts'
import { pathOf } from './model.ts'
import { argSegments, segmentsOf, stepQuotingProblems, writtenSlots } from './call-segments.ts'
import { resolveCall } from './resolve-calls.ts'
import type { ResolvedCall, WorkflowContext } from './resolve-calls.ts'
import { RUNTIME } from './compile-runtime.ts'

/** The line that starts a compiled script's comment: `workflow compile --out` replaces only a file that holds it. */
export const COMPILED_MARK = '// Compiled by `switchboard workflow compile`'

/** The agent that makes a command's or skill's Skill call: the tool's script cannot call Skill itself. */
const SKILL_RUNNER = 'general-purpose'

export interface CompileProblem {
  path: string
  message: string
}

/**
 * Every step's call (and fallback) resolved for the session's main thread, which is who starts the
 * native tool's agents, so who the guard judges them as, whatever the workflow's `caller`. A call
 * the guard would refuse from there is a problem: the script would fail at that step.
 */
export function resolveForCompile(
  workflow: Workflow,
  context: WorkflowContext,
): { steps: ResolvedStep[]; problems: CompileProblem[] } {
  const problems: CompileProblem[] = []
  const written = writtenSlots(workflow)
  const steps = allSteps(workflow).map((step): ResolvedStep => {
    const path = pathOf(step)
    const asMain = (call: Call, where: string): ResolvedCall => {
      const resolved = resolveCall(call, 'main', context)
      const why =
        workflow.caller === 'main'
          ? ''
          : `The Workflow tool starts every agent from the session, so the guard judges this call as main's, not ${workflow.caller}'s: `
      if (resolved.problem) problems.push({ path: where, message: `${why}${resolved.problem.message}` })
      return resolved
    }
    const fallback = step.onError.fallback ? asMain(step.onError.fallback, `${path}.on_error.fallback`) : undefined
    problems.push(...stepQuotingProblems(step, written))
    return { step, path, call: asMain(step, `${path}.invoke`), ...(fallback ? { fallback } : {}) }
  })
  return { steps, problems }
}

export interface CompileRequest {
  workflow: Workflow
  /** From resolveForCompile, with no problems. */
  steps: ResolvedStep[]
  /** Input values fixed in the script (checked with resolveInputs first); the rest come from the tool's `args`. */
  fixed: Readonly<Record<string, string>>
  /** Where the workflow was read from, as the user names it. */
  source: string
}

export function compileWorkflow(request: CompileRequest): { script: string; warnings: string[] } {
  const { workflow } = request
  const byId = new Map(request.steps.map((r) => [r.step.id, r]))
  const written = writtenSlots(workflow)
  const plan = {
    name: workflow.name,
    source: request.source,
    budget: workflow.budget.timeMs === undefined && workflow.budget.calls === undefined ? {} : pick(workflow.budget),
    inputs: Object.entries(workflow.inputs).map(([name, input]) => [
      name,
      {
        type: input.type,
        optional: input.optional,
        ...(input.default === undefined ? {} : { default: String(input.default) }),
        ...(request.fixed[name] === undefined ? {} : { fixed: request.fixed[name] }),
      },
    ]),
    waves: workflow.waves.map((wave) => ({
      id: wave.id,
      maxParallel: wave.maxParallel,
      steps: wave.steps.map((step) => {
        const resolved = byId.get(step.id)!
        return {
          id: step.id,
          phase: wave.id,
          when: step.when,
          call: callData(step, resolved.call.component!, step.into, written),
          retries: step.onError.retries,
          backoffMs: step.onError.backoffMs,
          ...(step.onError.fallback && resolved.fallback
            ? { fallback: callData(step.onError.fallback, resolved.fallback.component!, step.into, written) }
            : {}),
          then: step.onError.then,
          budget: pick(step.budget),
        }
      }),
    })),
    outputs: Object.entries(workflow.outputs).map(([name, reference]) => [name, segmentsOf(reference, written)[0]]),
  }
  const meta = [
    'export const meta = {',
    `  name: ${literal(workflow.name)},`,
    `  description: ${literal(workflow.description ?? `Switchboard workflow ${workflow.name}`)},`,
    `  whenToUse: ${literal(whenToUse(workflow, request.fixed))},`,
    `  phases: [${workflow.waves.map((wave) => `{ title: ${literal(wave.id)} }`).join(', ')}],`,
    '}',
  ].join('\n')
  const header = [
    `${COMPILED_MARK} for Claude Code's Workflow tool. Switchboard's hooks module guards and`,
    '// traces its agents (Claude Code 2.1.331 and later); 2.1.197 runs it too, but no settings hook sees those agents.',
    '// Compile again after changing the workflow; PLAN is data, the code below it is the same for every workflow.',
  ].join('\n')
  return {
    script: `${meta}\n${header}\nconst PLAN = ${planLiteral(plan)}\n${RUNTIME.trimStart()}`,
    warnings: warnings(request),
  }
}

/** A value as a JavaScript literal: JSON, with `<` and everything past ASCII escaped (JSON already escapes control characters). */
function literal(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

// --- internal ---

/** PLAN as a literal a reviewer can read: one line per field, per input, per step. */
function planLiteral(plan: { waves: Array<{ steps: unknown[] }> } & Record<string, unknown>): string {
  const fields = Object.entries(plan).map(([key, value]) => {
    if (key === 'waves') {
      const waves = plan.waves.map(
        ({ steps, ...wave }) =>
          `    ${literal(wave).slice(0, -1)}, "steps": [\n${steps.map((step) => `      ${literal(step)}`).join(',\n')}\n    ]}`,
      )
      return `  "waves": [\n${waves.join(',\n')}\n  ]`
    }
    if (Array.isArray(value) && value.length > 0)
      return `  ${literal(key)}: [\n${value.map((item) => `    ${literal(item)}`).join(',\n')}\n  ]`
    return `  ${literal(key)}: ${literal(value)}`
  })
  return `{\n${fields.join(',\n')}\n}`
}

function callData(
  call: Pick<Call, 'prompt' | 'args'>,
  component: Component,
  into: string | undefined,
  written: ReadonlySet<string>,
) {
  const output = component.orchestration?.output
  const schema = output === undefined || isTextContract(output) ? undefined : contractToJsonSchema(output)
  return {
    target: component.id,
    kind: component.kind === 'agent' ? 'agent' : 'skill',
    agentType: component.kind === 'agent' ? component.id : SKILL_RUNNER,
    ...(call.prompt === undefined ? {} : { prompt: segmentsOf(call.prompt, written) }),
    args: Object.entries(call.args).map(([key, value]) => [key, argSegments(value, written)]),
    ...(into === undefined ? {} : { into }),
    returns: schema
      ? { json: true, required: schema.type === 'object' && Array.isArray(schema.required) ? schema.required : [] }
      : { json: false },
  }
}

function pick(limits: { calls?: number; timeMs?: number }): { calls?: number; timeMs?: number } {
  return {
    ...(limits.calls === undefined ? {} : { calls: limits.calls }),
    ...(limits.timeMs === undefined ? {} : { timeMs: limits.timeMs }),
  }
}

function whenToUse(workflow: Workflow, fixed: Readonly<Record<string, string>>): string {
  const open = Object.entries(workflow.inputs).filter(([name]) => fixed[name] === undefined)
  const inputs = open.map(
    ([name, input]) =>
      `${name} (${input.type}${input.default !== undefined ? `, default ${String(input.default)}` : input.optional ? ', optional' : ''})`,
  )
  return `${inputs.length > 0 ? `Pass the inputs in the tool's args: ${inputs.join(', ')}.` : 'Takes no args.'} Compiled by Switchboard from its workflow ${workflow.name}.`.slice(
    0,
    4000,
  )
}

function warnings(request: CompileRequest): string[] {
  const { workflow } = request
  const found: string[] = []
  if (workflow.caller !== 'main')
    found.push(
      `caller: the Workflow tool starts every agent from the session, so the guard checks the steps as calls from main, not from ${workflow.caller} (each was checked so, and is allowed).`,
    )
  const turns = [
    workflow.budget.turns !== undefined ? 'budget' : undefined,
    ...allSteps(workflow)
      .filter((s) => s.budget.turns !== undefined)
      .map((s) => `${pathOf(s)}.budget`),
  ].filter(Boolean)
  if (turns.length > 0)
    found.push(
      `${turns.join(', ')}: turns are not counted in a compiled script (the Workflow tool does not tell a script an agent's turns); calls and time are.`,
    )
  for (const { step, call, fallback } of request.steps) {
    for (const resolved of [call, fallback]) {
      const component = resolved?.component
      if (component && component.kind !== 'agent')
        found.push(
          `${pathOf(step)}: ${component.id} is a ${component.kind}, and a Workflow script cannot call the Skill tool: the script asks a ${SKILL_RUNNER} agent to make that Skill call, which the guard checks and traces as any other (${targetLabel(resolved.target)}).`,
        )
    }
  }
  return found
}

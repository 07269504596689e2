/**
 * The run engine: what to do next in a workflow run, decided without I/O. The runtime owns the
 * clock, the calls, the slots and the receipt files; the engine owns every decision, written once:
 * which calls of the current wave start now (each filled with `fillCall`, its `when` evaluated with
 * `conditionHolds`, its target resolved and checked for the workflow's caller, bounded by the wave's
 * `maxParallel`), which earlier results are reused (receipts.ts), `on_error` (retry with count and
 * doubling backoff, fallback, continue, stop), budgets (calls, turns, time; a step only narrows the
 * workflow's), and the typed result.
 *
 * The loop a runtime runs:
 *   const state = startRun(setup, given, now)        // inputs checked; a JSON-serialisable state
 *   for (;;) {
 *     const actions = advance(state, setup, now())    // restore / call / wait / done
 *     restore each slot, then start each call; on done return the result;
 *     on wait sleep until `until` (only when no call is in flight); else wait for a call to end,
 *     store its value in its slot, then `settle(state, setup, step, outcome, now())` and write the
 *     receipt it returns (after the slot, so a kill never leaves a receipt for an unstored result).
 *   }
 *
 * Both runtimes drive it in Switchboard's MCP server. For the hooks module, drive_workflow
 * (mcp/drive-workflow-tool.ts) keeps the state in memory for the run and answers each event the module
 * reports (its start, a call that ended, a wait over) with the next actions; the module makes the calls
 * (module/workflow-run.ts). In settings mode, run_workflow (mcp/run-workflow-tool.ts) keeps the state
 * (plain JSON) in the session folder between hook runs and hands the model the next call (the settings
 * hooks check that the model's Agent call is that call), PostToolUse or SubagentStop stores the
 * captured return for it to `settle`, and a `wait` becomes "call again after".
 */
import { readDirective } from '../context/core.ts'
import type { Snapshot } from '../guard/core.ts'
import { conditionHolds } from './conditions.ts'
import type { PatternTest } from './conditions.ts'
import { fillCall } from './fill.ts'
import { resolveInputs } from './inputs.ts'
import type { ArgValue, Call, Limits, Workflow, WorkflowStep } from './model.ts'
import { allSteps } from './model.ts'
import { inputsHash, RECEIPT_VERSION, sameKey } from './receipts.ts'
import type { Receipt, ReceiptKey } from './receipts.ts'
import { soleReference, workflowReferences } from './references.ts'
import { resolveCall } from './resolve-calls.ts'
import type { WorkflowContext } from './resolve-calls.ts'
import { activePlugin } from '../registry/plugin-owner.ts'

type RunStatus = 'ok' | 'failed' | 'budget_exhausted' | 'denied'
type StepStatus =
  | 'pending'
  | 'ready'
  | 'running'
  | 'waiting'
  | 'ok'
  | 'reused'
  | 'failed'
  | 'denied'
  | 'skipped'
  | 'not_run'
  | 'budget_exhausted'

/** What the engine reads besides its state; rebuilt by the runtime each time (nothing here is stored). */
export interface RunSetup {
  workflow: Workflow
  context: WorkflowContext
  /** Receipts of earlier runs by step id (unparseable ones left out). */
  receipts: Readonly<Record<string, Receipt | undefined>>
  /** Ignore every receipt: run every step. */
  fresh?: boolean
  /** The most the runtime can wait, in all, for backoffs; longer waits are shortened, with a warning. */
  waitLimitMs?: number
  /**
   * Whether whoever runs the workflow may have the return of a call to `target` without a call: a
   * receipt's value is that call's return, and a reused step makes no call the guard could refuse.
   * Absent: every receipt may be reused.
   */
  mayReuse?: (target: string, kind: 'agent' | 'command' | 'skill') => boolean
  /** How `when.matches` is tested; absent: plainly. Node's is bounded in time (bounded-pattern-test.ts). */
  testPattern?: PatternTest
}

/** One call for the runtime to make, exactly as filled and checked. */
export interface RunCall {
  step: string
  /** 1 for the first call of the step, counting retries and the fallback. */
  attempt: number
  fallback: boolean
  /** The component id it resolved to (a capability routed to its provider). */
  target: string
  kind: 'agent' | 'command' | 'skill'
  route?: string
  prompt?: string
  args: Record<string, ArgValue>
  into?: string
}

export type RunAction =
  | { do: 'restore'; step: string; into: string; value: unknown; producedBy: string }
  | { do: 'call'; call: RunCall }
  | { do: 'wait'; until: number }
  | { do: 'done'; result: RunResult }

/** How a call ended, as the runtime saw it. `denied`: the guard or Claude Code refused it (no retry). */
export type CallOutcome =
  | { status: 'ok'; value: unknown; invocation?: string | null; turns?: number }
  | { status: 'failed' | 'denied'; problems: string[]; message: string; invocation?: string | null; turns?: number }

interface StepResult {
  id: string
  status: Exclude<StepStatus, 'pending' | 'ready' | 'running' | 'waiting'>
  /** The component that answered (or was to be called). */
  target: string | null
  /** Calls made for it in this run (retries and the fallback included). */
  calls: number
  fallback: boolean
  /** Its last call's id in the trace. */
  invocation: string | null
  problems: string[]
  message?: string
}

export interface RunResult {
  status: RunStatus
  workflow: string
  run: string
  steps: StepResult[]
  /** The workflow's outputs that have a value (all of them when status is ok and none was left unset). */
  outputs: Record<string, unknown>
  /** Whether some outputs are missing: a budget ran out, a step failed, or a step that continued left its slot unset. */
  partial: boolean
  missing: string[]
  used: { calls: number; turns: number; timeMs: number; reused: number }
  budget: Limits
  warnings: string[]
  message: string
}

interface StepRun {
  status: StepStatus
  attempts: number
  /** Calls made to the main target (retries count against these). */
  onMain: number
  fallback: boolean
  turns: number
  firstAt?: number
  dueAt?: number
  target?: string
  invocation?: string | null
  value?: unknown
  problems: string[]
  message?: string
  key?: ReceiptKey
}

/** A run's state: plain JSON, so a runtime may keep it between processes. */
export interface RunState {
  run: string
  workflow: string
  inputs: Record<string, string>
  startedAt: number
  wave: number
  steps: Record<string, StepRun>
  /** The values of the slots the run wrote or restored, by slot name. */
  slots: Record<string, unknown>
  /**
   * When each session slot a step reads, and no step has written yet, was last written (its `ts`), as the
   * run started: a receipt is reused only while they are as they were. Keyed by the run's own slots alone,
   * a step reading `$STYLE` reused its old answer after the user changed STYLE (found by review). Times,
   * not values: a receipt's key holds nothing of a secret.
   */
  sessionSlots?: Record<string, number>
  /**
   * The slots a step stores into that are secret in the session as the run starts: no receipt is restored
   * into one (a restore threw out of the whole run); the step is called, and the guard refuses its return
   * there, saying why (found by review).
   */
  secretInto?: string[]
  /**
   * The session slots steps read that are secret as the run starts: a call that carries a secret may quote it
   * in its return, which is stored nowhere, so no receipt keeps it either (receipts outlive the session and a
   * `context clear`; found by review). Such a step runs again at every run.
   */
  secretRead?: string[]
  calls: number
  turns: number
  waitedMs: number
  ended?: { status: Exclude<RunStatus, 'ok'>; reason: string }
  warnings: string[]
}

/** A new run, or the problems with its inputs (each with its fix). */
export function startRun(
  setup: Pick<RunSetup, 'workflow'>,
  given: Readonly<Record<string, string>>,
  run: string,
  now: number,
  /** The session's slot of this name, where there is one: when it was written, and whether it is secret. */
  sessionSlot: (name: string) => { ts: number; secret?: boolean } | undefined = () => undefined,
): { ok: true; state: RunState } | { ok: false; problems: string[] } {
  const inputs = resolveInputs(setup.workflow, given)
  if (inputs.problems.length > 0) return { ok: false, problems: inputs.problems }
  const read = new Set(
    allSteps(setup.workflow)
      .flatMap((step) => [step, ...(step.onError.fallback ? [step.onError.fallback] : [])])
      .flatMap(slotsRead),
  )
  const secretInto = [
    ...new Set(
      allSteps(setup.workflow).flatMap((step) => (step.into && sessionSlot(step.into)?.secret ? [step.into] : [])),
    ),
  ]
  const secretRead = [...read].filter((name) => sessionSlot(name)?.secret)
  const sessionSlots = Object.fromEntries(
    [...read].flatMap((name) => {
      const slot = sessionSlot(name)
      return slot ? [[name, slot.ts]] : []
    }),
  )
  const steps = Object.fromEntries(
    allSteps(setup.workflow).map((step) => [
      step.id,
      { status: 'pending', attempts: 0, onMain: 0, fallback: false, turns: 0, problems: [] } as StepRun,
    ]),
  )
  return {
    ok: true,
    state: {
      run,
      workflow: setup.workflow.name,
      inputs: inputs.values,
      startedAt: now,
      wave: 0,
      steps,
      slots: {},
      ...(Object.keys(sessionSlots).length > 0 ? { sessionSlots } : {}),
      ...(secretInto.length > 0 ? { secretInto } : {}),
      ...(secretRead.length > 0 ? { secretRead } : {}),
      calls: 0,
      turns: 0,
      waitedMs: 0,
      warnings: [],
    },
  }
}

/** What to do now. Call again after every settle and every wait; `done` comes once nothing runs. */
export function advance(state: RunState, setup: RunSetup, now: number): RunAction[] {
  const actions: RunAction[] = []
  const { workflow } = setup
  while (!state.ended && state.wave < workflow.waves.length) {
    const wave = workflow.waves[state.wave]!
    for (const step of wave.steps)
      if (state.steps[step.id]!.status === 'pending') actions.push(...prepare(state, setup, step, now))
    let running = wave.steps.filter((step) => state.steps[step.id]!.status === 'running').length
    for (const step of wave.steps) {
      const run = state.steps[step.id]!
      const due = run.status === 'ready' || (run.status === 'waiting' && run.dueAt! <= now)
      if (!due || running >= wave.maxParallel || state.ended) continue
      const spent = exhausted(state, setup, step, now)
      if (spent) {
        run.status = 'budget_exhausted'
        run.problems.push(spent)
        state.ended = { status: 'budget_exhausted', reason: spent }
        break
      }
      actions.push({ do: 'call', call: start(state, setup, step, now) })
      running++
    }
    if (
      state.ended ||
      wave.steps.some((step) => ['pending', 'ready', 'running', 'waiting'].includes(state.steps[step.id]!.status))
    )
      break
    state.wave++
  }
  const inFlight = Object.values(state.steps).some((run) => run.status === 'running')
  if (inFlight || actions.some((a) => a.do === 'call')) return actions
  if (!state.ended && state.wave < workflow.waves.length) {
    const due = Math.min(
      ...Object.values(state.steps)
        .filter((run) => run.status === 'waiting')
        .map((run) => run.dueAt!),
    )
    return [...actions, { do: 'wait', until: due }]
  }
  for (const run of Object.values(state.steps))
    if (['pending', 'ready', 'waiting'].includes(run.status)) run.status = 'not_run'
  return [...actions, { do: 'done', result: runResult(state, setup, now) }]
}

/**
 * A call ended. Returns the receipt to store when the step is done, which the runtime writes only
 * after the step's value is in its slot.
 */
export function settle(
  state: RunState,
  setup: RunSetup,
  stepId: string,
  outcome: CallOutcome,
  now: number,
): { receipt?: Receipt } {
  const step = allSteps(setup.workflow).find((s) => s.id === stepId)
  const run = state.steps[stepId]
  if (!step || !run || run.status !== 'running') throw new Error(`settle: step "${stepId}" has no call in flight`)
  run.invocation = outcome.invocation ?? null
  if (outcome.turns) {
    run.turns += outcome.turns
    state.turns += outcome.turns
  }
  if (outcome.status === 'ok') {
    run.status = 'ok'
    run.value = outcome.value
    run.problems = []
    delete run.message
    if (step.into) state.slots[step.into] = outcome.value
    if (!run.key || readsSecret(state, step)) return {}
    return {
      receipt: {
        version: RECEIPT_VERSION,
        key: run.key,
        value: outcome.value,
        ...(step.into ? { into: step.into } : {}),
        producedBy: run.target!,
        run: state.run,
        at: now,
      },
    }
  }
  run.problems = [...outcome.problems]
  run.message = outcome.message
  failed(state, setup, step, outcome.status === 'denied', now)
  return {}
}

/** The result as it stands (the runtime reads it at `done`). */
function runResult(state: RunState, setup: RunSetup, now: number): RunResult {
  const { workflow } = setup
  const outputs: Record<string, unknown> = {}
  const missing: string[] = []
  for (const [name, reference] of Object.entries(workflow.outputs)) {
    const sole = soleReference(reference)
    const value =
      sole?.kind === 'input' ? state.inputs[sole.name] : sole?.kind === 'slot' ? state.slots[sole.name] : undefined
    if (value === undefined) missing.push(name)
    else outputs[name] = value
  }
  const steps = allSteps(workflow).map((step): StepResult => {
    const run = state.steps[step.id]!
    const status = ['pending', 'ready', 'running', 'waiting'].includes(run.status)
      ? 'not_run'
      : (run.status as StepResult['status'])
    return {
      id: step.id,
      status,
      target: run.target ?? null,
      calls: run.attempts,
      fallback: run.fallback,
      invocation: run.invocation ?? null,
      problems: run.problems,
      ...(run.message ? { message: run.message } : {}),
    }
  })
  const status: RunStatus = state.ended?.status ?? 'ok'
  const reused = steps.filter((s) => s.status === 'reused').length
  const message =
    status === 'ok'
      ? `Workflow ${workflow.name} finished: ${ranSummary(steps)}, ${reused} reused from receipts${missing.length ? `; outputs not set: ${missing.join(', ')}` : ''}.`
      : `Workflow ${workflow.name} ${status === 'budget_exhausted' ? 'ran out of budget' : status === 'denied' ? 'stopped at a denied call' : 'stopped at a failed step'}: ${state.ended!.reason} ${missing.length ? `Partial result: outputs not set: ${missing.join(', ')}.` : ''} Run it again to resume: finished steps are not run again.`.trim()
  return {
    status,
    workflow: workflow.name,
    run: state.run,
    steps,
    outputs,
    partial: missing.length > 0,
    missing,
    used: { calls: state.calls, turns: state.turns, timeMs: now - state.startedAt, reused },
    budget: workflow.budget,
    warnings: state.warnings,
    message,
  }
}

// --- internal ---

/** A step of the wave now starting: skipped by its condition, reused from its receipt, or ready. */
function prepare(state: RunState, setup: RunSetup, step: WorkflowStep, now: number): RunAction[] {
  const run = state.steps[step.id]!
  const lookup = (subject: { slot?: string; input?: string }): unknown =>
    subject.slot !== undefined ? state.slots[subject.slot] : state.inputs[subject.input!]
  let holds: boolean
  try {
    holds = step.when.every((condition) => conditionHolds(condition, lookup, setup.testPattern))
  } catch (thrown) {
    // A condition that cannot be told is no reason to run the step, nor to skip it as if false, nor
    // to start the fallback the author wrote for a call that failed: the step fails, and on_error's
    // `then` says whether the run goes on.
    const problem = `step "${step.id}": its when could not be decided: ${(thrown as Error).message}`
    run.problems = [problem]
    run.message = problem
    run.status = 'failed'
    if (step.onError.then === 'stop') state.ended = { status: 'failed', reason: problem }
    return []
  }
  if (!holds) {
    run.status = 'skipped'
    return []
  }
  const main = resolveHere(state, setup, step)
  const resolvedFallback = step.onError.fallback ? resolveHere(state, setup, step.onError.fallback) : undefined
  const fallback = resolvedFallback && !('problem' in resolvedFallback) ? resolvedFallback : undefined
  if ('problem' in main) {
    if (main.target) run.target = main.target
    run.problems = [main.problem]
    run.message = main.problem
    // The fallback will make the step's value: a rerun reuses its receipt while the main is refused
    // for the same reason, and runs the main once it no longer is (its key then differs).
    if (fallback) {
      run.key = stepKey(state, step, { target: main.target ?? '', version: null, refused: main.problem }, fallback)
      const reused = reuse(state, setup, step, run.key, () => fallback.kind)
      if (reused) return reused
    }
    failed(state, setup, step, main.denied, now)
    return []
  }
  run.target = main.target
  // A fallback that cannot be resolved makes no receipt key: the step has no value it could keep.
  if (!resolvedFallback || fallback) {
    run.key = stepKey(state, step, main, fallback)
    // Asked of the target that made the receipt, as its own kind: a fallback's may be a command where the main is an agent.
    const reused = reuse(state, setup, step, run.key, (target) =>
      fallback && target === fallback.target && target !== main.target ? fallback.kind : main.kind,
    )
    if (reused) return reused
  }
  run.status = 'ready'
  return []
}

/** What decides a step's value: its targets, their versions, the filled calls and the slots they read. */
function stepKey(
  state: RunState,
  step: WorkflowStep,
  main: { target: string; version: string | null; refused?: string; filled?: Resolved['filled'] },
  fallback: Resolved | undefined,
): ReceiptKey {
  const slots = [
    ...new Set([step, ...(step.onError.fallback ? [step.onError.fallback] : [])].flatMap(slotsRead)),
  ].sort()
  return {
    step: step.id,
    target: main.target,
    version: main.version,
    ...(main.refused === undefined ? {} : { refused: main.refused }),
    ...(fallback ? { fallback: { target: fallback.target, version: fallback.version } } : {}),
    inputs: inputsHash({
      // Where the value goes: a receipt made for a step that stored nothing (a call carrying a secret may
      // be made so) is never restored into a slot added since, with no guard to judge the call again.
      ...(step.into ? { into: step.into } : {}),
      ...(main.filled ? { call: main.filled } : {}),
      ...(fallback ? { fallback: fallback.filled } : {}),
      slots: Object.fromEntries(
        slots.map((name) => [
          name,
          state.slots[name] ??
            (state.sessionSlots?.[name] === undefined ? null : { written: state.sessionSlots[name] }),
        ]),
      ),
    }),
  }
}

/** Whether the step, or its fallback, reads a slot that is secret in the session (RunState.secretRead). */
function readsSecret(state: RunState, step: WorkflowStep): boolean {
  if (!state.secretRead) return false
  return [step, ...(step.onError.fallback ? [step.onError.fallback] : [])]
    .flatMap(slotsRead)
    .some((name) => state.secretRead!.includes(name))
}

/** The step's value restored from its receipt, where the receipt's key is the step's now. */
function reuse(
  state: RunState,
  setup: RunSetup,
  step: WorkflowStep,
  key: ReceiptKey,
  kindOf: (target: string) => Resolved['kind'],
): RunAction[] | undefined {
  const run = state.steps[step.id]!
  const receipt = setup.fresh ? undefined : setup.receipts[step.id]
  if (!receipt || !sameKey(receipt.key, key)) return undefined
  if (step.into && state.secretInto?.includes(step.into)) return undefined
  if (!(setup.mayReuse?.(receipt.producedBy, kindOf(receipt.producedBy)) ?? true)) return undefined
  run.status = 'reused'
  run.value = receipt.value
  run.target = receipt.producedBy
  if (step.into) state.slots[step.into] = receipt.value
  return step.into
    ? [{ do: 'restore', step: step.id, into: step.into, value: receipt.value, producedBy: receipt.producedBy }]
    : []
}

interface Resolved {
  target: string
  kind: 'agent' | 'command' | 'skill'
  version: string | null
  route?: string
  filled: { prompt?: string; args: Record<string, ArgValue> }
}

function resolveHere(
  state: RunState,
  setup: RunSetup,
  call: Call,
): Resolved | { problem: string; denied: boolean; target?: string } {
  const resolved = resolveCall(call, setup.workflow.caller, setup.context)
  const target = resolved.component?.id
  if (resolved.problem || !resolved.component) {
    const problem = resolved.problem ?? {
      code: 'WORKFLOW_TARGET_MISSING',
      message: 'the target is not in the registry.',
    }
    return { problem: problem.message, denied: DENIED_CODES.has(problem.code), ...(target ? { target } : {}) }
  }
  const filled = fillCall(call, state.inputs, (slot) => state.slots[slot] !== undefined)
  if (!filled.ok) return { problem: filled.reason, denied: false, ...(target ? { target } : {}) }
  const { ok: _ok, ...values } = filled
  // Where a return goes is the workflow's (on_complete.inject_into), never text's: an input could carry a directive.
  const directive = [
    values.prompt ?? '',
    ...Object.values(values.args).filter((v): v is string => typeof v === 'string'),
  ].find((text) => {
    const read = readDirective(text)
    return !read.ok || read.into !== undefined
  })
  if (directive !== undefined)
    return {
      problem:
        'a value of the call holds a [[switchboard into=...]] directive; in a workflow, where a return goes is set by on_complete.inject_into alone. Put such text in a fenced code block or a > quote.',
      denied: true,
      ...(target ? { target } : {}),
    }
  return {
    target: resolved.component.id,
    kind: resolved.component.kind,
    version: versionOf(setup.context.snapshot, resolved.component.plugin),
    ...(resolved.route === undefined ? {} : { route: resolved.route }),
    filled: values,
  }
}

/** `3 steps ran (lint failed, the workflow went on)`: every step that made calls, the ones that did not succeed named. */
function ranSummary(steps: readonly StepResult[]): string {
  const ran = steps.filter((s) => s.status !== 'reused' && s.status !== 'skipped' && s.status !== 'not_run')
  const unsuccessful = ran.filter((s) => s.status !== 'ok')
  const skipped = steps.filter((s) => s.status === 'skipped').length
  return `${ran.length} step${ran.length === 1 ? '' : 's'} ran${
    unsuccessful.length ? ` (${unsuccessful.map((s) => `${s.id} ${s.status}`).join(', ')}; the workflow went on)` : ''
  }${skipped ? `, ${skipped} skipped by ${skipped === 1 ? 'its condition' : 'their conditions'}` : ''}`
}

const DENIED_CODES = new Set(['WORKFLOW_TARGET_NOT_CALLABLE', 'WORKFLOW_CYCLE', 'WORKFLOW_CALL_DENIED'])

function versionOf(snapshot: Snapshot, plugin: string): string | null {
  return activePlugin(snapshot.plugins, plugin)?.version ?? null
}

function slotsRead(call: Call): string[] {
  const texts = [
    ...(call.prompt === undefined ? [] : [call.prompt]),
    ...Object.values(call.args).filter((v): v is string => typeof v === 'string'),
  ]
  return texts.flatMap((text) => workflowReferences(text).flatMap((r) => (r.kind === 'slot' ? [r.name] : [])))
}

/** The next call of a ready (or due) step: its main target, or the fallback once that is where it stands. */
function start(state: RunState, setup: RunSetup, step: WorkflowStep, now: number): RunCall {
  const run = state.steps[step.id]!
  const resolved = resolveHere(state, setup, run.fallback ? step.onError.fallback! : step) as Resolved
  run.status = 'running'
  run.attempts++
  if (!run.fallback) run.onMain++
  run.firstAt ??= now
  run.target = resolved.target
  delete run.dueAt
  state.calls++
  return {
    step: step.id,
    attempt: run.attempts,
    fallback: run.fallback,
    target: resolved.target,
    kind: resolved.kind,
    ...(resolved.route === undefined ? {} : { route: resolved.route }),
    ...(resolved.filled.prompt === undefined ? {} : { prompt: resolved.filled.prompt }),
    args: resolved.filled.args,
    ...(step.into === undefined ? {} : { into: step.into }),
  }
}

/** `on_error`: retry the main target (not after a denial: it would be denied again), then the fallback, then `then`. */
function failed(state: RunState, setup: RunSetup, step: WorkflowStep, denied: boolean, now: number): void {
  const run = state.steps[step.id]!
  const { retries, backoffMs, fallback, then } = step.onError
  if (!run.fallback && !denied && run.onMain > 0 && run.onMain <= retries) {
    const wanted = backoffMs * 2 ** (run.onMain - 1)
    const room = Math.max(0, (setup.waitLimitMs ?? Number.POSITIVE_INFINITY) - state.waitedMs)
    const wait = Math.min(wanted, room)
    if (wait < wanted)
      state.warnings.push(
        `step ${step.id}: the backoff before retry ${run.onMain} was shortened from ${wanted} ms to ${wait} ms: this runtime can wait ${setup.waitLimitMs} ms in all during one run.`,
      )
    state.waitedMs += wait
    run.status = 'waiting'
    run.dueAt = now + wait
    return
  }
  if (fallback && !run.fallback) {
    run.fallback = true
    const resolved = resolveHere(state, setup, fallback)
    if (!('problem' in resolved)) {
      run.status = 'ready'
      return
    }
    run.problems.push(`fallback: ${resolved.problem}`)
    denied = resolved.denied
  }
  run.status = denied ? 'denied' : 'failed'
  if (then === 'stop')
    state.ended = {
      status: denied ? 'denied' : 'failed',
      reason: `step ${step.id}: ${run.message ?? run.problems[0] ?? 'it failed'}`,
    }
}

/** Why no further call may start, when a budget is spent: the workflow's, or the step's (a step only narrows it). */
function exhausted(state: RunState, setup: RunSetup, step: WorkflowStep, now: number): string | undefined {
  const run = state.steps[step.id]!
  const total = setup.workflow.budget
  const own = step.budget
  if (total.calls !== undefined && state.calls >= total.calls)
    return `the workflow's budget of ${total.calls} calls is spent (step ${step.id} was next).`
  if (own.calls !== undefined && run.attempts >= own.calls)
    return `step ${step.id}'s budget of ${own.calls} calls is spent.`
  if (total.turns !== undefined && state.turns >= total.turns)
    return `the workflow's budget of ${total.turns} turns is spent (step ${step.id} was next).`
  if (own.turns !== undefined && run.turns >= own.turns)
    return `step ${step.id}'s budget of ${own.turns} turns is spent.`
  if (total.timeMs !== undefined && now - state.startedAt >= total.timeMs)
    return `the workflow's time budget (${total.timeMs} ms) is spent (step ${step.id} was next).`
  if (own.timeMs !== undefined && run.firstAt !== undefined && now - run.firstAt >= own.timeMs)
    return `step ${step.id}'s time budget (${own.timeMs} ms) is spent.`
  return undefined
}

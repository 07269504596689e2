/**
 * `drive_workflow`: the run engine (workflow/run-engine.ts) for the hooks module. The module makes a
 * run's calls (each its caller's own Agent call, guarded by its agent.spawn hook), and this server
 * decides them: it parses and checks the workflow, evaluates `when`, fills arguments, routes
 * capabilities, applies `on_error` and budgets, and builds the result. So the module carries no
 * engine, checker, YAML parser or semver, which every session would pay for, as Claude Code analyses
 * a module's whole code at load (docs/runtimes.md); and both runtimes decide with the same code on
 * the same Node (a `when.matches` that backtracks is bounded the same way: bounded-pattern-test.ts).
 *
 * The protocol, one call per event of the run:
 * - `start`: the workflow as the module read it (its text, or the snapshot's parsed value:
 *   workflow-source.ts), its inputs, the receipts files it found, and who runs it. Answers the run's id and actions.
 * - `run` with `ended`: one call ended; its outcome is settled and the next actions answered, with
 *   the receipt to write (the module writes it, after the value is in its slot).
 * - `run` alone: after a wait, what now.
 * Actions are the engine's (restore, call, wait, done); `done` brings the trace records of steps the
 * engine refused before any call, for the module to append.
 *
 * Nothing here writes a file: receipts and records are written by the module, so a direct call by a
 * model can only drive a run of its own, in this server's memory, and learn what a workflow would
 * call. A run goes on only with the secret its start answered, which travels between the module and
 * this server alone: a run's id is in the trace, which any model may read, so the id alone must not
 * let a model report a step's outcome. Runs live here until they end; at most MAX_RUNS at once, and
 * only one left alone for IDLE_MS makes room for another: a model that starts runs of its own can
 * then be refused a new one, never end one the module is making.
 *
 * The run is judged against the session's own snapshot, the one the module plans and guards with,
 * even where it is no longer fresh: a rebuilt registry could name targets the module does not know.
 */
import { getSlot } from '../context/index.ts'
import { randomBytes } from 'node:crypto'
import { inert, inertJson } from '../common/index.ts'
import { decideCall } from '../guard/index.ts'
import { foldInvocations, readRecords, readSessionSnapshot } from '../trace/index.ts'
import {
  advance,
  boundedPatternTest,
  parseReceipt,
  receiptFileName,
  refusalRecords,
  settle,
  startRun,
} from '../workflow/index.ts'
import type { CallOutcome, Receipt, RunAction, RunSetup, RunState, Workflow } from '../workflow/index.ts'
import { parseWorkflowSource } from './workflow-source.ts'
import type { WorkflowSource } from './workflow-source.ts'
import { currentSession, registryOf } from './tools.ts'
import { runContext } from './workflow-tool.ts'
import type { ToolEnvironment } from './tools.ts'

export interface DriveWorkflowArgs {
  start?: {
    source: WorkflowSource
    /** The run's inputs, files already read by the caller. */
    inputs: Record<string, string>
    /** The receipts folder's files, by name (`<step>.json`), as the module read them. */
    receipts: Record<string, string>
    fresh: boolean
    /** Who runs it: the caller's component (null: the main thread) and its call, and its agent id. */
    caller: { type: string | null; invocation: string | null; agent: string | null }
    /** What is left of the module's time for backoffs. */
    waitLimitMs?: number
  }
  run?: string
  /** The secret `start` answered with the run. */
  secret?: string
  /** The call of `run` that ended, and how. */
  ended?: { step: string; outcome: CallOutcome }
}

/** Runs in progress, by id; a run leaves when it ends, or makes room for another once idle for IDLE_MS. */
const MAX_RUNS = 32
const IDLE_MS = 15 * 60_000
interface LiveRun {
  secret: string
  state: RunState
  setup: RunSetup
  caller: { type: string | null; parent: string | null; agent: string | null }
  /** When the module last reported (ms since the epoch). */
  touched: number
}
const runs = new Map<string, LiveRun>()

export function driveWorkflowTool(environment: ToolEnvironment, args: DriveWorkflowArgs): string {
  if ((args.start === undefined) === (args.run === undefined))
    return invalid('', ['Give either start (to start a run) or run (to go on with one), not both.'])
  if (args.start) return start(environment, args.start)
  const live = runs.get(args.run!)
  if (!live || args.secret !== live.secret)
    return invalid(args.run!, [
      `Switchboard's MCP server has no workflow run ${inert(args.run!)} (it ended, or the server restarted). Run the workflow again: the steps that finished are kept as receipts.`,
    ])
  live.touched = Date.now()
  // A fresh time budget for `when.matches` with each call, as run_workflow gives.
  live.setup.testPattern = boundedPatternTest()
  let receipt: Receipt | undefined
  if (args.ended) {
    const step = live.state.steps[args.ended.step]
    if (step?.status !== 'running')
      return invalid(live.state.workflow, [`step ${inert(args.ended.step)} of run ${inert(args.run!)} is not running.`])
    receipt = settle(live.state, live.setup, args.ended.step, outcomeOf(args.ended.outcome), Date.now()).receipt
  }
  return next(args.run!, live, receipt)
}

// --- internal ---

function start(environment: ToolEnvironment, request: NonNullable<DriveWorkflowArgs['start']>): string {
  const parsed = parseWorkflowSource(request.source)
  if ('problems' in parsed) return invalid(request.source.file, parsed.problems)
  const workflow: Workflow = parsed.workflow
  const session = currentSession(environment)
  const registry = (session && readSessionSnapshot(session.dir)) || registryOf(environment)
  const { context, problems } = runContext(environment, registry, workflow)
  if (problems.length > 0) return invalid(workflow.name, problems)
  const receipts: Record<string, Receipt | undefined> = {}
  if (!request.fresh)
    for (const step of workflow.waves.flatMap((wave) => wave.steps))
      receipts[step.id] = parseReceipt(request.receipts[receiptFileName(step.id)], step.id)
  // A reused step makes no call the guard could refuse: its return goes only to a loop that may make it.
  const invocations = foldInvocations(session ? readRecords(session.dir) : [])
  const { type: callerType, invocation: callerId, agent } = request.caller
  const callerInvocation = callerId ? (invocations.get(callerId) ?? null) : null
  // A caller whose call this server cannot see would be judged with no chain (no depth, no budget):
  // then no receipt stands in for a call, and every step is called for the guard to judge.
  const chainKnown = callerId === null || callerInvocation !== null
  const setup: RunSetup = {
    workflow,
    context,
    receipts,
    fresh: request.fresh,
    ...(request.waitLimitMs === undefined ? {} : { waitLimitMs: request.waitLimitMs }),
    mayReuse: (target, kind) =>
      chainKnown &&
      decideCall(
        { callerType, callerInvocation, target, kind: kind === 'agent' ? 'agent' : 'skill' },
        registry,
        context.policy,
        invocations,
      ).allow,
    testPattern: boundedPatternTest(),
  }
  const id = `wf_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`
  const started = startRun(setup, request.inputs, id, Date.now(), (name) =>
    session ? getSlot(session.dir, name) : undefined,
  )
  if (!started.ok) return invalid(workflow.name, started.problems)
  const now = Date.now()
  for (const [old, run] of runs) if (runs.size >= MAX_RUNS && now - run.touched > IDLE_MS) runs.delete(old)
  if (runs.size >= MAX_RUNS)
    return invalid(workflow.name, [
      `Switchboard's MCP server has ${MAX_RUNS} workflow runs going on in this session, the most it keeps. Let one end (or wait ${IDLE_MS / 60_000} minutes for one left alone), then run the workflow again.`,
    ])
  const live: LiveRun = {
    secret: randomBytes(16).toString('hex'),
    state: started.state,
    setup,
    caller: { type: callerType, parent: callerInvocation?.id ?? null, agent },
    touched: now,
  }
  runs.set(id, live)
  return next(id, live, undefined, live.secret)
}

/** The engine's next actions; a run that is done leaves, with the records of the steps it refused. */
function next(run: string, live: LiveRun, receipt: Receipt | undefined, secret?: string): string {
  const actions: RunAction[] = advance(live.state, live.setup, Date.now())
  const done = actions.find((a) => a.do === 'done')
  const { workflow, context } = live.setup
  const records =
    done?.do === 'done'
      ? refusalRecords(
          done.result,
          workflow,
          { type: live.caller.type, parent: live.caller.parent, callerAgent: live.caller.agent },
          context.snapshot,
          Date.now(),
        )
      : []
  if (done) runs.delete(run)
  return inertJson({
    run,
    ...(secret ? { secret } : {}),
    workflow: workflow.name,
    ...(workflow.plugin ? { plugin: workflow.plugin } : {}),
    actions,
    ...(receipt ? { receipt: { step: receipt.key.step, text: JSON.stringify(receipt) } } : {}),
    ...(records.length > 0 ? { records } : {}),
  })
}

/** The outcome as the engine takes it: a failure always has its problems and message (the schema leaves them optional). */
function outcomeOf(outcome: CallOutcome): CallOutcome {
  if (outcome.status === 'ok') return outcome
  const problems = Array.isArray(outcome.problems) ? outcome.problems.map(String) : []
  return { ...outcome, problems, message: outcome.message ?? problems[0] ?? outcome.status }
}

function invalid(workflow: string, problems: string[]): string {
  return inertJson({ status: 'invalid', workflow, problems })
}

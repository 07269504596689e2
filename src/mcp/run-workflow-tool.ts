import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { readdirSync, realpathSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { atFile, inert, inertJson, isLink, writeFileAtomic } from '../common/index.ts'
import { getSlot, listSlots, putSlot } from '../context/index.ts'
import { decideCall, openToEveryone, planCall, PlanError } from '../guard/index.ts'
import { dataDir } from '../registry/index.ts'
import { appendRecord, foldInvocations, readRecords, withSessionLock } from '../trace/index.ts'
import type { SessionRef } from '../trace/index.ts'
import {
  advance,
  boundedPatternTest,
  handOut,
  refusalRecords,
  parseReceipt,
  readGuidedRuns,
  readWorkflowRequest,
  receiptFileName,
  receiptsFolder,
  receiptsFolderChain,
  receiptsFolderLinked,
  settle,
  startRun,
  stepToken,
  writeGuidedRuns,
} from '../workflow/index.ts'
import type { ExpectedCall, GuidedRuns, Receipt, RunCall, RunSetup, RunState, Workflow } from '../workflow/index.ts'
import { currentSession, registryOf } from './tools.ts'
import type { ToolEnvironment } from './tools.ts'
import { findWorkflow, readModelFile, runContext } from './workflow-tool.ts'
import { readTextNoWait, SMALL_FILE_BYTES } from '../registry/read-bounded.ts'

export interface RunWorkflowArgs {
  /** The request as typed after /switchboard:run: `<plugin:workflow | path> [input=value | input=@file ...] [--fresh]`. */
  line?: string
  /** A run this session started: settle what ended and go on. */
  run?: string
}

/** The longest a call of this tool sleeps for backoffs before answering "call again". */
const WAIT_LIMIT_MS = 30_000

export async function runWorkflowTool(environment: ToolEnvironment, args: RunWorkflowArgs): Promise<string> {
  const session = currentSession(environment)
  if (!session)
    return refuse(args.line ?? args.run ?? '', [
      'No Switchboard session found yet (its SessionStart hook has not run). Start a new session, or run `switchboard doctor`.',
    ])
  if ((args.line === undefined) === (args.run === undefined))
    return refuse('', ['Give either line (to start a run) or run (to go on with one), not both.'])
  const run = args.run !== undefined ? resume(environment, session, args.run) : begin(environment, session, args.line!)
  if ('problems' in run) return refuse(run.workflow, run.problems)
  return drive(session, run)
}

// --- internal ---

/** What is kept of a run between calls, in the session folder. */
interface StoredRun {
  spec: string
  key: string
  fresh: boolean
  state: RunState
}

interface LiveRun extends StoredRun {
  setup: RunSetup
  folder: string
}

type Refusal = { workflow: string; problems: string[] }

function begin(environment: ToolEnvironment, session: SessionRef, line: string): LiveRun | Refusal {
  const request = readWorkflowRequest({ workflow: line })
  if (!request.ok) return { workflow: line, problems: [request.problem] }
  const { workflow: spec, fresh } = request.request
  const loaded = load(environment, session, spec, fresh)
  if ('problems' in loaded) return loaded
  const inputs: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.request.inputs)) {
    const given = atFile(value)
    if ('text' in given) inputs[name] = given.text
    else {
      const file = readModelFile(environment, given.file)
      if (!file.ok)
        return { workflow: loaded.setup.workflow.name, problems: [`input "${inert(name)}": ${inert(file.reason)}`] }
      inputs[name] = file.text
    }
  }
  const id = `wf_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  const started = startRun(loaded.setup, inputs, id, Date.now(), (name) => getSlot(session.dir, name))
  if (!started.ok) return { workflow: loaded.setup.workflow.name, problems: started.problems }
  const live = { ...loaded, spec, fresh, state: started.state }
  save(session, live)
  return live
}

function resume(environment: ToolEnvironment, session: SessionRef, id: string): LiveRun | Refusal {
  let text: string
  try {
    text = readTextNoWait(runFile(session, id), SMALL_FILE_BYTES)
  } catch {
    const runs = listRuns(session)
    return {
      workflow: id,
      problems: [
        `this session has no workflow run ${inert(id)} going on${runs.length ? ` (it has ${runs.join(', ')})` : ''}. Start one with line.`,
      ],
    }
  }
  const stored = unseal(text)
  if (!stored || stored.state.run !== id)
    return {
      workflow: id,
      problems: [
        `run ${inert(id)} cannot go on: its file in the session folder is not as this server left it (changed, or left by a server that has restarted since). Start the workflow again with line: the steps that finished are kept as receipts and are not run again.`,
      ],
    }
  const loaded = load(environment, session, stored.spec, stored.fresh)
  if ('problems' in loaded) return loaded
  if (loaded.key !== stored.key)
    return {
      workflow: stored.state.workflow,
      problems: [
        `run ${inert(id)} is of another workflow than ${inert(stored.spec)} names now. Start it again with line.`,
      ],
    }
  // The file may have changed under a run in progress: its steps must still be the run's.
  const steps = loaded.setup.workflow.waves.flatMap((wave) => wave.steps.map((step) => step.id))
  if (steps.join('\n') !== Object.keys(stored.state.steps).join('\n')) {
    rmSync(runFile(session, id), { force: true })
    return {
      workflow: stored.state.workflow,
      problems: [
        `the workflow's steps changed since run ${inert(id)} started, so it cannot go on. Start it again with line: the steps that finished are kept as receipts and are not run again.`,
      ],
    }
  }
  // What the file says is the run's progress alone: where its receipts go, and how they and the guard are read, are
  // worked out again here (a run file that named its own `folder` had receipts written into any folder; found by review).
  return { ...loaded, spec: stored.spec, fresh: stored.fresh, state: stored.state }
}

/** The workflow, checked for its caller, with the receipts of earlier runs. */
function load(
  environment: ToolEnvironment,
  session: SessionRef,
  spec: string,
  fresh: boolean,
): (Omit<LiveRun, keyof StoredRun> & { key: string }) | Refusal {
  const registry = registryOf(environment)
  const found = findWorkflow(environment, registry, spec)
  if ('problems' in found) return { workflow: spec, problems: found.problems }
  const { workflow, key } = found
  const { context, problems } = runContext(environment, registry, workflow)
  if (problems.length > 0) return { workflow: workflow.name, problems }
  const folder = receiptsFolder(dataDir(environment.env, environment.cwd), realpathSync(environment.cwd), key)
  const linked = receiptsFolderChain(folder).find(isLink)
  if (linked) return { workflow: workflow.name, problems: [receiptsFolderLinked(linked)] }
  const receipts: Record<string, Receipt | undefined> = {}
  if (!fresh)
    for (const wave of workflow.waves)
      for (const step of wave.steps)
        receipts[step.id] = parseReceipt(readText(join(folder, receiptFileName(step.id))), step.id)
  // This server is not told which loop asks. With no plugin component running in the session only
  // the main thread can be asking, and the guard judges it; else a receipt stands in for a call only
  // where no caller could be refused it, and any other step is called again, for the hooks to judge
  // the loop that makes the call.
  const invocations = foldInvocations(readRecords(session.dir))
  const mainAlone = ![...invocations.values()].some((i) => i.status === 'running')
  const mayReuse = (target: string, kind: 'agent' | 'command' | 'skill') =>
    mainAlone
      ? decideCall(
          { callerType: null, callerInvocation: null, target, kind: kind === 'agent' ? 'agent' : 'skill' },
          registry,
          context.policy,
          invocations,
        ).allow
      : openToEveryone(registry, context.policy, target)
  return {
    key,
    folder,
    setup: {
      workflow,
      context,
      receipts,
      fresh,
      waitLimitMs: WAIT_LIMIT_MS,
      mayReuse,
      testPattern: boundedPatternTest(), // a fresh time budget for each call of run_workflow
    },
  }
}

/** Settles what ended, then advances until there are calls to hand out, a wait too long to sleep, or the end. */
async function drive(session: SessionRef, live: LiveRun): Promise<string> {
  const { state, setup } = live
  const workflow = setup.workflow
  for (;;) {
    const handed: ExpectedCall[] = []
    const inFlight: ExpectedCall[] = []
    const unrestored: string[] = []
    const actions = withSessionLock(session.dir, () => {
      const guided = readGuidedRuns(session.dir)
      settleEnded(live, guided)
      const actions = advance(state, setup, Date.now())
      for (const action of actions) {
        // A slot made secret (or another's case twin) since the run started takes no receipt: the run stops, saying
        // so, as in module mode (thrown, it broke every resume of the run; found by review).
        if (action.do === 'restore')
          try {
            putSlot(session.dir, {
              name: action.into,
              type: typeof action.value === 'string' ? 'text' : 'json',
              value: action.value,
              writer: `return:${action.producedBy}`,
            })
          } catch (thrown) {
            unrestored.push(
              `step ${action.step}'s receipt was not restored into slot "${action.into}": ${(thrown as Error).message}`,
            )
          }
        if (action.do === 'call') {
          const expected = expect(setup, session, state.run, action.call)
          if ('refused' in expected) settleCall(live, action.call.step, expected.refused)
          else guided.expected[stepToken(state.run, action.call.step, action.call.attempt)] = expected
        }
      }
      // Stopped: none of its calls not yet made is handed out again.
      if (unrestored.length > 0)
        for (const [token, e] of Object.entries(guided.expected))
          if (e.run === state.run && !e.made && !e.helper) delete guided.expected[token]
      // Every call of the run still out: handed again until made, then awaited.
      for (const e of Object.values(guided.expected).filter((e) => e.run === state.run))
        (e.made || e.helper ? inFlight : handed).push(e)
      writeGuidedRuns(session.dir, guided)
      return actions
    })
    if (unrestored.length > 0) {
      rmSync(runFile(session, state.run), { force: true })
      return answer({
        status: 'failed',
        run: state.run,
        workflow: workflow.name,
        problems: unrestored,
        message: `The run of ${inert(workflow.name)} stopped: ${unrestored.map(inert).join(' ')} The steps that finished before are kept as receipts; run the workflow again to go on.`,
      })
    }
    save(session, live)
    if (handed.length > 0) return next(state.run, workflow, handed)
    if (inFlight.length > 0)
      return answer({
        status: 'waiting',
        run: state.run,
        workflow: workflow.name,
        message: `The calls already made for this run have not all returned yet. Call run_workflow with {"run": "${state.run}"} once they have.`,
      })
    const done = actions.find((a) => a.do === 'done')
    if (done?.do === 'done') {
      for (const record of refusalRecords(
        done.result,
        workflow,
        { type: null, parent: null, callerAgent: null },
        setup.context.snapshot,
        Date.now(),
      ))
        appendRecord(session.dir, record)
      rmSync(runFile(session, state.run), { force: true })
      return answer({ ...done.result, receipts: live.folder })
    }
    const wait = actions.find((a) => a.do === 'wait')
    if (wait?.do === 'wait') await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait.until - Date.now())))
  }
}

/** Outcomes the hooks stored for calls of this run: settled, receipts written (the slot is stored already). */
function settleEnded(live: LiveRun, guided: GuidedRuns): void {
  for (const [token, expected] of Object.entries(guided.expected)) {
    const outcome = expected.outcome
    if (expected.run !== live.state.run || !outcome) continue
    settleCall(live, expected.step, outcome)
    delete guided.expected[token]
  }
}

function settleCall(live: LiveRun, step: string, outcome: NonNullable<ExpectedCall['outcome']>): void {
  const { receipt } = settle(live.state, live.setup, step, outcome, Date.now())
  // A link planted since the run started (its own Bash step can): no receipt, and the step runs again next time.
  if (receipt && !receiptsFolderChain(live.folder).some(isLink))
    writeFileAtomic(join(live.folder, receiptFileName(step)), JSON.stringify(receipt))
}

/** The call the engine wants, planned as the guard will see it; a call that cannot be planned ends at once. */
function expect(
  setup: RunSetup,
  session: SessionRef,
  run: string,
  call: RunCall,
): ExpectedCall | { refused: NonNullable<ExpectedCall['outcome']> } {
  const { workflow, context } = setup
  const { snapshot: registry, policy } = context
  const callerType = workflow.caller === 'main' ? null : workflow.caller
  try {
    const plan = planCall({
      route: context.route,
      target: call.target,
      pairs: Object.entries(call.args).map(([key, value]) => `${key}=${String(value)}`),
      ...(call.prompt === undefined ? {} : { prompt: call.prompt }),
      ...(call.into && call.kind === 'agent' ? { into: call.into } : {}),
      registry: () => registry,
      decide: (target, kind, snapshot) =>
        decideCall({ callerType, callerInvocation: null, target, kind }, snapshot, policy, new Map()),
      slotNames: listSlots(session.dir).map((s) => s.name),
    })
    const input = plan.kind === 'agent' ? { ...plan.input, run_in_background: false } : plan.input
    return {
      run,
      workflow: { name: workflow.name, ...(workflow.plugin ? { plugin: workflow.plugin } : {}) },
      step: call.step,
      attempt: call.attempt,
      target: plan.target,
      kind: plan.kind,
      input,
      ...(call.into && plan.kind !== 'agent' ? { into: call.into } : {}),
    }
  } catch (thrown) {
    if (!(thrown instanceof PlanError)) throw thrown
    return {
      refused: {
        status: thrown.kind === 'denied' ? 'denied' : 'failed',
        problems: [thrown.message],
        message: thrown.message,
      },
    }
  }
}

function next(run: string, workflow: Workflow, calls: ExpectedCall[]): string {
  const toMake = calls.map((e) => handOut(stepToken(run, e.step, e.attempt), e))
  const message = `Make ${toMake.length === 1 ? 'this tool call' : `these ${toMake.length} tool calls, all in one message`} now, with the input unchanged (Switchboard fills in each step's arguments and context). When ${toMake.length === 1 ? 'it has' : 'they have'} returned, call run_workflow with {"run": "${run}"} for what follows.`
  return answer({
    status: 'next',
    run,
    workflow: workflow.name,
    steps: calls.map((e) => e.step),
    calls: toMake,
    message,
  })
}

function refuse(workflow: string, problems: string[]): string {
  return answer({
    status: 'invalid',
    workflow,
    problems,
    message: `Switchboard did not run ${inert(workflow)}: ${problems.join(' ')}`,
  })
}

/** One line of JSON, inert, that begins with the status. */
function answer(result: { status: string } & Record<string, unknown>): string {
  return inertJson(result)
}

function save(session: SessionRef, live: LiveRun): void {
  const stored: StoredRun = { spec: live.spec, key: live.key, fresh: live.fresh, state: live.state }
  const folder = join(session.dir, 'workflow-runs')
  // Never through a link: the run file would land where it leads (a model's Bash step can write the data folder).
  if (isLink(session.dir) || isLink(folder))
    throw new Error(
      `${folder} is a link, and Switchboard keeps a run's state only in a folder of its own. Remove the link.`,
    )
  writeFileAtomic(runFile(session, live.state.run), seal(stored))
}

/**
 * A run's state between calls is kept in the session folder, which a model's Bash step can write: sealed with a key
 * this server holds in memory, it is taken back only as this server left it. Forged, its step statuses, outputs
 * and calls count would be the run's (found by review). A server that restarted cannot go on with a run: the run
 * starts again, and the steps that finished are its receipts.
 */
const SEAL_KEY = randomBytes(32)

function seal(stored: StoredRun): string {
  const text = JSON.stringify(stored)
  return JSON.stringify({ run: text, mac: mac(text) })
}

function unseal(file: string): StoredRun | undefined {
  try {
    const { run, mac: given } = JSON.parse(file) as { run?: unknown; mac?: unknown }
    if (typeof run !== 'string' || typeof given !== 'string') return undefined
    const expected = Buffer.from(mac(run), 'hex')
    const actual = Buffer.from(given, 'hex')
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined
    return JSON.parse(run) as StoredRun
  } catch {
    return undefined
  }
}

function mac(text: string): string {
  return createHmac('sha256', SEAL_KEY).update(text).digest('hex')
}

function runFile(session: SessionRef, run: string): string {
  return join(session.dir, 'workflow-runs', `${run.replace(/[^A-Za-z0-9_-]/g, '_')}.json`)
}

function listRuns(session: SessionRef): string[] {
  try {
    return readdirSync(join(session.dir, 'workflow-runs'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
  } catch {
    return []
  }
}

function readText(file: string): string | undefined {
  try {
    return readTextNoWait(file, SMALL_FILE_BYTES)
  } catch {
    return undefined
  }
}

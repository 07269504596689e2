/**
 * The invoke tool with a workflow: the hooks module runs it in one tool call, with the core's run
 * engine (workflow/run-engine.ts) deciding and this file doing the I/O:
 * - each agent step is the calling loop's own foreground Agent call (`$.agent.call`, as the invoke
 *   tool makes one: invoke-tool.ts), so this module's agent.spawn guard decides it for that loop,
 *   injects its context and traces it; the steps of a parallel group run at once, up to the group's
 *   `max_parallel`. Before that, the engine checks every step for the workflow's `caller`.
 * - a command or skill step cannot run in the caller's conversation from a tool, so it runs in a
 *   helper agent (`general-purpose`, the caller's own Agent call) told to make exactly that Skill call
 *   and answer with its result: the Skill call is guarded as the caller's (callers.ts looks through
 *   built-in agents), and the answer is read against the command's output contract.
 * - receipts (workflow/receipts.ts) live in the data folder under
 *   `workflow-runs/<project>/<workflow>/<step>.json`, so a new session in the same project resumes;
 *   each is written after its step's value is in its slot. A skipped step's slot is restored.
 * - waits (backoffs) are `$.clock.sleep`, which counts against the hook's own 10-second budget, so
 *   they are bounded by what is left of it (the engine shortens longer ones and says so).
 * Every step's call record names the run (`workflow` on the record), so the trace groups them.
 */
import { errorLines, inert, inertJson } from '../common/core.ts'
import { decideCall, findComponent, mergePolicy, planCall, PlanError } from '../guard/core.ts'
import type { InvokeResult, Plan } from '../guard/core.ts'
import type { CapabilityRouter } from '../resolve/core.ts'
import { responseText } from '../protocol/core.ts'
import { foldInvocations } from '../trace/core.ts'
import type { WorkflowTag } from '../trace/core.ts'
import {
  advance,
  checkWorkflow,
  helperPrompt,
  refusalRecords,
  parseReceipt,
  receiptFileName,
  receiptsFolder,
  RUN_TIME_CODES,
  settle,
  startRun,
} from '../workflow/core.ts'
import type { CallOutcome, Receipt, RunCall, RunResult, RunSetup, Workflow, WorkflowRequest } from '../workflow/core.ts'
import { routerFor, workflowRequests } from './capability-routes.ts'
import { callerOf } from './callers.ts'
import { callAgent } from './invoke-call.ts'
import { readReturnHere } from './contract-check.ts'
import type { Engine, ToolCallResult } from './mod-api.ts'
import type { SessionState } from './session-state.ts'
import { loadWorkflow } from './workflow-load.ts'
import type { WorkflowReader } from './workflow-load.ts'

/** Runs one workflow for the loop `agentId` (absent: main); answers the run's result as JSON. */
export async function runWorkflow(
  $: Engine,
  s: SessionState,
  request: WorkflowRequest,
  agentId: string | undefined,
  projectDir: string,
  waitLimitMs: number | undefined,
  tools: StepTools,
): Promise<ToolCallResult> {
  const refuse = (problems: string[], workflow: string = request.workflow): ToolCallResult =>
    answer({
      status: 'invalid',
      workflow,
      problems,
      message: `Switchboard did not run ${inert(workflow)}: ${problems.join(' ')}`,
    })
  if (!s.snapshot || !s.dataDir)
    return refuse([
      'Switchboard has no usable registry snapshot or data folder for this session (its SessionStart hook did not finish; `switchboard doctor` says why). Run `switchboard sync` and start a new session.',
    ])
  const limits = await $.agent.limits().catch(() => ({ concurrent: 20 }))
  const loaded = await loadWorkflow($, s.snapshot, request.workflow, projectDir, limits.concurrent, (path) =>
    tools.read(path),
  )
  if ('problems' in loaded) return refuse(loaded.problems)
  const { workflow } = loaded
  const context = {
    snapshot: s.snapshot,
    policy: mergePolicy(await s.policy(), s.env),
    route: await routerFor($, s.snapshot, workflowRequests(workflow)),
  }
  // A call the guard refuses is the run's to meet (on_error: fallback, continue, stop), as at call time.
  const errors = errorLines(checkWorkflow(workflow, context).filter((d) => !RUN_TIME_CODES.has(d.code)))
  if (errors.length > 0) return refuse(errors, workflow.name)
  const inputs: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.inputs)) {
    const file = value.startsWith('@') ? await tools.read(value.slice(1)) : { text: value }
    if ('problem' in file) return refuse([`input "${name}": ${file.problem}`], workflow.name)
    inputs[name] = file.text
  }
  const project = (await $.fs.stat(projectDir, { resolve: true }).catch(() => undefined))?.realPath ?? projectDir
  const folder = receiptsFolder(s.dataDir, project, loaded.key)
  const receipts: Record<string, Receipt | undefined> = {}
  if (!request.fresh)
    for (const wave of workflow.waves)
      for (const step of wave.steps)
        receipts[step.id] = parseReceipt(
          await $.fs.read(`${folder}/${receiptFileName(step.id)}`).catch(() => undefined),
          step.id,
        )
  // A reused step makes no call the guard could refuse: its return goes only to a loop that may make it.
  const invocations = foldInvocations(await s.records())
  const { type: callerType, invocation: callerInvocation } = callerOf(s, agentId, invocations)
  const setup: RunSetup = {
    workflow,
    context,
    receipts,
    fresh: request.fresh,
    ...(waitLimitMs === undefined ? {} : { waitLimitMs }),
    mayReuse: (target, kind) =>
      decideCall(
        { callerType, callerInvocation, target, kind: kind === 'agent' ? 'agent' : 'skill' },
        context.snapshot,
        context.policy,
        invocations,
      ).allow,
  }
  const run = `wf_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  const started = startRun(setup, inputs, run, await $.clock.now())
  if (!started.ok) return refuse(started.problems, workflow.name)
  const state = started.state
  const inFlight = new Map<string, Promise<void>>()
  for (;;) {
    const actions = advance(state, setup, await $.clock.now())
    await Promise.all(
      actions.flatMap((a) =>
        a.do === 'restore'
          ? [
              s.writeSlot({
                name: a.into,
                type: typeof a.value === 'string' ? 'text' : 'json',
                value: a.value,
                writer: `return:${a.producedBy}`,
                ts: Date.now(),
              }),
            ]
          : [],
      ),
    )
    for (const action of actions) {
      if (action.do === 'done') {
        await traceRefusals(s, action.result, workflow, agentId)
        return answer({ ...action.result, receipts: folder })
      }
      if (action.do !== 'call') continue
      const call = action.call
      const tag: WorkflowTag = {
        run,
        name: workflow.name,
        step: call.step,
        ...(workflow.plugin ? { plugin: workflow.plugin } : {}),
      }
      inFlight.set(
        call.step,
        (async () => {
          const outcome = await makeCall($, s, workflow, context.route, call, tag, agentId, tools).catch(
            (thrown: unknown): CallOutcome => ({
              status: 'failed',
              problems: [String(thrown)],
              message: `the call failed: ${String(thrown)}`,
            }),
          )
          const { receipt } = settle(state, setup, call.step, outcome, await $.clock.now())
          if (receipt) await $.fs.write(`${folder}/${receiptFileName(call.step)}`, JSON.stringify(receipt))
          inFlight.delete(call.step)
        })(),
      )
    }
    const wait = actions.find((a) => a.do === 'wait')
    if (wait?.do === 'wait') await $.clock.sleep(Math.max(0, wait.until - (await $.clock.now())))
    else if (inFlight.size > 0) await Promise.race(inFlight.values())
  }
}

/** The I/O a run needs from the invoke tool: the caller's own Read, and an agent's turns (from its transcript). */
export interface StepTools {
  read: WorkflowReader
  turnsOf: (agentId: string) => Promise<number | undefined>
}

// --- internal ---

function answer(
  result: Omit<Partial<RunResult>, 'status'> & {
    status: RunResult['status'] | 'invalid'
    workflow: string
    message: string
    problems?: string[]
    receipts?: string
  },
): ToolCallResult {
  return { result: inertJson(result) }
}

/** One step's call, as the caller's own: an agent directly, a command or skill through a helper agent. */
async function makeCall(
  $: Engine,
  s: SessionState,
  workflow: Workflow,
  route: CapabilityRouter,
  call: RunCall,
  tag: WorkflowTag,
  agentId: string | undefined,
  tools: StepTools,
): Promise<CallOutcome> {
  const slots = await s.slots()
  let plan: Plan
  try {
    const invocations = foldInvocations(await s.records())
    const policy = mergePolicy(await s.policy(), s.env)
    const { type: callerType, invocation: callerInvocation } = callerOf(s, agentId, invocations)
    // The target is the component the run resolved (a capability already routed): route goes unused.
    plan = planCall({
      route,
      target: call.target,
      pairs: Object.entries(call.args).map(([key, value]) => `${key}=${String(value)}`),
      ...(call.prompt === undefined ? {} : { prompt: call.prompt }),
      ...(call.into && call.kind === 'agent' ? { into: call.into } : {}),
      registry: () => s.snapshot!,
      decide: (target, kind, snapshot) =>
        decideCall({ callerType, callerInvocation, target, kind }, snapshot, policy, invocations),
      slotNames: [...slots.keys()],
      readFile: (key) => {
        throw new PlanError(
          `args.${key} starts with "@", which a call reads as a file; workflow arguments are text. Pass the file as a workflow input (input=@file) instead.`,
        )
      },
    })
  } catch (thrown) {
    if (!(thrown instanceof PlanError)) throw thrown
    return {
      status: thrown.kind === 'denied' ? 'denied' : 'failed',
      problems: [thrown.message],
      message: thrown.message,
    }
  }
  if (plan.kind === 'agent') {
    s.workflowTags.set(`${plan.target}\n${String(plan.input.prompt)}`, tag)
    const result = await callAgent(s, $, plan, `${tag.run}-${call.step}-${call.attempt}`, agentId)
    const child = result.invocation ? foldInvocations(s.ownRecords()).get(result.invocation)?.agent : undefined
    return { ...outcomeOf(result), ...(child ? await turnsField(tools, child) : {}) }
  }
  return skillThroughHelper($, s, workflow, call, plan.input as { skill: string; args: string }, tag, agentId, tools)
}

/** A command or skill step: a helper agent makes exactly this Skill call and answers with its result. */
async function skillThroughHelper(
  $: Engine,
  s: SessionState,
  workflow: Workflow,
  call: RunCall,
  input: { skill: string; args: string },
  tag: WorkflowTag,
  agentId: string | undefined,
  tools: StepTools,
): Promise<CallOutcome> {
  s.workflowTags.set(`${input.skill}\n${input.args}`, tag)
  const prompt = helperPrompt(workflow.name, call.step, call.kind === 'agent' ? 'skill' : call.kind, input)
  const ran = await $.agent.call({
    tool: 'Agent',
    input: {
      description: `Switchboard workflow step ${call.step}`,
      subagent_type: 'general-purpose',
      prompt,
      run_in_background: false,
    },
    ...(agentId ? { agentId } : {}),
  })
  if (typeof ran.deny === 'string')
    return {
      status: 'denied',
      problems: [ran.deny],
      message: `Claude Code refused the helper agent for ${call.target}: ${ran.deny}`,
    }
  const text = responseText(ran.result) ?? ''
  const helper = (ran.result as { agentId?: unknown } | undefined)?.agentId
  const turns = typeof helper === 'string' ? await turnsField(tools, helper) : {}
  if (ran.isError)
    return {
      status: 'failed',
      problems: [text || String(ran.text)],
      message: `the helper agent for ${call.target} failed.`,
    }
  // The Skill call itself was guarded; a denial there reaches the helper, which cannot have run it.
  const skillCall = [...foldInvocations(s.ownRecords()).values()].findLast(
    (i) => i.workflow?.run === tag.run && i.workflow.step === call.step,
  )
  if (!skillCall)
    return {
      status: 'failed',
      problems: [`the helper agent did not make the Skill call to ${call.target}`],
      message: `the helper agent did not run ${call.target}; its answer was not used.`,
    }
  if (skillCall.status === 'denied')
    return {
      status: 'denied',
      problems: [skillCall.reason ?? 'denied'],
      message: skillCall.reason ?? `${call.target} was denied`,
      invocation: skillCall.id,
    }
  // Refused by Claude Code (a permission), or failed: the helper's answer is not the command's result.
  if (skillCall.status === 'failed')
    return {
      status: 'failed',
      problems: [skillCall.reason ?? `the Skill call to ${call.target} failed`],
      message: `the Skill call to ${call.target} failed; the helper's answer was not used.`,
      invocation: skillCall.id,
    }
  const component = findComponent(s.snapshot!, call.target)
  const reading = await readReturnHere(
    $,
    { id: skillCall.id, target: call.target, into: call.into ?? null },
    text,
    component,
  )
  if (reading.problems.length > 0)
    return {
      status: 'failed',
      problems: reading.problems,
      message: reading.problem ?? `${call.target} answered, but not as its output contract says.`,
      invocation: skillCall.id,
    }
  if (reading.slot) await s.writeSlot({ ...reading.slot, ts: Date.now() })
  return { status: 'ok', value: reading.value, invocation: skillCall.id, ...turns }
}

/** `turns` for an outcome, when the agent's transcript could be read. */
async function turnsField(tools: StepTools, agent: string): Promise<{ turns?: number }> {
  const turns = await tools.turnsOf(agent).catch(() => undefined)
  return turns ? { turns } : {}
}

/** Steps the engine refused before any call: recorded as denied calls of the run. */
async function traceRefusals(
  s: SessionState,
  result: RunResult,
  workflow: Workflow,
  agentId: string | undefined,
): Promise<void> {
  if (!result.steps.some((step) => step.status === 'denied' && step.invocation === null)) return
  const { invocation } = callerOf(s, agentId, foldInvocations(await s.records()))
  const kindOf = (target: string): 'agent' | 'skill' =>
    findComponent(s.snapshot!, target)?.kind === 'agent' ? 'agent' : 'skill'
  const records = refusalRecords(
    result,
    workflow,
    { parent: invocation?.id ?? null, callerAgent: agentId ?? null },
    kindOf,
    Date.now(),
  )
  if (records.length > 0) await s.append(...records)
}

function outcomeOf(result: InvokeResult): CallOutcome {
  if (result.status === 'ok') return { status: 'ok', value: result.value, invocation: result.invocation }
  return {
    status: result.status === 'denied' ? 'denied' : 'failed',
    problems: result.problems,
    message: result.message,
    invocation: result.invocation,
  }
}

/** The workflow run a call about to be recorded belongs to (taken once), as fields of its record. */
export function workflowTagOf(s: SessionState, target: string, text: string): { workflow?: WorkflowTag } {
  const key = `${target}\n${text}`
  const tag = s.workflowTags.get(key)
  if (!tag) return {}
  s.workflowTags.delete(key)
  return { workflow: tag }
}

/**
 * The invoke tool with a workflow: the hooks module makes the calls of a run, in one tool call, and
 * Switchboard's MCP server decides them (mcp/drive-workflow-tool.ts runs the core's run engine,
 * workflow/run-engine.ts, with the checker, `when`, routing, `on_error` and budgets). The module
 * carries none of that: Claude Code analyses a module's whole code at every session start
 * (docs/runtimes.md), and a hop to the server costs about 10 ms, once per call of a run. Here:
 * - each agent step is the calling loop's own foreground Agent call (`$.agent.call`, as the invoke
 *   tool makes one: invoke-tool.ts), so this module's agent.spawn guard decides it for that loop,
 *   injects its context and traces it; the steps of a parallel group run at once, as the server hands
 *   them out (up to the group's `max_parallel`).
 * - a command or skill step cannot run in the caller's conversation from a tool, so it runs in a
 *   helper agent (`general-purpose`, the caller's own Agent call) told to make exactly that Skill call
 *   and answer with its result: the Skill call is guarded as the caller's (callers.ts looks through
 *   built-in agents), and the answer is read against the command's output contract.
 * - receipts (workflow/receipts.ts) live in the data folder under
 *   `workflow-runs/<project>/<workflow>/<step>.json`, so a new session in the same project resumes:
 *   read here and sent with the start, written here as the server hands each one back, after its
 *   step's value is in its slot. A skipped step's slot is restored.
 * - waits (backoffs) are `$.clock.sleep`, which counts against the hook's own 10-second budget, so
 *   they are bounded by what is left of it (the engine shortens longer ones and says so).
 * Every step's call record names the run (`workflow` on the record), so the trace groups them.
 */
import { atFile, inert, inertJson, isObject, messageOf } from '../common/core.ts'
import { decideCall, findComponent, planCall, PlanError, storedSecretProblem } from '../guard/core.ts'
import type { InvokeResult, Plan } from '../guard/core.ts'
import { responseText } from '../protocol/core.ts'
import type { CallRecord } from '../trace/core.ts'
import { foldInvocations } from '../trace/core.ts'
import type { WorkflowTag } from '../trace/core.ts'
import {
  DRIVE_LIMITS,
  helperPrompt,
  parseReceipt,
  receiptFileName,
  receiptsFolder,
  receiptsFolderChain,
  receiptsFolderLinked,
} from '../workflow/core.ts'
import type { CallOutcome, RunAction, RunCall, RunResult, WorkflowRequest } from '../workflow/core.ts'
import { routerFor } from './capability-routes.ts'
import { callerOf } from './callers.ts'
import { callAgent } from './invoke-call.ts'
import { readReturnHere } from './contract-check.ts'
import { firstLink, FS_READ_LIMIT, isPlainFile, listOrNone } from './mod-api.ts'
import type { Engine, ToolCallResult } from './mod-api.ts'
import { callOwnServer } from './own-server.ts'
import { decisionInputs } from './session-state.ts'
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
  if (Object.keys(request.inputs).length > DRIVE_LIMITS.inputs)
    return refuse([
      `${Object.keys(request.inputs).length} inputs are given; a run takes at most ${DRIVE_LIMITS.inputs}.`,
    ])
  const inputs: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.inputs)) {
    const given = atFile(value)
    const file = 'file' in given ? await tools.read(given.file) : given
    if ('problem' in file) return refuse([`input "${name}": ${file.problem}`])
    if (file.text.length > DRIVE_LIMITS.valueLength)
      return refuse([
        `input "${name}" is ${file.text.length} characters; a workflow input is at most ${DRIVE_LIMITS.valueLength}. Pass a shorter text, or a file the steps read themselves.`,
      ])
    inputs[name] = file.text
  }
  const project = (await $.fs.stat(projectDir, { resolve: true }).catch(() => undefined))?.realPath ?? projectDir
  const folder = receiptsFolder(s.dataDir, project, loaded.key)
  const { type, invocation } = callerOf(s, agentId, foldInvocations(await s.records()))
  const drive = driver($, request.workflow)
  const [stored] = await Promise.all([readReceipts($, folder), s.flushed()]) // the server reads the caller's chain from the call log
  if ('problem' in stored) return refuse([stored.problem])
  let reply = await drive({
    start: {
      source: loaded.source,
      inputs,
      receipts: request.fresh ? {} : stored.receipts,
      fresh: request.fresh,
      caller: { type: type ?? null, invocation: invocation?.id ?? null, agent: agentId ?? null },
      ...(waitLimitMs === undefined ? {} : { waitLimitMs: Math.max(0, Math.floor(waitLimitMs)) }),
    },
  })
  if ('problems' in reply) return refuse(reply.problems, reply.workflow)
  const { run, workflow } = reply
  // Only the module and the server know it: a run's id is in the trace, its secret nowhere.
  const secret = reply.secret
  const ended: Array<{ step: string; outcome: CallOutcome }> = []
  let reported: (typeof ended)[number] | undefined
  const inFlight = new Map<string, Promise<void>>()
  const unwritten: string[] = []
  // Steps whose agent's turns could not be counted (its transcript unreadable): a turns budget does not count
  // them, and the run says so rather than pass the budget in silence (found by review).
  let uncounted = 0
  const counting: StepTools = {
    ...tools,
    turnsOf: async (agent) => {
      const turns = await tools.turnsOf(agent).catch(() => undefined)
      if (turns === undefined) uncounted++
      return turns
    },
  }
  for (;;) {
    if ('problems' in reply) return broken(reply.problems, workflow, run, [...inFlight.values()], reported, ended)
    if (reply.receipt) {
      const problem = await writeReceipt($, folder, reply.receipt.step, reply.receipt.text)
      if (problem) unwritten.push(problem)
    }
    // A slot made secret (or another's case twin) since the run started takes no receipt: said, not thrown.
    const restoring = await Promise.allSettled(
      reply.actions.flatMap((a) =>
        a.do === 'restore'
          ? [
              s
                .writeSlot({
                  name: a.into,
                  type: typeof a.value === 'string' ? 'text' : 'json',
                  value: a.value,
                  writer: `return:${a.producedBy}`,
                  ts: Date.now(),
                })
                .catch((thrown: unknown) => {
                  throw new Error(
                    `step ${a.step}'s receipt was not restored into slot "${a.into}": ${messageOf(thrown)}`,
                  )
                }),
            ]
          : [],
      ),
    )
    const unrestored = restoring.flatMap((r) => (r.status === 'rejected' ? [messageOf(r.reason)] : []))
    if (unrestored.length > 0) return broken(unrestored, workflow, run, [...inFlight.values()], reported, ended)
    for (const action of reply.actions) {
      if (action.do === 'done') {
        if (reply.records?.length) await s.append(...reply.records)
        return answer({
          ...action.result,
          receipts: folder,
          warnings: [
            ...action.result.warnings,
            ...unwritten,
            ...(uncounted > 0 && action.result.budget.turns !== undefined
              ? [
                  `the turns of ${uncounted} step agent${uncounted > 1 ? 's' : ''} could not be counted (their transcripts could not be read), so the turns budget does not count them.`,
                ]
              : []),
          ],
        })
      }
      if (action.do !== 'call') continue
      const call = action.call
      const tag: WorkflowTag = {
        run,
        name: workflow,
        step: call.step,
        ...(reply.plugin ? { plugin: reply.plugin } : {}),
      }
      inFlight.set(
        call.step,
        (async () => {
          const outcome = await makeCall($, s, call, tag, agentId, counting).catch(
            (thrown: unknown): CallOutcome => ({
              status: 'failed',
              problems: [String(thrown)],
              message: `the call failed: ${String(thrown)}`,
            }),
          )
          ended.push({ step: call.step, outcome })
          inFlight.delete(call.step)
        })(),
      )
    }
    const wait = reply.actions.find((a) => a.do === 'wait')
    if (ended.length === 0) {
      if (wait?.do === 'wait') await $.clock.sleep(Math.max(0, wait.until - (await $.clock.now())))
      else if (inFlight.size > 0) await Promise.race(inFlight.values())
      // Nothing to wait for and nothing handed out: asking again would get the same answer.
      else
        return refuse(
          [
            `the run stopped with steps left and nothing to call (run ${run}); this is a fault in Switchboard: please report it.`,
          ],
          workflow,
        )
    }
    reported = ended.shift()
    reply = await drive(reported ? { run, secret, ended: reported } : { run, secret })
  }
}

/** The I/O a run needs from the invoke tool: the caller's own Read, and an agent's turns (from its transcript). */
export interface StepTools {
  read: WorkflowReader
  /** An agent's turns from its transcript; undefined where it cannot be read or the agent is not known (the run then says so). */
  turnsOf: (agentId: string | undefined) => Promise<number | undefined>
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

/**
 * A run the server stopped deciding (it restarted, or refused a report): the calls still out are
 * waited for, so none is left running with nobody to read it, and the run is answered as failed with
 * the steps whose outcome is known. Their receipts come from the server, so those not yet handed
 * back are not kept: a second run calls them again.
 */
async function broken(
  problems: string[],
  workflow: string,
  run: string,
  inFlight: Promise<void>[],
  reported: { step: string; outcome: CallOutcome } | undefined,
  ended: Array<{ step: string; outcome: CallOutcome }>,
): Promise<ToolCallResult> {
  await Promise.allSettled(inFlight)
  const unsaved = [...(reported ? [reported] : []), ...ended].map(
    ({ step, outcome }) => `${inert(step)} (${outcome.status})`,
  )
  return answer({
    status: 'failed',
    workflow,
    run,
    problems,
    message: `The run of ${inert(workflow)} stopped: ${problems.join(' ')} The steps that finished before are kept as receipts${unsaved.length > 0 ? `, except ${unsaved.join(', ')}, which ended after` : ''}; run the workflow again to go on.`,
  })
}

/** What drive_workflow answers: the run's next actions, or why it did not start or go on. */
type DriveReply =
  | {
      run: string
      /** Answered by start only: what each later call of the run must give. */
      secret?: string
      workflow: string
      plugin?: string
      actions: RunAction[]
      receipt?: { step: string; text: string }
      records?: CallRecord[]
    }
  | { workflow: string; problems: string[] }

/** One call of drive_workflow; an answer that is not the server's reads as the fix. */
function driver($: Engine, spec: string): (args: Record<string, unknown>) => Promise<DriveReply> {
  return async (args) => {
    const reply = await callOwnServer($, 'drive_workflow', args)
    if ('failed' in reply)
      return { workflow: spec, problems: [`Switchboard runs workflows with its MCP server: ${reply.failed}`] }
    const answer = reply.answer
    if (isObject(answer) && Array.isArray(answer.problems))
      return {
        workflow: typeof answer.workflow === 'string' ? answer.workflow : spec,
        problems: answer.problems.map(String),
      }
    if (isObject(answer) && typeof answer.run === 'string' && Array.isArray(answer.actions))
      return answer as unknown as DriveReply
    return {
      workflow: spec,
      problems: [
        "Switchboard runs workflows with its MCP server, which answered neither the run's next steps nor its problems. /mcp shows its state: reconnect it, or start a new session.",
      ],
    }
  }
}

/**
 * The receipts folder's files, by name (none yet: an empty folder), within what drive_workflow takes:
 * a receipt past that is left out, and its step runs again.
 */
async function readReceipts(
  $: Engine,
  folder: string,
): Promise<{ receipts: Record<string, string> } | { problem: string }> {
  const [entries, linked] = await Promise.all([
    $.fs.list(folder).catch(() => []),
    firstLink($, receiptsFolderChain(folder)),
  ])
  if (linked) return { problem: receiptsFolderLinked(linked) }
  // The run writes its receipts here, and `$.fs.write` follows a link (isPlainFile).
  const planted = entries.find((entry) => entry.name.endsWith('.json') && !isPlainFile(entry))
  if (planted)
    return {
      problem: `the receipts folder ${folder} holds ${planted.name}, which is not a plain file (a link or a pipe put there), and Switchboard keeps a run's receipts only as files of its own. Remove it, then run the workflow again.`,
    }
  // Only files a receipt can be (a value of at most valueLength characters is at most three bytes each in UTF-8),
  // smallest first, and at most RECEIPTS_READ_BYTES in all: files planted there were all read and sent to the
  // server, a hundred of a megabyte each made one request of 100 million characters (found by review). The steps
  // of receipts left out run again.
  let budget = RECEIPTS_READ_BYTES
  const sizeOf = (entry: { size?: number }) => entry.size ?? 0 // a file's own, which the listing gives (mod-api.ts)
  const names = entries
    .filter((entry) => entry.kind === 'file' && entry.name.endsWith('.json'))
    .filter((entry) => sizeOf(entry) <= 3 * DRIVE_LIMITS.valueLength)
    .sort((a, b) => sizeOf(a) - sizeOf(b))
    .slice(0, DRIVE_LIMITS.receipts)
    .filter((entry) => {
      budget -= sizeOf(entry)
      return budget >= 0
    })
    .map((entry) => entry.name)
  const texts = await Promise.all(
    names.map((name) => $.fs.read(`${folder}/${name}`, { length: FS_READ_LIMIT }).catch(() => undefined)),
  )
  const receipts: Record<string, string> = {}
  names.forEach((name, index) => {
    const text = texts[index]
    if (text !== undefined && text.length <= DRIVE_LIMITS.valueLength) receipts[name] = text
  })
  return { receipts }
}

/** One step's call, as the caller's own: an agent directly, a command or skill through a helper agent. */
async function makeCall(
  $: Engine,
  s: SessionState,
  call: RunCall,
  tag: WorkflowTag,
  agentId: string | undefined,
  tools: StepTools,
): Promise<CallOutcome> {
  const [{ policy, invocations }, slots] = await Promise.all([decisionInputs(s), s.slots()])
  // The server routed every capability of the run: the call's target is a component id.
  const route = await routerFor($, s.snapshot!, [])
  let plan: Plan
  try {
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
    })
  } catch (thrown) {
    if (!(thrown instanceof PlanError)) throw thrown
    return {
      status: thrown.kind === 'denied' ? 'denied' : 'failed',
      problems: [thrown.message],
      message: thrown.message,
    }
  }
  // A command or skill answers through a helper, and the run stores the answer itself (no directive the
  // guard would see): the guard's rule for a return stored from a call that carries a secret, applied here.
  if (call.into && plan.kind !== 'agent') {
    const problem = storedSecretProblem(String(plan.input.args ?? ''), (name) => slots.get(name), call.into)
    if (problem) return { status: 'denied', problems: [problem], message: problem }
  }
  if (plan.kind === 'agent') {
    const key = `${plan.target}\n${String(plan.input.prompt)}`
    tagNextCall(s, key, tag)
    const result = await callAgent(s, $, plan, `${tag.run}-${call.step}-${call.attempt}`, agentId).finally(() =>
      untagCall(s, key, tag),
    )
    const child = result.invocation ? foldInvocations(s.ownRecords()).get(result.invocation)?.agent : undefined
    return { ...outcomeOf(result), ...(await turnsField(tools, child ?? undefined)) }
  }
  return skillThroughHelper($, s, call, plan.input as { skill: string; args: string }, tag, agentId, tools)
}

/** A command or skill step: a helper agent makes exactly this Skill call and answers with its result. */
async function skillThroughHelper(
  $: Engine,
  s: SessionState,
  call: RunCall,
  input: { skill: string; args: string },
  tag: WorkflowTag,
  agentId: string | undefined,
  tools: StepTools,
): Promise<CallOutcome> {
  const key = `${input.skill}\n${input.args}`
  tagNextCall(s, key, tag)
  const attemptStarted = Date.now()
  const prompt = helperPrompt(tag.name, call.step, call.kind === 'agent' ? 'skill' : call.kind, input)
  const ran = await $.agent
    .call({
      tool: 'Agent',
      input: {
        description: `Switchboard workflow step ${call.step}`,
        subagent_type: 'general-purpose',
        prompt,
        run_in_background: false,
      },
      ...(agentId ? { agentId } : {}),
    })
    // A helper that made no such call (or another) leaves its tag waiting: the next run's same call took it,
    // and that step failed though its skill ran (found by review). The tag is this attempt's alone.
    .finally(() => untagCall(s, key, tag))
  if (typeof ran.deny === 'string')
    return {
      status: 'denied',
      problems: [ran.deny],
      message: `Claude Code refused the helper agent for ${call.target}: ${ran.deny}`,
    }
  const text = responseText(ran.result) ?? ''
  const helper = (ran.result as { agentId?: unknown } | undefined)?.agentId
  const turns = await turnsField(tools, typeof helper === 'string' ? helper : undefined)
  if (ran.isError)
    return {
      status: 'failed',
      problems: [text || String(ran.text)],
      message: `the helper agent for ${call.target} failed.`,
    }
  // The Skill call itself was guarded; a denial there reaches the helper, which cannot have run it.
  // This attempt's own helper's call, made since it began: an earlier attempt's call (its helper crashed
  // after it), or the main target's before a fallback, would otherwise vouch for an answer made up without one.
  const skillCall = [...foldInvocations(s.ownRecords()).values()].findLast(
    (i) =>
      i.workflow?.run === tag.run &&
      i.start >= attemptStarted &&
      (typeof helper === 'string' ? i.callerAgent === helper : i.workflow.step === call.step),
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
async function turnsField(tools: StepTools, agent: string | undefined): Promise<{ turns?: number }> {
  const turns = await tools.turnsOf(agent).catch(() => undefined)
  return turns ? { turns } : {}
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
  const waiting = s.workflowTags.get(key)
  const tag = waiting?.shift()
  if (waiting?.length === 0) s.workflowTags.delete(key)
  return tag ? { workflow: tag } : {}
}

/** `tag` no longer waiting for a call of `key`, where no call took it. */
function untagCall(s: SessionState, key: string, tag: WorkflowTag): void {
  const left = (s.workflowTags.get(key) ?? []).filter((waiting) => waiting !== tag)
  if (left.length > 0) s.workflowTags.set(key, left)
  else s.workflowTags.delete(key)
}

/** The tag the next call of `key` (target and text) carries: parallel steps may make the very same call, each its own. */
function tagNextCall(s: SessionState, key: string, tag: WorkflowTag): void {
  s.workflowTags.set(key, [...(s.workflowTags.get(key) ?? []), tag])
}

/**
 * A step's receipt, written where nothing is or over a receipt of that step, looked at just before: `$.fs.write`
 * follows a link and writes into a hard link's other names, and the run's own steps (a Bash step) can put one
 * there mid-run (found by review). Else not written, and why is said: the step runs again next time.
 */
async function writeReceipt($: Engine, folder: string, step: string, text: string): Promise<string | undefined> {
  // The file name is the module's to make: the step id is the server's word only.
  const name = receiptFileName(step)
  const file = `${folder}/${name}`
  const [entries, existing, linked] = await Promise.all([
    listOrNone($, folder).catch(() => undefined),
    $.fs.read(file, { length: FS_READ_LIMIT }).catch(() => undefined),
    firstLink($, receiptsFolderChain(folder)),
  ])
  if (linked) return `step ${step}'s receipt was not written: ${receiptsFolderLinked(linked)}`
  const entry = entries?.find((e) => e.name === name)
  if (entries && (!entry || (isPlainFile(entry) && isReceiptFile(name, existing)))) {
    await $.fs.write(file, text)
    return undefined
  }
  return `step ${step}'s receipt was not written: ${file} is no receipt of Switchboard's (a file put there, or one a crash cut short), so the step runs again next time. Remove the file to keep its result across runs.`
}

/** The most bytes of receipts a run reads and sends to the server at its start. */
const RECEIPTS_READ_BYTES = 16 * 1024 * 1024

/** Whether a receipts folder's file holds the receipt of the step it is named for (workflow/receipts.ts). */
function isReceiptFile(name: string, text: string | undefined): boolean {
  let step: unknown
  try {
    step = (JSON.parse(text ?? '') as { key?: { step?: unknown } } | null)?.key?.step
  } catch {
    return false
  }
  return typeof step === 'string' && receiptFileName(step) === name && parseReceipt(text, step) !== undefined
}

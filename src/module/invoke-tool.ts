/**
 * The invoke tool (`SwitchboardInvoke`), answered in process by the hooks module: the model
 * passes the invoke line as typed (or its fields), and gets back typed JSON (guard/invoke.ts,
 * docs/protocol.md "The invoke tool"). No model tokens go into getting the call right.
 *
 * Which `$` call makes the call, and why:
 * - `$.agent.call({ tool: "Agent", agentId })`: the Agent tool run as the calling agent's own call
 *   (main's when `agentId` is absent). It has that agent's tools and permission rules, so the tool
 *   gives a model no call it could not make itself (an agent without the Agent tool is refused; a
 *   deny rule on `Agent(x)` holds); it raises `agent.spawn` with `parentAgentId` = the caller, so
 *   this module's own guard decides, injects and records it as every call; and with
 *   `run_in_background: false` it resolves once the agent finished. Waiting inside a `$` call also
 *   stops the hook's 10-second budget, which a wait on our own promise would not (observed:
 *   docs/claude-code-notes.md "Mods").
 * - not `$.agent.spawn`: it skips the caller's tools and permission rules, and always runs in the
 *   background, so the hook would have to wait outside any `$` call.
 * - not `$.tool.call({ tool: "Agent" })`: refused ("that is $.agent.spawn"), and it runs in main's loop.
 * - commands and skills: `$.agent.call({ tool: "Skill" })` expands the skill but "nothing joins the
 *   agent's conversation", so its instructions would be lost; `$.command.run` queues a command for
 *   when the session is idle and rejects inside a hook the turn waits on. So a command or skill is
 *   planned and checked, and the tool answers `use_skill_tool` with the exact Skill call to make.
 * - `key=@file`: read with the caller's own Read (`$.agent.call`), so Claude Code's Read rules for that
 *   caller apply, and only inside the project, every link resolved (`$.fs.stat` `realPath`).
 */
import {
  decideCall,
  fileArguments,
  findComponent,
  INVOKE_INPUT_SCHEMA,
  invokeRefused,
  invokeSkill,
  planCall,
  PlanError,
  readInvokeInput,
  renderInvokeResult,
} from '../guard/core.ts'
import type { InvokeRequest, InvokeResult, Plan } from '../guard/core.ts'
import { inertJson, messageOf } from '../common/core.ts'
import { caseTwin, caseTwinProblem, replaceProblem } from '../context/core.ts'
import type { Slot } from '../context/core.ts'
import { isCapabilityRequest } from '../resolve/core.ts'
import type { CapabilityRouter } from '../resolve/core.ts'
import { routerFor } from './capability-routes.ts'
import { FS_READ_LIMIT } from './mod-api.ts'
import type { Engine, InvokeCallEvent, ToolCallResult, ToolListEntry } from './mod-api.ts'
import { recordDenial } from './call-handling.ts'
import { callerOf, moduleCaller } from './callers.ts'
import { callAgent, readAsCaller, workflowReader } from './invoke-call.ts'
import { decisionInputs } from './session-state.ts'
import type { SessionState } from './session-state.ts'
import { agentTranscriptPath, countTurns, endsWithAnswer, readWorkflowRequest } from '../workflow/core.ts'
import { runWorkflow } from './workflow-run.ts'

/**
 * An agent's transcript, read as ranges (a plain read of a pipe put in its place would wait on it: the agent's
 * own Bash step can), up to the bound the settings side reads; undefined where it is not there yet, is no plain
 * file, or is past the bound.
 */
async function readTranscript($: Engine, file: string): Promise<string | undefined> {
  const stat = await $.fs.stat(file).catch(() => undefined)
  if (stat?.kind !== 'file' || stat.isLink || stat.size > MAX_TRANSCRIPT_BYTES) return undefined
  let text = ''
  for (let offset = 0; offset < stat.size; offset += FS_READ_LIMIT) {
    const part = await $.fs.read(file, { offset, length: FS_READ_LIMIT }).catch(() => undefined)
    if (part === undefined) return undefined
    text += part
  }
  return text
}

/** The most of an agent's transcript read for its turns, as on the settings side (hooks/post-tool-use.ts). */
const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024

/** Reads of an agent's transcript, 50 ms apart, for its last message to land (at most 0.5 s). */
const TRANSCRIPT_READS = 10

/**
 * The tool's name, as the model and an agent's `tools:` spell it. Added to the session's tool pool at
 * `tool.list` (register.ts), not an MCP tool: an added name may not start with `mcp__`.
 */
export const INVOKE_TOOL_NAME = 'SwitchboardInvoke'

const INVOKE_TOOL_DESCRIPTION = [
  "Call another plugin's agent through Switchboard and get its typed return. Pass `line`, the request exactly as the user typed it after /switchboard:invoke, or `target` (plugin:component or capability@range) with `args`, `prompt` and `into`.",
  'Switchboard checks the call with its guard (policy, private components, cycles, depth, budgets), passes $slot context, runs the agent as your own Agent call, reads its return against the output contract and stores it with `into`.',
  'Answers JSON: {status: ok | contract_mismatch | failed | denied | invalid | use_skill_tool, target, kind, invocation, value, slot, problems, message}. `value` is the parsed JSON when the contract is JSON. For a command or skill, status use_skill_tool gives the exact Skill call in `call`.',
  'With `workflow` (and `inputs`, `fresh`) it runs a Switchboard workflow, every step guarded, and answers {status: ok | failed | budget_exhausted | denied | invalid, steps, outputs, partial, message}; finished steps are kept, so running it again redoes only what changed or did not finish.',
].join('\n')

/** The invoke tool as the `tool.list` hook adds it to the session's pool (`mcp: false`: answered by this module). */
export const INVOKE_TOOL: ToolListEntry = {
  name: INVOKE_TOOL_NAME,
  description: INVOKE_TOOL_DESCRIPTION,
  mcp: false,
  inputSchema: INVOKE_INPUT_SCHEMA,
}

/**
 * Serves one call of the invoke tool. `projectDir` bounds what `key=@file` may read; `transcriptPath`
 * (the session's) leads to agents' transcripts, whose turns count against a workflow's budget;
 * `waitLimitMs`, what is left of the hook's own time for a workflow's backoffs (undefined: no bound).
 */
export async function invokeTool(
  s: SessionState,
  $: Engine,
  e: InvokeCallEvent,
  where: { projectDir: string; transcriptPath: string | undefined },
  waitLimitMs?: number,
): Promise<ToolCallResult> {
  const { projectDir, transcriptPath } = where
  const { tool: _tool, tool_use_id: id, agentId, requestMeta: _meta, consent: _consent, ...input } = e
  if (input.workflow !== undefined) {
    const request = readWorkflowRequest(input)
    if (!request.ok)
      return {
        result: inertJson({
          status: 'invalid',
          workflow: typeof input.workflow === 'string' ? input.workflow : null,
          problems: [request.problem],
          message: `Switchboard did not run the workflow: ${request.problem}`,
        }),
      }
    const read = workflowReader($, agentId, projectDir)
    const turnsOf = async (agent: string | undefined) => {
      if (!transcriptPath || !agent) return undefined
      const file = agentTranscriptPath(transcriptPath, agent)
      // The agent has reported, but its last message may not be written yet (turns.ts endsWithAnswer).
      let jsonl: string | undefined
      for (let attempt = 0; attempt < TRANSCRIPT_READS; attempt++) {
        if (attempt > 0) await $.clock.sleep(50)
        jsonl = await readTranscript($, file)
        if (jsonl !== undefined && endsWithAnswer(jsonl)) break
      }
      return jsonl === undefined ? undefined : countTurns(jsonl)
    }
    return runWorkflow($, s, request.request, agentId, projectDir, waitLimitMs, { read, turnsOf })
  }
  const read = readInvokeInput(input)
  if (!read.ok) return answer(invokeRefused('invalid', read.problem))
  if (!s.snapshot)
    return answer(
      invokeRefused(
        'denied',
        'Switchboard has no usable registry snapshot for this session (its SessionStart hook did not finish; `switchboard doctor` says why), so it cannot check this call. Run `switchboard sync` and start a new session.',
      ),
    )

  const files = new Map<string, string | PlanError>()
  for (const file of fileArguments(read.request.pairs))
    files.set(`${file.key}=${file.path}`, await readAsCaller($, agentId, projectDir, file.key, file.path))
  // A capability target is routed by Switchboard's MCP server (the module carries no semver).
  const route = await routerFor(
    $,
    s.snapshot!,
    isCapabilityRequest(read.request.target ?? '') ? [read.request.target!] : [],
  )
  const planned = await s.exclusive(() => planHere(s, read.request, route, agentId, id, files))
  if ('refused' in planned) return answer(planned.refused)
  const plan = planned.plan
  // Every file's slot checked before any is written: `draft=@a.md api_key=@b.md` replaced draft, then failed on
  // the secret api_key with a message naming neither (found by review). For a command or skill too, whose Skill
  // call the model makes with `$key` in its place: handed back before its slot was written, that call took what
  // the slot held already, a value another plugin's agent had stored there, or a secret (found by review).
  const slots = await s.slots()
  for (const slot of plan.fileSlots) {
    const problem = fileSlotProblem(slot.name, slots)
    if (problem) return answer(invokeRefused('invalid', problem, { target: plan.target, kind: plan.kind }))
  }
  try {
    for (const slot of plan.fileSlots)
      await s.writeSlot({ name: slot.name, type: 'text', value: slot.text, writer: 'tool', ts: Date.now() })
  } catch (thrown) {
    return answer(invokeRefused('invalid', `a file's slot could not be written: ${messageOf(thrown)}`, plan))
  }
  if (plan.tool === 'Skill') return answer(invokeSkill(plan))
  return answer(await callAgent(s, $, plan, id, agentId))
}

/**
 * The invoke tool answers the model and its agents. Another plugin's code reaching it through
 * `$.tool.call` would have its calls made as the user's (the tool plans for the loop it runs in);
 * that code has `$.agent.spawn`, where the guard judges it as `<plugin>:(hooks module)`.
 */
export function invokeFromCode(plugin: string): ToolCallResult {
  return answer(
    invokeRefused(
      'denied',
      `the invoke tool answers the model and its agents, not plugin "${plugin}"'s code; that code calls agents with $.agent.spawn, where the guard judges the call as ${moduleCaller(plugin)}`,
    ),
  )
}

/** What the model reads when the tool itself failed (a bug, or Claude Code refused a `$` call). */
export const INVOKE_FAILED: ToolCallResult = answer({
  status: 'failed',
  target: null,
  kind: null,
  invocation: null,
  value: null,
  slot: null,
  problems: ['the invoke tool failed'],
  message:
    "Switchboard's invoke tool failed on this call (the debug log says why). Make the call with the Agent tool instead: /switchboard:invoke or plan_call gives the exact input.",
})

/** The module's rewrite of `/switchboard:invoke`: after the request, the invoke tool instead of plan_call. */
export function invokeCommandPrompt(text: string): string {
  const end = text.lastIndexOf(REQUEST_END)
  if (end < 0) return text
  return `${text.slice(0, end + REQUEST_END.length)}\n\n${INVOKE_INSTRUCTIONS}\n`
}

/** The module's rewrite of `/switchboard:run`: after the request, the invoke tool with the workflow. */
export function runCommandPrompt(text: string): string {
  const end = text.lastIndexOf(REQUEST_END)
  if (end < 0) return text
  return `${text.slice(0, end + REQUEST_END.length)}\n\n${RUN_INSTRUCTIONS}\n`
}

/** The module's addition to the orchestrate skill: the invoke tool, where it exists. */
export function orchestratePrompt(text: string): string {
  const at = text.indexOf('## 2. Make the call')
  return at < 0
    ? `${text}\n\n${ORCHESTRATE_SECTION}\n`
    : `${text.slice(0, at)}${ORCHESTRATE_SECTION}\n\n${text.slice(at)}`
}

// --- internal ---

const REQUEST_END = '----- switchboard request end -----'

const INVOKE_INSTRUCTIONS = [
  "Call Switchboard's invoke tool (SwitchboardInvoke) with `line` set to exactly the text between the marker lines, unchanged (an empty string if there is none). It checks the call, makes it, and answers with JSON: status, target, value (the return, parsed when its contract is JSON), slot, problems and message.",
  '',
  'If status is use_skill_tool, make exactly the Skill call given in `call`, with the input unchanged, then report its result. Otherwise make no other tool call for this request: report the value to the user, or, when status is not ok, tell the user the message.',
  '',
  'If you have no SwitchboardInvoke tool (a setting or another plugin can take it away), call the plan_call tool of the switchboard MCP server (mcp__plugin_switchboard_switchboard__plan_call) with the same `line` instead, and make exactly the call it plans.',
].join('\n')

const RUN_INSTRUCTIONS = [
  "Call Switchboard's invoke tool (SwitchboardInvoke) with `workflow` set to exactly the text between the marker lines, unchanged. Switchboard's hooks module runs the workflow itself: every step checked by the guard, in parallel where the workflow says, each step's return passed on as context, finished steps kept as receipts so that running it again redoes nothing that is still valid.",
  '',
  'It answers JSON: status (ok, failed, budget_exhausted, denied, invalid), steps (each with its status: ok, reused, failed, denied, skipped, not_run, budget_exhausted), outputs, partial, message. Make no other tool call for this request: report the status, each step and the outputs to the user; when status is not ok, tell them the message.',
  '',
  'If you have no SwitchboardInvoke tool (a setting or another plugin can take it away), call the run_workflow tool of the switchboard MCP server (mcp__plugin_switchboard_switchboard__run_workflow) with the same text as `line` instead, and follow its answers.',
].join('\n')

const ORCHESTRATE_SECTION = [
  '## In this session: the invoke tool',
  '',
  "Switchboard's hooks module runs in this session. If your tools include `SwitchboardInvoke`, use it",
  'to call an agent: `{"target": "tdd-design:illustrator", "args": {"content": "$article_draft"}, "into": "illustration"}`',
  '(or `line` with the request as typed). It checks the call, runs the agent as your own Agent call, and returns',
  'JSON: status (ok, contract_mismatch, failed, denied, invalid, use_skill_tool), target, value (parsed when the',
  'contract is JSON), slot, problems, message. For a command or skill it returns use_skill_tool with the exact',
  'Skill call to make. Without that tool, make the calls yourself as below.',
].join('\n')

function answer(result: InvokeResult): ToolCallResult {
  return { result: renderInvokeResult(result) }
}

/** The plan, decided for the exact caller with the guard's own decision; a denial is recorded like any denied call. */
async function planHere(
  s: SessionState,
  request: InvokeRequest,
  route: CapabilityRouter,
  agentId: string | undefined,
  id: string,
  files: Map<string, string | PlanError>,
): Promise<{ plan: Plan } | { refused: InvokeResult }> {
  const [{ policy, invocations }, slots] = await Promise.all([decisionInputs(s), s.slots()])
  // Judged as the spawn it leads to will be: through built-in agents and forks (callers.ts).
  const { type: callerType, invocation: callerInvocation } = callerOf(s, agentId, invocations)
  try {
    const plan = planCall({
      ...request,
      route,
      registry: () => s.snapshot!,
      decide: (target, kind, snapshot) =>
        decideCall({ callerType, callerInvocation, target, kind }, snapshot, policy, invocations),
      slotNames: [...slots.keys()],
      readFile: (key, path) => {
        const text = files.get(`${key}=${path}`)
        if (typeof text !== 'string') throw text ?? new PlanError(`cannot read ${path} for "${key}".`)
        return text
      },
    })
    return { plan }
  } catch (thrown) {
    if (!(thrown instanceof PlanError)) throw thrown
    if (thrown.kind === 'denied') {
      const target = thrown.target ?? request.target ?? ''
      const found = findComponent(s.snapshot!, target)
      const kind = !found || found.kind === 'agent' ? 'agent' : 'skill'
      await recordDenial(s, {
        e: 'call',
        id,
        parent: callerInvocation?.id ?? null,
        caller: callerType ?? 'main',
        callerAgent: agentId ?? null,
        target,
        kind,
        ts: Date.now(),
        status: 'denied',
        reason: thrown.message,
      })
      return { refused: invokeRefused('denied', thrown.message, { target, kind: found?.kind ?? null, invocation: id }) }
    }
    return { refused: invokeRefused('invalid', thrown.message, thrown.target ? { target: thrown.target } : {}) }
  }
}

/** Why `key=@file` may not store the file in the slot `name` (a secret, or another slot's name but for case). */
function fileSlotProblem(name: string, slots: Map<string, Slot>): string | undefined {
  const twin = caseTwin(
    [...slots.keys()].map((slot) => `${slot}.json`),
    name,
  )
  const problem = twin ? caseTwinProblem(name, twin) : replaceProblem(slots.get(name), 'tool')
  return problem && `"${name}=@...": ${problem}`
}

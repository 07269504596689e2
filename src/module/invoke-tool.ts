/**
 * The invoke tool (`mcp__switchboard__invoke`), answered in process by the hooks module: the model
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
import { decideCall, fileArguments, findComponent, invokeFinished, invokeRefused, invokeSkill, mergePolicy, planCall, PlanError, readInvokeInput, readReturn, renderInvokeResult } from '../guard/core.ts'
import { contractProblems } from '../manifest/validate-contract.ts'
import type { InvokeRequest, InvokeResult, Plan } from '../guard/core.ts'
import { responseText } from '../protocol/index.ts'
import { foldInvocations } from '../trace/core.ts'
import type { AgentCallResult, Engine, InvokeCallEvent, ToolCallResult } from './mod-api.ts'
import { callerOf } from './callers.ts'
import { pendingKey } from './session-state.ts'
import type { PendingInvoke, SessionState } from './session-state.ts'

/** The tool's short name; Claude Code lists it to the model as `mcp__<plugin>__invoke`. */
export const INVOKE_TOOL_NAME = 'invoke'

export const INVOKE_TOOL_DESCRIPTION = [
  "Call another plugin's agent through Switchboard and get its typed return. Pass `line`, the request exactly as the user typed it after /switchboard:invoke, or `target` (plugin:component or capability@range) with `args`, `prompt` and `into`.",
  'Switchboard checks the call with its guard (policy, private components, cycles, depth, budgets), passes $slot context, runs the agent as your own Agent call, reads its return against the output contract and stores it with `into`.',
  'Answers JSON: {status: ok | contract_mismatch | failed | denied | invalid | use_skill_tool, target, kind, invocation, value, slot, problems, message}. `value` is the parsed JSON when the contract is JSON. For a command or skill, status use_skill_tool gives the exact Skill call in `call`.',
].join('\n')

/** Serves one call of the invoke tool. `projectDir` bounds what `key=@file` may read. */
export async function invokeTool(s: SessionState, $: Engine, e: InvokeCallEvent, projectDir: string): Promise<ToolCallResult> {
  const { tool: _tool, tool_use_id: id, agentId, requestMeta: _meta, consent: _consent, ...input } = e
  const read = readInvokeInput(input)
  if (!read.ok) return answer(invokeRefused('invalid', read.problem))
  if (!s.snapshot) return answer(invokeRefused('denied', 'Switchboard has no usable registry snapshot for this session (its SessionStart hook did not finish; `switchboard doctor` says why), so it cannot check this call. Run `switchboard sync` and start a new session.'))

  const files = new Map<string, string | PlanError>()
  for (const file of fileArguments(read.request.pairs)) files.set(`${file.key}=${file.path}`, await readAsCaller($, agentId, projectDir, file.key, file.path))
  const planned = await s.exclusive(() => planHere(s, read.request, agentId, id, files))
  if ('refused' in planned) return answer(planned.refused)
  const plan = planned.plan
  if (plan.tool === 'Skill') return answer(invokeSkill(plan))
  await Promise.all(plan.fileSlots.map((slot) => s.writeSlot({ name: slot.name, type: 'text', value: slot.text, writer: 'tool', ts: Date.now() })))
  return answer(await callAgent(s, $, plan, id, agentId))
}

/** What the model reads when the tool itself failed (a bug, or Claude Code refused a `$` call). */
export const INVOKE_FAILED: ToolCallResult = answer({ status: 'failed', target: null, kind: null, invocation: null, value: null, slot: null, problems: ['the invoke tool failed'], message: "Switchboard's invoke tool failed on this call (the debug log says why). Make the call with the Agent tool instead: /switchboard:invoke or plan_call gives the exact input." })

/** The module's rewrite of `/switchboard:invoke`: after the request, the invoke tool instead of plan_call. */
export function invokeCommandPrompt(text: string): string {
  const end = text.lastIndexOf(REQUEST_END)
  if (end < 0) return text
  return `${text.slice(0, end + REQUEST_END.length)}\n\n${INVOKE_INSTRUCTIONS}\n`
}

/** The module's addition to the orchestrate skill: the invoke tool, where it exists. */
export function orchestratePrompt(text: string): string {
  const at = text.indexOf('## 2. Make the call')
  return at < 0 ? `${text}\n\n${ORCHESTRATE_SECTION}\n` : `${text.slice(0, at)}${ORCHESTRATE_SECTION}\n\n${text.slice(at)}`
}

// --- internal ---

const REQUEST_END = '----- switchboard request end -----'

const INVOKE_INSTRUCTIONS = [
  "Call Switchboard's invoke tool (mcp__switchboard__invoke) with `line` set to exactly the text between the marker lines, unchanged (an empty string if there is none). It checks the call, makes it, and answers with JSON: status, target, value (the return, parsed when its contract is JSON), slot, problems and message.",
  '',
  'If status is use_skill_tool, make exactly the Skill call given in `call`, with the input unchanged, then report its result. Otherwise make no other tool call for this request: report the value to the user, or, when status is not ok, tell the user the message.',
].join('\n')

const ORCHESTRATE_SECTION = [
  '## In this session: the invoke tool',
  '',
  "Switchboard's hooks module runs in this session. If your tools include `mcp__switchboard__invoke`, use it",
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
async function planHere(s: SessionState, request: InvokeRequest, agentId: string | undefined, id: string, files: Map<string, string | PlanError>): Promise<{ plan: Plan } | { refused: InvokeResult }> {
  const policy = mergePolicy(await s.policy(), s.env)
  const invocations = foldInvocations(await s.records())
  // Judged as the spawn it leads to will be: through built-in agents and forks (callers.ts).
  const { type: callerType, invocation: callerInvocation } = callerOf(s, agentId, invocations)
  const slots = await s.slots()
  try {
    const plan = planCall({
      ...request,
      registry: () => s.snapshot!,
      decide: (target, kind, snapshot) => decideCall({ callerType, callerInvocation, target, kind }, snapshot, policy, invocations),
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
      await s.append({ e: 'call', id, parent: callerInvocation?.id ?? null, caller: callerType ?? 'main', callerAgent: agentId ?? null, target, kind, ts: Date.now(), status: 'denied', reason: thrown.message })
      return { refused: invokeRefused('denied', thrown.message, { target, kind: found?.kind ?? null, invocation: id }) }
    }
    return { refused: invokeRefused('invalid', thrown.message, thrown.target ? { target: thrown.target } : {}) }
  }
}

/** The agent call, as the caller's own Agent call in the foreground; the spawn goes through this module's guard. */
async function callAgent(s: SessionState, $: Engine, plan: Plan, id: string, agentId: string | undefined): Promise<InvokeResult> {
  const key = pendingKey(agentId, plan.target, String(plan.input.prompt))
  const pending: PendingInvoke = { id }
  s.pending.set(key, [...(s.pending.get(key) ?? []), pending])
  let ran: AgentCallResult
  try {
    ran = await $.agent.call({ tool: 'Agent', input: { ...plan.input, run_in_background: false }, ...(agentId ? { agentId } : {}) })
  } finally {
    const left = (s.pending.get(key) ?? []).filter((p) => p !== pending)
    if (left.length > 0) s.pending.set(key, left)
    else s.pending.delete(key)
  }
  const known = { target: plan.target, kind: plan.kind, invocation: pending.invocation ?? (pending.denied ? id : undefined) }
  if (pending.denied) return invokeRefused('denied', pending.denied, { ...known, invocation: id })
  // Claude Code's own refusal: the caller lacks the Agent tool, a permission rule, another plugin's hook.
  if (typeof ran.deny === 'string') return invokeRefused('denied', `Claude Code refused this caller's Agent call: ${ran.deny.replace(/[.\s]+$/, '')}.`, known)
  const record = (ran.result ?? {}) as { status?: string; agentId?: string }
  if (ran.isError || !record.agentId) return invokeRefused('denied', typeof ran.text === 'string' ? ran.text : String(ran.result), known)
  const returned = s.returns.get(record.agentId)
  s.returns.delete(record.agentId)
  const status = record.status === 'completed' || record.status === 'failed' || record.status === 'stopped' ? record.status : 'completed'
  const invocation = pending.invocation ?? id
  if (returned) return invokeFinished(plan, { invocation, status, text: returned.text, reading: returned.reading })
  // No report reached agent.report (not seen so far): read the tool's record against the contract, storing nothing.
  const text = responseText(ran.result) ?? ''
  const component = findComponent(s.snapshot!, plan.target)
  return invokeFinished(plan, { invocation, status, text, reading: readReturn({ id: invocation, target: plan.target, into: null }, text, component, contractProblems) })
}

/** `key=@file`, read as the caller's own Read of a file inside the project (every link resolved). */
async function readAsCaller($: Engine, agentId: string | undefined, projectDir: string, key: string, path: string): Promise<string | PlanError> {
  const absolute = path.startsWith('/') ? path : `${projectDir}/${path}`
  const [file, project] = await Promise.all([$.fs.stat(absolute, { resolve: true }).catch(() => undefined), $.fs.stat(projectDir, { resolve: true }).catch(() => undefined)])
  if (!file?.realPath || file.kind !== 'file') return new PlanError(`cannot read ${path} for "${key}" (no such file).`)
  if (!project?.realPath || !file.realPath.startsWith(`${project.realPath}/`)) {
    return new PlanError(`"${key}=@${path}": ${path} is outside the project (${project?.realPath ?? projectDir}), and a call made from inside Claude Code may only pass files of the project. Copy what is needed into the project, or store it from a terminal: switchboard context put <slot> @<file> --session <id>.`)
  }
  const ran = await $.agent.call({ tool: 'Read', input: { file_path: file.realPath }, ...(agentId ? { agentId } : {}) })
  if (typeof ran.deny === 'string') return new PlanError(`"${key}=@${path}": the caller may not Read it (${ran.deny}), so Switchboard will not read it either. Pass the content another way.`)
  const record = ran.result as { type?: string; file?: { content?: unknown; numLines?: number; totalLines?: number } } | undefined
  if (ran.isError || record?.type !== 'text' || typeof record.file?.content !== 'string') return new PlanError(`cannot read ${path} for "${key}" (${typeof ran.text === 'string' ? ran.text : 'not a text file'}).`)
  if (record.file.totalLines !== undefined && record.file.numLines !== undefined && record.file.numLines < record.file.totalLines) {
    return new PlanError(`${path} for "${key}" is longer than Read gives in one call (${record.file.totalLines} lines). Store it from a terminal: switchboard context put ${key} @${path}, then pass $${key}.`)
  }
  return record.file.content
}

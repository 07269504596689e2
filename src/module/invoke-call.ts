/**
 * The two `$` calls the invoke tool makes as its caller's own (invoke-tool.ts says why these): the
 * Agent call in the foreground, whose spawn this module's guard decides, and the Read of a
 * `key=@file` inside the project. Shared by a single call and a workflow run (workflow-run.ts).
 */
import { isLexicallyInside, lexicalResolve } from '../common/core.ts'
import { findComponent, invokeFinished, invokeRefused, invokeUnjudged, PlanError } from '../guard/core.ts'
import type { InvokeResult, Plan } from '../guard/core.ts'
import { responseText } from '../protocol/core.ts'
import { readReturnHere } from './contract-check.ts'
import type { AgentCallResult, Engine } from './mod-api.ts'
import { pendingKey } from './session-state.ts'
import type { PendingInvoke, SessionState } from './session-state.ts'
import type { WorkflowReader } from './workflow-load.ts'

/** The agent call, as the caller's own Agent call in the foreground; the spawn goes through this module's guard. */
export async function callAgent(
  s: SessionState,
  $: Engine,
  plan: Plan,
  id: string,
  agentId: string | undefined,
): Promise<InvokeResult> {
  const key = pendingKey(agentId, plan.target, String(plan.input.prompt))
  const pending: PendingInvoke = { id }
  s.pending.set(key, [...(s.pending.get(key) ?? []), pending])
  let ran: AgentCallResult
  try {
    ran = await $.agent.call({
      tool: 'Agent',
      input: { ...plan.input, run_in_background: false },
      ...(agentId ? { agentId } : {}),
    })
  } finally {
    const left = (s.pending.get(key) ?? []).filter((p) => p !== pending)
    if (left.length > 0) s.pending.set(key, left)
    else s.pending.delete(key)
  }
  const known = {
    target: plan.target,
    kind: plan.kind,
    invocation: pending.invocation ?? (pending.denied ? id : undefined),
  }
  if (pending.denied) return invokeRefused('denied', pending.denied, { ...known, invocation: id })
  // Claude Code's own refusal: the caller lacks the Agent tool, a permission rule, another plugin's hook.
  if (typeof ran.deny === 'string')
    return invokeRefused(
      'denied',
      `Claude Code refused this caller's Agent call: ${ran.deny.replace(/[.\s]+$/, '')}.`,
      known,
    )
  const record = (ran.result ?? {}) as { status?: string; agentId?: string }
  // The Agent tool's own error (the agent failed as it ran, or could not start): a failure, which a workflow
  // step retries as it says, never a refusal ("do not make this call another way"; found by review).
  if (ran.isError || !record.agentId) {
    if (record.agentId) s.returns.delete(record.agentId)
    const text = typeof ran.text === 'string' ? ran.text : String(ran.result ?? '')
    return invokeFinished(plan, { invocation: pending.invocation ?? id, status: 'failed', text, reading: undefined })
  }
  // Not seen by the guard as this call: a step's return in no slot read as a plain answer (found in CI).
  if (pending.invocation === undefined)
    return invokeUnjudged(plan, { invocation: id, text: responseText(ran.result) ?? String(ran.text ?? '') })
  const returned = s.returns.get(record.agentId)
  s.returns.delete(record.agentId)
  const status =
    record.status === 'completed' || record.status === 'failed' || record.status === 'stopped'
      ? record.status
      : 'completed'
  const invocation = pending.invocation ?? id
  if (returned) return invokeFinished(plan, { invocation, status, text: returned.text, reading: returned.reading })
  // No report reached agent.report (not seen so far): read the tool's record against the contract, storing nothing.
  const text = responseText(ran.result) ?? ''
  const component = findComponent(s.snapshot!, plan.target)
  return invokeFinished(plan, {
    invocation,
    status,
    text,
    reading: await readReturnHere($, { id: invocation, target: plan.target, into: null }, text, component),
  })
}

/** `key=@file`, read as the caller's own Read of a file inside the project (every link resolved). */
export async function readAsCaller(
  $: Engine,
  agentId: string | undefined,
  projectDir: string,
  key: string,
  path: string,
): Promise<string | PlanError> {
  const read = await readFileAsCaller($, agentId, projectDir, key, path)
  return read instanceof PlanError ? read : read.text
}

/** How the invoke tool reads a workflow file the caller names: as the caller's own Read would. */
export function workflowReader($: Engine, agentId: string | undefined, projectDir: string): WorkflowReader {
  return async (path) => {
    const read = await readFileAsCaller($, agentId, projectDir, 'workflow', path)
    return read instanceof PlanError ? { problem: read.message } : read
  }
}

/** readAsCaller, with the file's real path (a workflow's receipts are kept by it). */
async function readFileAsCaller(
  $: Engine,
  agentId: string | undefined,
  projectDir: string,
  key: string,
  path: string,
): Promise<{ text: string; file: string } | PlanError> {
  const absolute = lexicalResolve(projectDir, path)
  const [file, project] = await Promise.all([
    $.fs.stat(absolute, { resolve: true }).catch(() => undefined),
    $.fs.stat(projectDir, { resolve: true }).catch(() => undefined),
  ])
  const outside = new PlanError(
    `"${key}=@${path}": ${path} is outside the project (${project?.realPath ?? projectDir}), and a call made from inside Claude Code may only pass files of the project. Copy what is needed into the project, or store it from a terminal: switchboard context put <slot> @<file> --session <id>.`,
  )
  // Whether a file outside the project exists must not show: such a path is outside, found or not.
  if (!file?.realPath)
    return isLexicallyInside(projectDir, absolute)
      ? new PlanError(`"${key}=@${path}": cannot read ${path} (no such file).`)
      : outside
  if (!project?.realPath || !file.realPath.startsWith(`${project.realPath}/`)) return outside
  if (file.kind !== 'file') return new PlanError(`"${key}=@${path}": cannot read ${path} (not a file).`)
  const ran = await $.agent.call({ tool: 'Read', input: { file_path: file.realPath }, ...(agentId ? { agentId } : {}) })
  if (typeof ran.deny === 'string')
    return new PlanError(
      `"${key}=@${path}": the caller may not Read it (${ran.deny}), so Switchboard will not read it either. Pass the content another way.`,
    )
  const record = ran.result as
    | { type?: string; file?: { content?: unknown; numLines?: number; totalLines?: number } }
    | undefined
  if (ran.isError || record?.type !== 'text' || typeof record.file?.content !== 'string')
    return new PlanError(
      `cannot read ${path} for "${key}" (${typeof ran.text === 'string' ? ran.text : 'not a text file'}).`,
    )
  if (
    record.file.totalLines !== undefined &&
    record.file.numLines !== undefined &&
    record.file.numLines < record.file.totalLines
  ) {
    return new PlanError(
      `${path} for "${key}" is longer than Read gives in one call (${record.file.totalLines} lines). Store it from a terminal: switchboard context put ${key} @${path}, then pass $${key}.`,
    )
  }
  return { text: record.file.content, file: file.realPath }
}

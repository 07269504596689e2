/**
 * What the hooks module does with each call it sees, decided by the core (guard/core.ts) with the
 * exact caller callers.ts finds: an agent spawn (decide, inject context, record), its report (capture
 * the return into its slot, check it against the output contract, tell the caller), a Skill call, a
 * command typed by the person. register.ts wires these to Claude Code's events.
 */
import { decideCall, findComponent, notStored, planInjection, withoutSnapshotVerdict } from '../guard/core.ts'
import type { Policy, ReturnReading } from '../guard/core.ts'
import { inert, messageOf } from '../common/core.ts'
import { chainOf, foldInvocations } from '../trace/core.ts'
import type { Invocation } from '../trace/core.ts'
import { callerOf, isModuleCaller } from './callers.ts'
import { readReturnHere } from './contract-check.ts'
import type {
  Engine,
  Next,
  ReportEvent,
  ReportResult,
  SkillCallEvent,
  SpawnEvent,
  SpawnResult,
  ToolCallResult,
  TurnCompleteEvent,
  TurnCompleteResult,
  TurnUsage,
} from './mod-api.ts'
import { decisionInputs, pendingKey } from './session-state.ts'
import { workflowTagOf } from './workflow-run.ts'
import type { SessionState } from './session-state.ts'

/**
 * An agent spawn: decided and recorded under the session's queue, then started outside it, once `ready`
 * (what the agent needs before its first request) has settled.
 */
export async function spawn(
  s: SessionState,
  e: SpawnEvent,
  next: Next<SpawnEvent, SpawnResult>,
  ready?: Promise<unknown>,
): Promise<SpawnResult> {
  const decided = await s.exclusive(() => decideSpawn(s, e, next.origin?.plugin))
  if ('deny' in decided) return decided
  await ready
  const result = await next(decided.event)
  if ('agentId' in result && result.agentId) {
    s.agents.set(result.agentId, {
      type: decided.type,
      parentAgentId: e.parentAgentId,
      invocation: decided.invocation,
      ...(decided.worksFor ? { worksFor: decided.worksFor } : {}),
      ...(e.workflow ? { workflow: true } : {}),
      ...(decided.invoke ? { invoke: true } : {}),
    })
    if (decided.unchecked) s.unchecked.set(result.agentId, decided.unchecked)
    if (decided.invocation)
      s.appendBehind({ e: 'link', id: decided.invocation, agent: result.agentId, ts: Date.now(), how: 'module' })
  }
  return result
}

/** What becomes of a spawn: refused, or started (rewritten or not) as a traced call or an untraced one. */
type SpawnDecision =
  | { deny: string }
  | {
      event: SpawnEvent
      type: string
      invocation: string | null
      unchecked?: string
      invoke?: boolean
      worksFor?: string
    }

async function decideSpawn(s: SessionState, e: SpawnEvent, origin: string | undefined): Promise<SpawnDecision> {
  const { policy, invocations } = await decisionInputs(s)
  if (!s.snapshot) return withoutSnapshot(e, policy)
  // The invoke tool's call: the tool's own id names it, and the tool reads the guard's reason when it is denied.
  const pending = s.pending
    .get(pendingKey(e.parentAgentId, e.subagentType, e.prompt))
    ?.find((p) => p.invocation === undefined && p.denied === undefined)
  const own = pending && !invocations.has(pending.id) ? pending.id : e.tool_use_id
  // A Workflow run's agents share its tool_use_id, and a fork no tool call starts has none: each spawn gets its own id.
  const id =
    own && !invocations.has(own)
      ? own
      : `${own || 'spawn'}#${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  // A resume (SendMessage to a finished agent) is a call from the sender; Claude Code ignores a rewrite of it.
  const decided = await decideCallHere(s, policy, invocations, {
    id,
    agentId: e.parentAgentId,
    target: e.subagentType,
    kind: 'agent',
    text: e.resume ? '' : e.prompt,
    ...(origin ? { origin } : {}),
    resolved: true,
  })
  if (pending) {
    if ('deny' in decided) pending.denied = decided.deny.replace(/^Switchboard: /, '')
    else pending.invocation = decided.traced ? id : null
  }
  if ('deny' in decided) return decided
  // A built-in agent: not checked, but remembered, so a chain through it keeps its callers (and one
  // another plugin's code started works for that plugin, never for the user).
  if (!decided.traced)
    return {
      event: e,
      type: e.subagentType,
      invocation: null,
      ...(pending ? { invoke: true } : {}),
      ...(isModuleCaller(decided.caller) ? { worksFor: decided.caller } : {}),
    }
  return {
    event: decided.text === undefined ? e : { ...e, prompt: decided.text },
    type: decided.type,
    invocation: id,
    ...(pending ? { invoke: true } : {}),
  }
}

/** One call, as both the Agent and the Skill tool make it: the caller's loop, the target, and its prompt or args. */
interface CallHere {
  id: string
  /** The calling agent (absent from the main thread). */
  agentId: string | undefined
  target: string
  kind: 'agent' | 'skill'
  /** The prompt (Agent) or args (Skill), where context references are written. */
  text: string
  /** The plugin whose code made the call (`next.origin`), when not Claude Code's own tools. */
  origin?: string
  /** The target is the id Claude Code resolved (agent.spawn), not a caller's spelling. */
  resolved?: boolean
  /**
   * A command the person typed: the main thread's own call, whoever's turn ran before it (a plugin's turn
   * ends when the command's starts, which Claude Code counts only after the command is decided).
   */
  typed?: boolean
}

export type DecideCallHere = typeof decideCallHere

/**
 * A denial is decided whether or not its record is written: a write that fails (a full disk, a log made
 * read-only by a model's Bash step) must not turn it into a guard failure, which open mode lets run.
 */
export async function recordDenial(s: SessionState, record: Parameters<SessionState['append']>[0]): Promise<void> {
  await s.append(record).catch(() => undefined)
}

/**
 * The guard's decision on a call and its record, the same for agents and skills: decide, plan the
 * context, write values moved to files, and append the call. `text` is the rewritten prompt or args.
 */
export async function decideCallHere(
  s: SessionState,
  policy: Policy,
  invocations: Map<string, Invocation>,
  call: CallHere,
): Promise<
  { deny: string } | { traced: false; caller: string | null } | { traced: true; type: string; text: string | undefined }
> {
  const {
    type: callerType,
    invocation: callerInvocation,
    via,
    lost,
  } = callerOf(call.typed ? { ...s, mainTurn: undefined } : s, call.agentId, invocations, call.origin)
  const verdict = decideCall(
    {
      callerType,
      callerInvocation,
      target: call.target,
      kind: call.kind,
      ...(via ? { via } : {}),
      ...(call.resolved ? { resolved: true } : {}),
    },
    s.snapshot!,
    policy,
    invocations,
  )
  const base = {
    e: 'call' as const,
    id: call.id,
    parent: callerInvocation?.id ?? null,
    caller: callerType ?? 'main',
    callerAgent: call.agentId ?? null,
    target: verdict.target,
    ...(verdict.target !== call.target ? { asked: call.target } : {}),
    kind: call.kind,
    ts: Date.now(),
    // By the id the call resolved to: a helper's `/plugin:skill` is the call its step planned as `plugin:skill`.
    ...workflowTagOf(s, verdict.target, call.text),
  }
  if (!verdict.allow) {
    await recordDenial(s, { ...base, status: 'denied', reason: verdict.reason })
    return { deny: `Switchboard: ${verdict.reason}` }
  }
  // The session's earlier calls could not be read (module-log.ts): its chains cannot be counted, so a call the
  // guard tracks is refused in either mode, as the settings hooks refuse it (hooks/pre-tool-use.ts, uncounted).
  // Failing open instead would let a log planted before a resume switch the guard off.
  // Past the bound on hops up the loops neither the caller nor its chain is known: refused as uncounted.
  const uncounted =
    s.uncounted ?? (lost ? 'the call is made more than 64 agents below the nearest one Switchboard knows' : undefined)
  if (uncounted && verdict.track) {
    const reason = `unchecked: ${uncounted}.`
    await recordDenial(s, { ...base, status: 'denied', reason })
    return { deny: `Switchboard: ${reason}` }
  }
  if (!verdict.track || !verdict.component) return { traced: false, caller: callerType }
  const field = call.kind === 'agent' ? 'prompt' : 'args'
  const chain = ['main', ...chainOf(invocations, callerInvocation?.id ?? null).map((i) => i.target)]
  let injection: ReturnType<typeof planInjection>
  try {
    // Slots are read only for a call that can use them (a reference or a directive in its text).
    const slots = /[$]|\[\[switchboard/.test(call.text) ? await s.slots() : new Map()
    injection = planInjection({
      invocation: call.id,
      caller: callerType ?? 'main',
      chain,
      component: verdict.component,
      ...(verdict.runsAs ? { runsAs: verdict.runsAs } : {}),
      toolInput: { [field]: call.text },
      slot: (name) => slots.get(name),
      slotNames: () => [...slots.keys()],
      filesDir: `${s.dir}/context/files`,
    })
    if (injection.kind === 'rewrite')
      await Promise.all(injection.files.map((file) => s.writeValueFile(file.path, file.text)))
  } catch (thrown) {
    // A context that cannot be read or written (a file put in the context folder's place, a link where a value
    // goes) is the session's state the guard cannot read: the call is refused in either mode, as an unreadable
    // log refuses it. Thrown to the handler's catch, open mode ran it unchecked (found by review).
    const reason = `unchecked: this session's context cannot be read or written (${inert(messageOf(thrown))}), so the call cannot be given its context. Fix or remove ${s.dir}/context and call again.`
    await recordDenial(s, { ...base, status: 'denied', reason })
    return { deny: `Switchboard: ${reason}` }
  }
  if (injection.kind === 'deny') {
    await recordDenial(s, { ...base, status: 'denied', reason: injection.reason })
    return { deny: `Switchboard: ${injection.reason}` }
  }
  // Written before the call starts: a spawned agent runs as soon as `next` has started it, before this hook
  // answers (2.1.332), so a start written beside it could land after the agent's first request, and a crash
  // then lose the call that was running (demo.e2e kills Claude Code as a workflow's last step starts).
  await s.append({
    ...base,
    status: 'running',
    ...(verdict.note ? { reason: verdict.note } : {}),
    ...(injection.kind === 'rewrite' && injection.into ? { into: injection.into } : {}),
    ...(verdict.runsAs ? { runsAs: verdict.runsAs } : {}),
    ...(verdict.loads ? { loads: verdict.loads } : {}),
  })
  return {
    traced: true,
    type: verdict.component.id,
    text: injection.kind === 'rewrite' ? String(injection.toolInput[field]) : undefined,
  }
}

export async function report($: Engine, s: SessionState, e: ReportEvent, result: ReportResult): Promise<ReportResult> {
  const unchecked = s.unchecked.get(e.agentId)
  if (unchecked && !('consumed' in result)) return { ...result, text: `${result.text}\n\n${unchecked}` }
  const agent = s.agents.get(e.agentId)
  if (!agent?.invocation || 'consumed' in result) return result
  const invocation = foldInvocations(s.ownRecords()).get(agent.invocation) // the module recorded this call itself
  if (!invocation || invocation.target !== agent.type) return result
  // The agent's tokens come from Claude Code's agent list, a hop its caller need not wait for: they join the
  // end's record behind the report (2 to 5 ms of each nested call, 2.1.332 debug log).
  const tokens = agentTokens($, e.agentId)
  const reading = await captureReturn($, s, invocation, e.text)
  if (agent.invoke) s.returns.set(e.agentId, { text: e.text, reading })
  // A return that breaks its contract is a failed call in the trace, with the problem as its reason
  // (docs/protocol.md "Typed returns"); its caller reads the same problem with the report.
  s.appendEndBehind(
    {
      e: 'end',
      id: invocation.id,
      status: e.status === 'completed' && !reading.problem ? 'ok' : 'failed',
      ts: Date.now(),
      durationMs: Date.now() - invocation.start,
      ...(e.status !== 'completed'
        ? { reason: `the agent ${e.status}` }
        : reading.problem
          ? { reason: reading.problem }
          : {}),
    },
    tokens.then((count) => (count === undefined ? undefined : { tokens: count })),
  )
  // The caller that waits for this report reads the problem with it, whoever and wherever it is.
  return reading.problem ? { ...result, text: `${result.text}\n\n${reading.problem}` } : result
}

/**
 * An agent's tokens as its row in Claude Code's agent list counts them: its latest request's input and
 * all its output, the count the Agent tool reports as totalTokens to a PostToolUse in settings mode.
 * Undefined before its first request, or where the list does not answer (the trace then shows none).
 */
async function agentTokens($: Engine, agentId: string): Promise<number | undefined> {
  const row = (await $.agent.list().catch(() => [])).find((agent) => agent.id === agentId)
  return row?.tokenCount ? row.tokenCount : undefined
}

/** A response's tokens: its input, cached or not, and its output. */
function usageTokens(usage: TurnUsage): number {
  return (
    usage.input_tokens +
    (usage.cache_read_input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    usage.output_tokens
  )
}

/**
 * A Skill call (a plugin's command or skill): checked, given its context and recorded like an agent
 * call. A skill runs inline in its caller, so it ends when the tool answers.
 */
export async function skill(
  s: SessionState,
  e: SkillCallEvent,
  next: Next<SkillCallEvent, ToolCallResult>,
): Promise<ToolCallResult> {
  const decided = await s.exclusive(() => decideSkill(s, e, next.origin?.plugin))
  if ('deny' in decided) return decided
  const started = Date.now()
  const result = await next(decided.event)
  // A forked skill's report may have ended it already (report).
  if (decided.traced && foldInvocations(s.ownRecords()).get(e.tool_use_id)?.status === 'running') {
    const failed = 'deny' in result || result.isError === true
    s.appendBehind({
      e: 'end',
      id: e.tool_use_id,
      status: failed ? 'failed' : 'ok',
      ts: Date.now(),
      durationMs: Date.now() - started,
    })
  }
  return result
}

async function decideSkill(
  s: SessionState,
  e: SkillCallEvent,
  origin: string | undefined,
): Promise<{ deny: string } | { event: SkillCallEvent; traced: boolean }> {
  const { policy, invocations } = await decisionInputs(s)
  if (!s.snapshot) {
    const verdict = withoutSnapshotVerdict(policy, e.skill)
    return verdict && 'deny' in verdict ? verdict : { event: e, traced: false }
  }
  const decided = await decideCallHere(s, policy, invocations, {
    id: e.tool_use_id,
    agentId: e.agentId,
    target: e.skill,
    kind: 'skill',
    text: e.args ?? '',
    ...(origin ? { origin } : {}),
  })
  if ('deny' in decided) return decided
  if (!decided.traced) return { event: e, traced: false }
  return { event: decided.text === undefined ? e : { ...e, args: decided.text }, traced: true }
}

/** A Workflow agent's turn ended: its answer is its return (captured, checked), and its call ends. */
export async function workflowAgentDone(
  $: Engine,
  s: SessionState,
  e: TurnCompleteEvent,
  result: TurnCompleteResult,
): Promise<TurnCompleteResult> {
  const agent = e.agentId ? s.agents.get(e.agentId) : undefined
  if (!agent?.workflow || !agent.invocation) return result
  const invocation = foldInvocations(s.ownRecords()).get(agent.invocation)
  if (invocation?.status !== 'running') return result
  const reading = await captureReturn($, s, invocation, result.text)
  // Claude Code's agent list holds no Workflow agent: the turn's last response counts, as the Agent tool's totalTokens does.
  const tokens = result.usage ? usageTokens(result.usage) : undefined
  s.appendBehind({
    e: 'end',
    id: invocation.id,
    status: e.reason === 'answer' && !reading.problem ? 'ok' : 'failed',
    ts: Date.now(),
    durationMs: Date.now() - invocation.start,
    ...(tokens === undefined ? {} : { tokens }),
    ...(reading.problem
      ? { reason: reading.problem }
      : e.reason === 'answer'
        ? {}
        : { reason: `the turn ended: ${e.reason}` }),
  })
  return result
}

/** A call's return read as its target's contract says, and stored in its slot when it fits. */
async function captureReturn($: Engine, s: SessionState, invocation: Invocation, text: string): Promise<ReturnReading> {
  const component = s.snapshot ? findComponent(s.snapshot, invocation.target) : undefined
  const reading = await readReturnHere($, invocation, text, component)
  if (!reading.slot) return reading
  try {
    await s.writeSlot({ ...reading.slot, ts: Date.now() })
    return reading
  } catch (thrown) {
    return { ...reading, slot: undefined, problem: notStored(reading.slot.name, thrown) }
  }
}

/**
 * No usable snapshot: the call runs unchecked and its caller is told so with the report (a spawn has
 * no other channel to the model); strict mode refuses it, as the settings hook does.
 */
function withoutSnapshot(e: SpawnEvent, policy: Policy): SpawnDecision {
  const verdict = withoutSnapshotVerdict(policy, e.subagentType)
  if (verdict && 'deny' in verdict) return verdict
  return { event: e, type: e.subagentType, invocation: null, ...verdict }
}

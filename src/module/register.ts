/**
 * Switchboard's hooks module: the guard, context passing, return capture and the trace inside Claude
 * Code's own process (2.1.287+), with no process started per call. Bundled to hooks/bin/module.mjs
 * and named in hooks/hooks.json under `modules`; where modules do not load (2.1.197, mods switched
 * off) the settings hooks do the whole job. The decisions are the core's, the same functions the
 * settings hooks call (guard/core.ts); this file only wires them to `$`.
 *
 * - classic.SessionStart: sets SWITCHBOARD_RUNTIME=module and SWITCHBOARD_RUNTIME_SESSION=<session id>
 *   in Claude Code's environment, which the settings hooks it starts afterwards inherit: their
 *   shell-form entries in hooks.json step aside when the session is their own, so one call never gets
 *   two decisions or two records, and Switchboard's SessionStart hook, which runs inside `next(e)`,
 *   says this session runs the module (trace/runtime.ts; docs/claude-code-notes.md "Mods").
 * - agent.spawn: every agent start with its caller's exact id: decide, inject context, record.
 * - agent.report: every report before its caller reads it: capture the return into its slot, check
 *   it against the output contract, and tell the caller (main thread or agent, foreground or
 *   background) when it does not match.
 * - tool.call for Skill: commands and skills checked, given context and recorded like agents.
 * - the invoke tool (`$.tool.register` at classic.SessionStart, answered at its tool.call): plans a call
 *   with the planner plan_call uses, makes it as the caller's own Agent call (so agent.spawn above
 *   decides it), and answers typed JSON (invoke-tool.ts).
 * - skill.prompt for /switchboard:invoke, /switchboard:run and the orchestrate skill: point the model at
 *   the invoke tool, which exists only where this module runs (settings mode keeps plan_call), and
 *   which also runs workflows (workflow-run.ts).
 * - turn.start, session.send, command.run: forked skills placed under their call (loops.ts), messages
 *   to another plugin's running agent checked (messages.ts), commands the person types (commands.ts).
 * Who the caller of each call is, through built-in agents, forks and plugins' code: callers.ts.
 */
import {
  decideCall,
  findComponent,
  INVOKE_INPUT_SCHEMA,
  mergePolicy,
  planInjection,
  policyProblem,
  readReturn,
} from '../guard/core.ts'
import type { Policy, ReturnReading } from '../guard/core.ts'
import { chainOf, foldInvocations } from '../trace/core.ts'
import type { Invocation } from '../trace/core.ts'
import { contractProblems } from '../manifest/validate-contract.ts'
import { callerOf } from './callers.ts'
import { commandRun } from './commands.ts'
import {
  INVOKE_FAILED,
  INVOKE_TOOL_DESCRIPTION,
  INVOKE_TOOL_NAME,
  invokeCommandPrompt,
  invokeTool,
  orchestratePrompt,
  runCommandPrompt,
} from './invoke-tool.ts'
import { loopStarted } from './loops.ts'
import { messageSent } from './messages.ts'
import type {
  Engine,
  Next,
  On,
  ReportEvent,
  ReportResult,
  SkillCallEvent,
  SpawnEvent,
  SpawnResult,
  ToolCallResult,
  TurnCompleteEvent,
  TurnCompleteResult,
} from './mod-api.ts'
import { openSession, pendingKey } from './session-state.ts'
import { workflowTagOf } from './workflow-run.ts'
import type { SessionState } from './session-state.ts'

export const RUNTIME_VARIABLE = 'SWITCHBOARD_RUNTIME'

// The session the handlers work on, opened on first use. Module state, not a closure: Claude Code's
// loader accepts `$` passed only to functions declared at the top of the file (`claude plugin validate`).
let session: Promise<SessionState> | undefined
let projectDir = '.'
/** The session's transcript (classic.SessionStart): agents' transcripts lie beside it, for workflow turn budgets. */
let transcriptPath: string | undefined

export function register(on: On): void {
  // At every session start (startup, resume, /clear, compact), before the settings SessionStart hooks
  // start (they run inside next), which inherit both variables. (session.start fires after them, and not on /clear.)
  on('classic.SessionStart', async ($, e, next) => {
    projectDir = e.cwd
    transcriptPath = e.transcript_path || undefined
    session = undefined // a new session: read its state afresh
    await $.env.set('SWITCHBOARD_RUNTIME', 'module') // string literals: `claude plugin validate` lists them
    await $.env.set('SWITCHBOARD_RUNTIME_SESSION', e.session_id)
    return next(e)
  }).catch(($, e, next) => next(e))

  // The invoke tool, in the prompt's tool list from the first turn (not behind ToolSearch): /switchboard:invoke
  // names it. At session.start: `$.tool.register` rejects until the session binds there.
  on('session.start', async ($, e, next) => {
    await $.tool.register({
      name: INVOKE_TOOL_NAME,
      description: INVOKE_TOOL_DESCRIPTION,
      inputSchema: INVOKE_INPUT_SCHEMA,
      isDeferred: false,
    })
    return next(e)
  }).catch(($, e, next) => next(e))

  on('agent.spawn', async ($, e, next) => spawn(await sessionOf($), e, next)).catch(async ($, e, next) =>
    spawnUnchecked($, e, next),
  )

  on('agent.report', async ($, e, next) =>
    withGuardFailure(e, await report(await sessionOf($), e, await next(e))),
  ).catch(async ($, e, next) => withGuardFailure(e, await next(e)))

  // A Workflow run's agents answer to its script, and no agent.report fires for them: their turn's end closes their call.
  on('turn.complete', async ($, e, next) => workflowAgentDone(await sessionOf($), e, await next(e))).catch(
    ($, e, next) => next(e),
  )

  on('tool.call', { tool: 'Skill' }, async ($, e, next) => skill(await sessionOf($), e, next)).catch(
    async ($, e, next) => ((await guardFailed($)) && !next.called ? GUARD_FAILED : next(e)),
  )

  // The tool has no core beneath: a failure answers typed JSON rather than the engine's "no hook answered".
  // `mcp__<plugin>__<name>` of the tool registered above, spelled as a literal so `claude plugin validate` lists it.
  // A workflow's backoffs wait with $.clock.sleep, which its own-time budget pays: keep 3 s for the rest.
  on('tool.call', { tool: 'mcp__switchboard__invoke' }, async ($, e, next) =>
    invokeTool(
      await sessionOf($),
      $,
      e,
      { projectDir, transcriptPath },
      Number.isFinite(next.budget?.remainingMs) ? Math.max(0, next.budget!.remainingMs - 3000) : undefined,
    ),
  ).catch(() => INVOKE_FAILED)

  on('skill.prompt', { skill: 'switchboard:invoke' }, async ($, e, next) => ({
    text: invokeCommandPrompt((await next(e)).text),
  })).catch(($, e, next) => next(e))
  on('skill.prompt', { skill: 'switchboard:run' }, async ($, e, next) => ({
    text: runCommandPrompt((await next(e)).text),
  })).catch(($, e, next) => next(e))
  on('skill.prompt', { skill: 'switchboard:orchestrate' }, async ($, e, next) => ({
    text: orchestratePrompt((await next(e)).text),
  })).catch(($, e, next) => next(e))

  on('turn.start', async ($, e, next) => (e.agentId ? loopStarted($, await sessionOf($), e, next) : next(e))).catch(
    ($, e, next) => next(e),
  )

  on('session.send', async ($, e, next) => messageSent($, await sessionOf($), e, next)).catch(async ($, e, next) =>
    (await guardFailed($)) && !next.called ? { isDelivered: false, reason: GUARD_FAILED.deny } : next(e),
  )

  on('command.run', async ($, e, next) => commandRun(await sessionOf($), e, next, decideCallHere)).catch(
    async ($, e, next) => ((await guardFailed($)) && !next.called ? { text: GUARD_FAILED.deny } : next(e)),
  )
}

const GUARD_FAILED = {
  deny: 'Switchboard: the guard failed on this call, and strict mode refuses calls it cannot check. See the debug log.',
}

/**
 * Whether a guard that threw refuses the call: our failure must not block the user's work, unless they
 * chose strict mode (SWITCHBOARD_STRICT=1, or `strict` in a policy file, or a policy file that cannot be
 * read, which may have said so; docs/security.md).
 */
async function guardFailed($: Engine): Promise<boolean> {
  if ((await $.env.get('SWITCHBOARD_STRICT')) === '1') return true
  try {
    const s = await sessionOf($)
    const policy = mergePolicy(await s.policy(), s.env)
    return policy.strict || policy.problems.length > 0
  } catch {
    return false // the session itself is what failed: nothing says strict
  }
}

/** Agents the guard failed on and let run (open mode), with what their caller is told at the report. */
const guardFailures = new Map<string, string>()

/** A spawn whose guard threw: refused in strict mode, else started, and its caller told at the report that it ran unchecked. */
async function spawnUnchecked(
  $: Engine,
  e: SpawnEvent,
  next: Next<SpawnEvent, SpawnResult> & { error?: unknown },
): Promise<SpawnResult> {
  if ((await guardFailed($)) && !next.called) return GUARD_FAILED
  const result = await next(e)
  const why = next.error instanceof Error ? next.error.message : String(next.error ?? 'unknown error')
  if ('agentId' in result && result.agentId)
    guardFailures.set(
      result.agentId,
      `Switchboard: the guard failed on this call to ${e.subagentType} (${why.slice(0, 200)}), so it ran unchecked and may be missing from the trace. Outside strict mode Switchboard lets such calls run; the debug log (claude --debug) has the error.`,
    )
  return result
}

/** The report of an agent the guard failed on, with that said to its caller. */
function withGuardFailure(e: ReportEvent, result: ReportResult): ReportResult {
  const note = guardFailures.get(e.agentId)
  if (!note || 'consumed' in result) return result
  guardFailures.delete(e.agentId)
  return { ...result, text: `${result.text}\n\n${note}` }
}

function sessionOf($: Engine): Promise<SessionState> {
  if (!session) {
    const opening = openSession($, projectDir)
    session = opening
    // A session that failed to open is tried again at the next event, not held broken for good.
    opening.catch(() => {
      if (session === opening) session = undefined
    })
  }
  return session
}

// --- internal ---

async function spawn(s: SessionState, e: SpawnEvent, next: Next<SpawnEvent, SpawnResult>): Promise<SpawnResult> {
  // Decide and record under the session's queue, then start the agent outside it.
  const decided = await s.exclusive(() => decideSpawn(s, e, next.origin?.plugin))
  if ('deny' in decided) return decided
  const result = await next(decided.event)
  if ('agentId' in result && result.agentId) {
    s.agents.set(result.agentId, {
      type: decided.type,
      parentAgentId: e.parentAgentId,
      invocation: decided.invocation,
      ...(e.workflow ? { workflow: true } : {}),
      ...(decided.invoke ? { invoke: true } : {}),
    })
    if (decided.unchecked) s.unchecked.set(result.agentId, decided.unchecked)
    if (decided.invocation)
      await s.append({ e: 'link', id: decided.invocation, agent: result.agentId, ts: Date.now(), how: 'module' })
  }
  return result
}

/** What becomes of a spawn: refused, or started (rewritten or not) as a traced call or an untraced one. */
type SpawnDecision =
  | { deny: string }
  | { event: SpawnEvent; type: string; invocation: string | null; unchecked?: string; invoke?: boolean }

async function decideSpawn(s: SessionState, e: SpawnEvent, origin: string | undefined): Promise<SpawnDecision> {
  const policy = mergePolicy(await s.policy(), s.env)
  if (!s.snapshot) return withoutSnapshot(e, policy)
  const invocations = foldInvocations(await s.records())
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
  })
  if (pending) {
    if ('deny' in decided) pending.denied = decided.deny.replace(/^Switchboard: /, '')
    else pending.invocation = decided.traced ? id : null
  }
  if ('deny' in decided) return decided
  // A built-in agent: not checked, but remembered, so a chain through it keeps its callers.
  if (!decided.traced) return { event: e, type: e.subagentType, invocation: null, ...(pending ? { invoke: true } : {}) }
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
}

export type DecideCallHere = typeof decideCallHere

/**
 * The guard's decision on a call and its record, the same for agents and skills: decide, plan the
 * context, write values moved to files, and append the call. `text` is the rewritten prompt or args.
 */
async function decideCallHere(
  s: SessionState,
  policy: Policy,
  invocations: Map<string, Invocation>,
  call: CallHere,
): Promise<{ deny: string } | { traced: false } | { traced: true; type: string; text: string | undefined }> {
  const { type: callerType, invocation: callerInvocation, via } = callerOf(s, call.agentId, invocations, call.origin)
  const verdict = decideCall(
    { callerType, callerInvocation, target: call.target, kind: call.kind, ...(via ? { via } : {}) },
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
    ...workflowTagOf(s, call.target, call.text),
  }
  if (!verdict.allow) {
    await s.append({ ...base, status: 'denied', reason: verdict.reason })
    return { deny: `Switchboard: ${verdict.reason}` }
  }
  if (!verdict.track || !verdict.component) return { traced: false }
  const field = call.kind === 'agent' ? 'prompt' : 'args'
  // Slots are read only for a call that can use them (a reference or a directive in its text).
  const slots = /[$]|\[\[switchboard/.test(call.text) ? await s.slots() : new Map()
  const chain = ['main', ...chainOf(invocations, callerInvocation?.id ?? null).map((i) => i.target)]
  const injection = planInjection({
    invocation: call.id,
    caller: callerType ?? 'main',
    chain,
    component: verdict.component,
    toolInput: { [field]: call.text },
    slot: (name) => slots.get(name),
    slotNames: () => [...slots.keys()],
    filesDir: `${s.dir}/context/files`,
  })
  if (injection.kind === 'deny') {
    await s.append({ ...base, status: 'denied', reason: injection.reason })
    return { deny: `Switchboard: ${injection.reason}` }
  }
  if (injection.kind === 'rewrite') await Promise.all(injection.files.map((file) => s.write(file.path, file.text)))
  await s.append({
    ...base,
    status: 'running',
    ...(verdict.note ? { reason: verdict.note } : {}),
    ...(injection.kind === 'rewrite' && injection.into ? { into: injection.into } : {}),
  })
  return {
    traced: true,
    type: verdict.component.id,
    text: injection.kind === 'rewrite' ? String(injection.toolInput[field]) : undefined,
  }
}

async function report(s: SessionState, e: ReportEvent, result: ReportResult): Promise<ReportResult> {
  const unchecked = s.unchecked.get(e.agentId)
  if (unchecked && !('consumed' in result)) return { ...result, text: `${result.text}\n\n${unchecked}` }
  const agent = s.agents.get(e.agentId)
  if (!agent?.invocation || 'consumed' in result) return result
  const invocation = foldInvocations(s.ownRecords()).get(agent.invocation) // the module recorded this call itself
  if (!invocation || invocation.target !== agent.type) return result
  const reading = await captureReturn(s, invocation, e.text)
  if (agent.invoke) s.returns.set(e.agentId, { text: e.text, reading })
  await s.append({
    e: 'end',
    id: invocation.id,
    status: e.status === 'completed' ? 'ok' : 'failed',
    ts: Date.now(),
    durationMs: Date.now() - invocation.start,
    ...(e.status === 'completed' ? {} : { reason: `the agent ${e.status}` }),
  })
  // The caller that waits for this report reads the problem with it, whoever and wherever it is.
  return reading.problem ? { ...result, text: `${result.text}\n\n${reading.problem}` } : result
}

/**
 * A Skill call (a plugin's command or skill): checked, given its context and recorded like an agent
 * call. A skill runs inline in its caller, so it ends when the tool answers.
 */
async function skill(
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
    await s.append({
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
  if (!s.snapshot) return { event: e, traced: false } // as the settings hook: unchecked without a snapshot
  const policy = mergePolicy(await s.policy(), s.env)
  const decided = await decideCallHere(s, policy, foldInvocations(await s.records()), {
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
async function workflowAgentDone(
  s: SessionState,
  e: TurnCompleteEvent,
  result: TurnCompleteResult,
): Promise<TurnCompleteResult> {
  const agent = e.agentId ? s.agents.get(e.agentId) : undefined
  if (!agent?.workflow || !agent.invocation) return result
  const invocation = foldInvocations(s.ownRecords()).get(agent.invocation)
  if (invocation?.status !== 'running') return result
  const reading = await captureReturn(s, invocation, result.text)
  await s.append({
    e: 'end',
    id: invocation.id,
    status: e.reason === 'answer' && !reading.problem ? 'ok' : 'failed',
    ts: Date.now(),
    durationMs: Date.now() - invocation.start,
    ...(reading.problem
      ? { reason: reading.problem }
      : e.reason === 'answer'
        ? {}
        : { reason: `the turn ended: ${e.reason}` }),
  })
  return result
}

/** A call's return read as its target's contract says, and stored in its slot when it fits. */
async function captureReturn(s: SessionState, invocation: Invocation, text: string): Promise<ReturnReading> {
  const component = s.snapshot ? findComponent(s.snapshot, invocation.target) : undefined
  const reading = readReturn(invocation, text, component, contractProblems)
  if (reading.slot) await s.writeSlot({ ...reading.slot, ts: Date.now() })
  return reading
}

/**
 * No usable snapshot: the call runs unchecked and its caller is told so with the report (a spawn has
 * no other channel to the model); strict mode refuses it, as the settings hook does.
 */
function withoutSnapshot(e: SpawnEvent, policy: Policy): SpawnDecision {
  const problem = policyProblem(policy)
  if (problem) return { deny: `Switchboard: ${problem}` }
  if (!e.subagentType.includes(':')) return { event: e, type: e.subagentType, invocation: null }
  const unchecked = `Switchboard has no usable registry snapshot for this session (its SessionStart hook did not finish; \`switchboard doctor\` says why), so it cannot check this call to ${e.subagentType}.`
  if (policy.strict)
    return {
      deny: `${unchecked} Strict mode refuses calls it cannot check. Run \`switchboard sync\` and start a new session.`,
    }
  return {
    event: e,
    type: e.subagentType,
    invocation: null,
    unchecked: `${unchecked} It ran unchecked and untraced. Run \`switchboard sync\` and start a new session.`,
  }
}

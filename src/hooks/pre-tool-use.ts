/**
 * PreToolUse on Agent|Task, Skill and Workflow: every call to a plugin component gets an invocation (its
 * tool_use_id) and a parent (the invocation the caller runs in), and is checked: cycle, depth,
 * budget, policy, private components, missing targets, version ranges. A denial is a deny decision
 * whose reason the model reads.
 *
 * Fails open by default (our bug must not block the user's work); fails closed when the user's
 * policy says strict (docs/security.md).
 */
import {
  decideCall,
  loadPolicy,
  policyProblem,
  SCHEDULING_TOOLS,
  schedulingProblem,
  withoutSnapshotVerdict,
} from '../guard/index.ts'
import type { Policy, Snapshot } from '../guard/index.ts'
import { isSwitchboardError } from '../common/index.ts'
import { callTarget, PreToolUseInputSchema } from '../protocol/index.ts'
import type { PreToolUseInput } from '../protocol/index.ts'
import { appendRecord, chainOf, readSessionSnapshot, SessionLockError, withSessionLockAsync } from '../trace/index.ts'
import { HookFailure } from './run-hook.ts'
import type { HookDefinition, HookEnv } from './run-hook.ts'
import { handOut } from '../workflow/guided.ts'
import { guidedCall, markGuidedCall } from './guided-step.ts'
import { injectContext } from './inject-context.ts'
import type { Injection } from '../guard/index.ts'
import { resolveAgentInvocation, sessionFilesIn, sessionFilesOf, sessionFolder } from './session-files.ts'
import type { SessionFiles } from './session-files.ts'
import { strictMode } from './strict-mode.ts'

export const preToolUseHook: HookDefinition<PreToolUseInput> = {
  name: 'pre-tool-use',
  onFailure: (env) => (strictMode(env) ? 'closed' : 'open'),
  input: PreToolUseInputSchema,
  handle: async (input, env, elapsedMs) => {
    const projectDir = env.CLAUDE_PROJECT_DIR || input.cwd
    if (input.tool_name === 'Workflow') return workflowUnguarded(loadPolicy(env, projectDir))
    if (SCHEDULING_TOOLS.has(input.tool_name)) return scheduling(input, env)
    const call = callTarget(input.tool_name, input.tool_input)
    if (!call) return undefined
    const policy = loadPolicy(env, projectDir)
    const folder = sessionFolder(input.session_id, input.cwd, env)
    try {
      // A timer's wait: the server goes on reading the calls that arrive meanwhile (session-lock.ts).
      return await withSessionLockAsync(folder, () => guard(input, call, policy, folder), {
        timeoutMs: lockTimeout(elapsedMs()),
      })
    } catch (thrown) {
      if (!(thrown instanceof SessionLockError)) throw thrown
      // Busy: a call that could not be checked is refused, never let past a budget; the model can retry.
      if (thrown.code === 'SESSION_LOCK_BUSY') return deny(`busy: ${thrown.message}. ${thrown.fix}.`)
      throw new HookFailure(thrown.message, thrown.fix) // an unwritable folder: fail open or closed per mode
    }
  },
}

/**
 * What is left of the hook's time for waiting on the lock. Claude Code kills the hook after 10 s
 * (the companion's hooks.json) and then treats the call as undecided, which lets it through; so stop
 * waiting 8 s after the hook started (`elapsed`: from the call's arrival in the MCP server, or a process's
 * own start, which on a loaded machine can take seconds), leaving time for the decision or a "busy"
 * denial. One attempt is always made.
 */
function lockTimeout(elapsed: number): number {
  return Math.max(0, Math.round(8_000 - elapsed))
}

/** Read the log, decide, append: inside the session lock, so parallel calls see each other. */
function guard(
  input: PreToolUseInput,
  call: { target: string; kind: 'agent' | 'skill' },
  policy: Policy,
  folder: string,
) {
  const snapshot = readSessionSnapshot(folder)
  if (!snapshot) return withoutSnapshot(call, policy)
  let files: SessionFiles
  try {
    files = sessionFilesIn(folder)
  } catch (thrown) {
    if (!isSwitchboardError(thrown) || thrown.code !== 'CALL_LOG_UNREADABLE') throw thrown
    return uncounted(call, snapshot, policy, thrown.message)
  }
  // A guided workflow run's call: admitted only as handed out, made with its planned input (guided-step.ts).
  const guided = guidedCall(files.dir, input.tool_name, input.tool_input)
  if (guided?.match.role === 'refused') return deny(guided.match.problem)
  const step = guided?.match.role === 'call' ? guided.match.expected : undefined
  // A helper agent starts with the prompt the run handed out, whatever the model wrote around the token: told
  // to make the Skill call and then answer anything, its made-up answer was the step's value (found by review).
  const helper = guided?.match.role === 'helper' ? handOut(guided.match.token, guided.match.expected) : undefined
  const toolInput = step ? { ...step.input } : helper ? { ...helper.input } : input.tool_input
  // What runs is judged: the run's planned input, which must name what its token was handed out for (a forged
  // workflow-guided.json paired an allowed target with another's input, and the call ran that one; found by review).
  const runs = step || helper ? callTarget(input.tool_name, toolInput) : call
  if (runs?.target !== call.target || runs.kind !== call.kind)
    return deny(
      `the workflow run's call for this token would run ${runs?.target ?? 'nothing'}, not ${call.target}: the run's state in the session folder was changed. Start the workflow again.`,
    )
  const callerInvocation = input.agent_id
    ? (resolveAgentInvocation(files, input.agent_id, input.agent_type, input.transcript_path) ?? null)
    : null
  const verdict = decideCall(
    { callerType: input.agent_type ?? null, callerInvocation, target: call.target, kind: call.kind },
    snapshot,
    policy,
    files.invocations,
  )
  // Context goes only into calls the guard tracks (plugin components): a built-in agent's "$HOME" is its own business.
  const injection: Injection =
    verdict.allow && verdict.track && verdict.component
      ? injectContext({
          sessionDir: files.dir,
          invocation: input.tool_use_id,
          caller: input.agent_type ?? 'main',
          callerInvocation,
          invocations: files.invocations,
          component: verdict.component,
          ...(verdict.runsAs ? { runsAs: verdict.runsAs } : {}),
          toolInput,
        })
      : { kind: 'none' }
  const reason = !verdict.allow ? verdict.reason : injection.kind === 'deny' ? injection.reason : undefined
  if (reason !== undefined || (verdict.allow && verdict.track) || injection.kind === 'rewrite') {
    appendRecord(files.dir, {
      e: 'call',
      id: input.tool_use_id,
      parent: callerInvocation?.id ?? null,
      caller: input.agent_type ?? 'main',
      callerAgent: input.agent_id ?? null,
      target: verdict.target,
      ...(verdict.target !== call.target ? { asked: call.target } : {}),
      kind: call.kind,
      ts: Date.now(),
      status: reason === undefined ? 'running' : 'denied',
      ...(reason !== undefined ? { reason } : verdict.allow && verdict.note ? { reason: verdict.note } : {}),
      ...(injection.kind === 'rewrite' && injection.into ? { into: injection.into } : {}),
      ...(verdict.allow && verdict.runsAs ? { runsAs: verdict.runsAs } : {}),
      ...(verdict.allow && verdict.loads ? { loads: verdict.loads } : {}),
      ...(call.kind === 'agent' && toolInput.run_in_background === true ? { background: true as const } : {}),
      ...(step
        ? {
            workflow: {
              run: step.run,
              name: step.workflow.name,
              step: step.step,
              ...(step.workflow.plugin ? { plugin: step.workflow.plugin } : {}),
            },
          }
        : {}),
    })
  }
  if (guided) markGuidedCall(files.dir, guided.runs, guided.match, input.tool_use_id, reason)
  if (reason !== undefined) return deny(reason)
  const updatedInput = injection.kind === 'rewrite' ? injection.toolInput : step || helper ? toolInput : undefined
  if (updatedInput) return { hookSpecificOutput: { hookEventName: 'PreToolUse', updatedInput } }
  return undefined
}

/**
 * A prompt queued for the main thread (guard/scheduled-prompts.ts): refused to a plugin's agent, or one
 * working for a traced call of a plugin's. Settings mode cannot tell who started a built-in agent (its call
 * is not traced), so one that a plugin's agent started passes here, as its calls do (docs/runtimes.md).
 */
function scheduling(input: PreToolUseInput, env: HookEnv) {
  // A plugin's agent, or the main thread run as one, is refused without reading the log.
  const direct = schedulingProblem(input.tool_name, [input.agent_type ?? null])
  if (direct) return deny(direct)
  if (!input.agent_id) return undefined // the person's own main thread
  const files = sessionFilesOf(input.session_id, input.cwd, env)
  const invocation = resolveAgentInvocation(files, input.agent_id, input.agent_type, input.transcript_path)
  const chain = invocation ? chainOf(files.invocations, invocation.id) : []
  const problem = schedulingProblem(
    input.tool_name,
    chain.flatMap((call) => [call.target, call.caller]),
  )
  return problem ? deny(problem) : undefined
}

/**
 * A call log that cannot be read (over its bound, or not a file): the session's chains cannot be counted,
 * so a call the guard tracks is refused, as one it could not check for a busy lock is. Failing open instead
 * let a model that first filled the log with long denied names pass every check after (found by review).
 * Built-in agents and the user's own, which the guard does not track, still run.
 */
function uncounted(call: { target: string; kind: 'agent' | 'skill' }, snapshot: Snapshot, policy: Policy, why: string) {
  const verdict = decideCall({ callerType: null, callerInvocation: null, ...call }, snapshot, policy, new Map())
  if (verdict.allow && !verdict.track) return undefined
  return deny(`unchecked: ${why}.`)
}

/**
 * No usable registry snapshot (SessionStart did not run, failed, or was stopped by a hostile plugin):
 * every call that may reach a plugin is unchecked, and the model and the user are told so each time;
 * strict mode refuses it.
 */
function withoutSnapshot(call: { target: string }, policy: Policy) {
  const verdict = withoutSnapshotVerdict(policy, call.target)
  if (!verdict) return undefined
  if ('deny' in verdict) return denyAsIs(verdict.deny)
  return {
    systemMessage: verdict.unchecked,
    hookSpecificOutput: { hookEventName: 'PreToolUse', additionalContext: verdict.unchecked },
  }
}

/**
 * The native Workflow tool where no hooks module runs (this hook only runs there: it steps aside for
 * the module): its script's agents start with no tool call, so no settings hook can check or trace
 * them, and they would pass the policy unseen. Strict mode refuses the tool; otherwise the model and
 * the user are told (docs/runtimes.md).
 */
function workflowUnguarded(policy: Policy) {
  const problem =
    "the agents a Workflow script starts are not checked or traced by Switchboard here: no hooks module runs in this session (Claude Code before 2.1.287, or mods switched off), and no settings hook sees them start, so your policy and the plugins' callers rules do not apply to them."
  if (policy.strict || policyProblem(policy))
    return deny(
      `${problem} Strict mode refuses the Workflow tool where it cannot be guarded; make the calls with the Agent tool, or use a Claude Code that loads hooks modules.`,
    )
  const message = `Switchboard: ${problem} Use the Agent tool for calls that must be guarded.`
  return { systemMessage: message, hookSpecificOutput: { hookEventName: 'PreToolUse', additionalContext: message } }
}

function deny(reason: string) {
  return denyAsIs(`Switchboard: ${reason}`)
}

/** A denial whose reason already says it is Switchboard's. */
function denyAsIs(reason: string) {
  return {
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
  }
}

/**
 * Switchboard's hooks module: the guard, context passing, return capture and the trace inside Claude
 * Code's own process (2.1.287+), with no process started per call. Bundled to hooks/bin/module.mjs
 * and named in hooks/hooks.json under `modules`; where modules do not load (2.1.197, mods switched
 * off) the settings hooks of the companion plugin switchboard-hooks do the whole job. The decisions
 * are the core's, the same functions the settings hooks call (guard/core.ts); this file only wires
 * them to `$`.
 *
 * - classic.SessionStart: sets SWITCHBOARD_RUNTIME=module and SWITCHBOARD_RUNTIME_SESSION=<session id>
 *   in Claude Code's environment, which the settings hooks it starts afterwards inherit: the
 *   companion's per-call hooks, should they load (plugin.register below keeps them out), step aside
 *   when the session is their own, so one call never gets two decisions or two records, and
 *   Switchboard's SessionStart hook, which runs inside `next(e)`,
 *   says this session runs the module (trace/runtime.ts; docs/claude-code-notes.md "Mods").
 * - agent.spawn: every agent start with its caller's exact id: decide, inject context, record.
 * - agent.report: every report before its caller reads it: capture the return into its slot, check
 *   it against the output contract, and tell the caller (main thread or agent, foreground or
 *   background) when it does not match.
 * - tool.call for Skill: commands and skills checked, given context and recorded like agents.
 * - the invoke tool (added to the session's tools at tool.list, answered at its tool.call): plans a call
 *   with the planner plan_call uses, makes it as the caller's own Agent call (so agent.spawn above
 *   decides it), and answers typed JSON (invoke-tool.ts).
 * - skill.prompt for /switchboard:invoke, /switchboard:run and the orchestrate skill: point the model at
 *   the invoke tool, which exists only where this module runs (settings mode keeps plan_call), and
 *   which also runs workflows (workflow-run.ts).
 * - session.append (rows a plugin caused): a main turn another plugin's code submitted or ran is that code's (submitted-prompts.ts).
 * - tool.call for CronCreate and ScheduleWakeup: a prompt queued for the main thread, refused to plugins (scheduling.ts).
 * - session.send, command.run: messages to another plugin's running agent checked (messages.ts),
 *   commands the person types (commands.ts). A forked skill's loop, which raises no agent.spawn, is
 *   placed under its call when it first calls or reports (loops.ts).
 * Who the caller of each call is, through built-in agents, forks and plugins' code: callers.ts.
 */
import { mergePolicy } from '../guard/core.ts'
import { commandRun } from './commands.ts'
import { otherPluginCode } from './callers.ts'
import {
  INVOKE_FAILED,
  INVOKE_TOOL,
  INVOKE_TOOL_NAME,
  invokeCommandPrompt,
  invokeFromCode,
  invokeTool,
  orchestratePrompt,
  runCommandPrompt,
} from './invoke-tool.ts'
import { placeUnseenLoop } from './loops.ts'
import { messageSent } from './messages.ts'
import { scheduling } from './scheduling.ts'
import { mainCompacted, mainTurnNow, pluginRowEntered } from './submitted-prompts.ts'
import { connectOwnServer, HELD, holdOwnServer, namesOwnTools } from './own-server.ts'
import type { Engine, Next, On, ReportEvent, ReportResult, SpawnEvent, SpawnResult } from './mod-api.ts'
import { prepareSession } from './session-start.ts'
import type { PreparedSession } from './session-start.ts'
import { claudeConfigDir, openSession, readPolicySources } from './session-state.ts'
import type { SessionState } from './session-state.ts'
import { decideCallHere, report, skill, spawn, workflowAgentDone } from './call-handling.ts'

export const RUNTIME_VARIABLE = 'SWITCHBOARD_RUNTIME'

// The session the handlers work on, opened on first use. Module state, not a closure: Claude Code's
// loader accepts `$` passed only to functions declared at the top of the file (`claude plugin validate`).
let session: Promise<SessionState> | undefined
/** The state a new session replaced, until its call log is written: the new state reads that file (a resume of it). */
let retired: Promise<void> = Promise.resolve()
/** The session id `session` belongs to: a compact restarts the session under the same id, and keeps its state. */
let sessionId: string | undefined
/** What classic.SessionStart prepared for the session (session-start.ts): its state opens from it. */
let preparedSession: PreparedSession | undefined
let projectDir = '.'
/** The session's transcript (classic.SessionStart): agents' transcripts lie beside it, for workflow turn budgets. */
let transcriptPath: string | undefined

export function register(on: On): void {
  // At every session start (startup, resume, /clear, compact), before the settings SessionStart hooks
  // start (they run inside next), which inherit both variables. (session.start fires after them, and not on /clear.)
  on('classic.SessionStart', async ($, e, next) => {
    // A new session (startup, /clear, /resume) reads its state afresh. A compaction (auto or /compact, a
    // subagent's too) is the same session: agents started before it still run, report and write the call
    // log through the state they hold, so a second state would lose their flags (invoke, workflow,
    // unchecked, whom a plugin's built-in agent works for) and overwrite their records in
    // calls-module.jsonl, which each state rewrites whole from its own copy. A subagent's compaction may
    // name its own folder: the session's project and transcript stay as the session started.
    if (e.source !== 'compact' || e.session_id !== sessionId) {
      // Chained: a second new session before the first opened still waits for the one before it.
      const replaced = session?.then((s) => s.flushed()).catch(() => undefined)
      retired = replaced ? Promise.all([retired, replaced]).then(() => undefined) : retired
      session = undefined
      sessionId = e.session_id
      projectDir = e.cwd
      transcriptPath = e.transcript_path || undefined
    }
    preparedSession = undefined
    // Where the session's snapshot is fresh, the module writes what the SessionStart hook would, and
    // that hook's node process steps aside for this session (session-start.ts; hooks.json).
    const [prepared] = await Promise.all([
      prepareSession($, e.session_id, e.cwd).catch(() => undefined),
      $.env.set('SWITCHBOARD_RUNTIME', 'module'), // string literals: `claude plugin validate` lists them
      $.env.set('SWITCHBOARD_RUNTIME_SESSION', e.session_id),
    ])
    // prepareSession set it with its files; where it did not finish, the hook must run (a value left
    // from an earlier prepare of this very session would have it step aside).
    if (prepared === undefined) await $.env.set('SWITCHBOARD_SESSION_READY', undefined)
    preparedSession = prepared
    const result = await next(e)
    return prepared === undefined
      ? result
      : { ...result, additionalContext: [...(result.additionalContext ?? []), prepared.context] }
  }).catch(async ($, e, next) => {
    // Whatever the handler got done, the hook does the session's start: a ready flag set with the
    // files must not outlive a handler that failed after it (the hook would step aside for nothing).
    if (!next.called) await $.env.set('SWITCHBOARD_SESSION_READY', undefined).catch(() => undefined)
    return next(e)
  })

  // The invoke tool joins the session's tool pool here, in the prompt's tool list from the first turn (not
  // behind ToolSearch), for the model and every agent whose `tools:` name it. Added at tool.list, not with
  // `$.tool.register` at session.start: that served it from a loopback MCP server Claude Code connected to
  // over HTTP before the first request (about 200 ms while the session starts, against about 20 ms for this
  // hop; docs/claude-code-notes.md). A failure leaves the pool as Claude Code built it: no tool, nothing else lost.
  // Another plugin's hook beneath may have added an entry under the same name: the description and schema
  // the model reads are Switchboard's (its calls are answered by the tool.call hook below either way).
  on('tool.list', async ($, e, next) => {
    const listed = await next(e)
    if (listed.value === undefined) return listed
    return { value: [...listed.value.filter((tool) => tool.name !== INVOKE_TOOL_NAME), INVOKE_TOOL] }
  }).catch(($, e, next) => next(e))

  // Switchboard's MCP server stays out of the session's start (HELD, own-server.ts): Claude Code would start its
  // node process and wait for it before the first request, and tear it down at the end, in every session.
  // It joins when its tools may be used: Switchboard's commands and skill, ToolSearch, an agent naming them
  // (below), and the module's own calls to it. Only Claude Code's first dial of Switchboard's own server is
  // held: a later one (the person reconnecting it in /mcp, a redial after a crash) goes through.
  on('mcp.connect', { server: 'plugin:switchboard:switchboard' }, async ($, e, next) =>
    next.origin?.plugin === 'engine' && e.provider.plugin.startsWith(`${$.plugin.name}@`) && holdOwnServer()
      ? HELD
      : next(e),
  ).catch(($, e, next) => next(e))
  on('skill.prompt', { skill: /^switchboard:/ }, async ($, e, next) => {
    await connectOwnServer($)
    return next(e)
  }).catch(($, e, next) => next(e))
  // A search is how a model finds a deferred tool: the server's tools must be there to be found.
  on('tool.call', { tool: 'ToolSearch' }, async ($, e, next) => {
    await connectOwnServer($)
    return next(e)
  }).catch(($, e, next) => next(e))

  // Each handler that judges or captures for a loop first places a loop it did not see start (a forked skill's; loops.ts).
  // An agent whose tools: name the MCP server's tools gets them in its first request.
  on('agent.spawn', async ($, e, next) => {
    // Connected while the guard decides (about 100 ms for the server's start, the first time): the agent
    // starts only once it is, so its first request has the tools. Asked from the snapshot the session's start
    // read, before the session's state is placed: the first call opens it, a batch or two of `$` calls the
    // server's start need not wait behind.
    // Asked again only where the session's state holds another snapshot than the one prepared (a lookup of an
    // unknown type, such as a built-in agent, walks the registry: not twice on every spawn).
    const prepared = preparedSession?.snapshot
    const early = namesOwnTools(prepared, $.plugin.name, e.subagentType)
    const ready = early ? connectOwnServer($) : undefined
    const s = await placed($, e.parentAgentId)
    const late = !early && s.snapshot !== prepared && namesOwnTools(s.snapshot, s.plugin, e.subagentType)
    return spawn(s, e, next, late ? connectOwnServer($) : ready)
  }).catch(async ($, e, next) => spawnUnchecked($, e, next))

  on('agent.report', ($, e, next) =>
    finishing(async () => withGuardFailure(e, await report($, await placed($, e.agentId), e, await next(e)))),
  ).catch(async ($, e, next) => withGuardFailure(e, await next(e)))

  // turn.complete hears agents' loops only ({ agentId } matcher, a literal so that `claude plugin
  // validate` lists it): Claude Code tests a matcher in its main thread, so the main loop's turns no longer
  // wait on a hop to this module's worker (44 ms before a session's first request, 2.1.332 debug log). A RegExp
  // tests the value as a string; the lookahead keeps an absent agentId out however the engine spells it.
  // A Workflow run's agents answer to its script, and no agent.report fires for them: their turn's end closes their call.
  on('turn.complete', { agentId: /^(?!undefined$)./ }, async ($, e, next) => {
    const result = await next(e)
    return finishing(async () => workflowAgentDone($, await sessionOf($), e, result))
  }).catch(($, e, next) => next(e))

  // A `-p` run ends as soon as the main loop answers: the last agent's end (a Workflow agent's turn, a
  // background agent's report) may still be capturing and writing its record. The session waits for it,
  // within the short bound Claude Code gives the whole session.end chain (keep 100 ms of it for the rest).
  on('session.end', async ($, e, next) => {
    const bound = Number.isFinite(next.budget?.remainingMs) ? Math.max(0, next.budget!.remainingMs - 100) : 2000
    // The call log is written off the calls' path (whole-file-writer.ts): its last records land here.
    const written = Promise.allSettled([...unfinished]).then(() => session?.then((s) => s.flushed()))
    await Promise.race([written.catch(() => undefined), $.clock.sleep(bound)])
    return next(e)
  }).catch(($, e, next) => next(e))

  on('tool.call', { tool: 'Skill' }, async ($, e, next) => skill(await placed($, e.agentId), e, next)).catch(
    async ($, e, next) => ((await guardFailed($)) && !next.called ? { deny: guardFailedDeny(next) } : next(e)),
  )

  // A prompt another plugin's code submits, or a command it runs, is a main turn of its own, which is that
  // code's, not the person's (submitted-prompts.ts). The matcher (literal, so `claude plugin validate` lists it)
  // wakes the module for the rows a plugin caused alone, which no session without such a plugin has. The turn
  // waits for this hook, so it is told whose it is before it can make a call.
  on('session.append', { door: ['prompt', 'command', 'delivery'], origin: { kind: 'plugin' } }, async ($, e, next) => {
    const kept = await next(e)
    if (e.agentId !== undefined) return kept
    const [s, turn] = await Promise.all([sessionOf($).catch(() => undefined), $.session.turns().catch(() => undefined)])
    if (s) pluginRowEntered(s, e.origin, turn)
    return kept
  }).catch(($, e, next) => next(e))
  // A compaction of the main conversation restarts Claude Code's count of main turns (submitted-prompts.ts).
  on('session.append', { door: 'compaction' }, async ($, e, next) => {
    const s = e.agentId === undefined && session ? await session.catch(() => undefined) : undefined
    if (s?.mainTurn === undefined) return next(e)
    const before = await $.session.turns().catch(() => undefined)
    const kept = await next(e)
    mainCompacted(s, before, await $.session.turns().catch(() => undefined))
    return kept
  }).catch(($, e, next) => next(e))

  // A prompt queued for the main thread runs there as the person's own turn: refused to plugins (scheduling.ts).
  on('tool.call', { tool: ['CronCreate', 'ScheduleWakeup'] }, async ($, e, next) =>
    scheduling(await placed($, e.agentId), e, next),
  ).catch(async ($, e, next) => ((await guardFailed($)) && !next.called ? { deny: guardFailedDeny(next) } : next(e)))

  // The tool has no core beneath: a failure answers typed JSON rather than the engine's "no hook answered".
  // A `tool.call` hook answers ahead of PreToolUse and the permission check: no permission prompt, as for a
  // call the model makes itself. INVOKE_TOOL_NAME spelled as a literal so `claude plugin validate` lists it.
  // A workflow's backoffs wait with $.clock.sleep, which its own-time budget pays: keep 3 s for the rest.
  on('tool.call', { tool: 'SwitchboardInvoke' }, async ($, e, next) => {
    const s = await placed($, e.agentId)
    const code = otherPluginCode(s, next.origin?.plugin)
    if (code) return invokeFromCode(code)
    return invokeTool(
      s,
      $,
      e,
      { projectDir, transcriptPath },
      Number.isFinite(next.budget?.remainingMs) ? Math.max(0, next.budget!.remainingMs - 3000) : undefined,
    )
  }).catch(() => INVOKE_FAILED)

  on('skill.prompt', { skill: 'switchboard:invoke' }, async ($, e, next) => ({
    text: invokeCommandPrompt((await next(e)).text),
  })).catch(($, e, next) => next(e))
  on('skill.prompt', { skill: 'switchboard:run' }, async ($, e, next) => ({
    text: runCommandPrompt((await next(e)).text),
  })).catch(($, e, next) => next(e))
  on('skill.prompt', { skill: 'switchboard:orchestrate' }, async ($, e, next) => ({
    text: orchestratePrompt((await next(e)).text),
  })).catch(($, e, next) => next(e))

  on('session.send', async ($, e, next) => messageSent($, await placed($, e.agentId), e, next)).catch(
    async ($, e, next) =>
      (await guardFailed($)) && !next.called ? { isDelivered: false, reason: guardFailedDeny(next) } : next(e),
  )

  on('command.run', async ($, e, next) => commandRun(await placed($, undefined), e, next, decideCallHere)).catch(
    async ($, e, next) => ((await guardFailed($)) && !next.called ? { text: guardFailedDeny(next) } : next(e)),
  )

  // The per-call settings hooks are the companion plugin's (switchboard-hooks, SETTINGS_HOOKS_PLUGIN), which
  // Claude Code admits after the modules: kept out here, they cost no `/bin/sh` per call (a module cannot
  // keep out its own plugin's hooks; docs/runtimes.md). Removing hooks only takes work away from the plugin
  // named, so the name alone decides. Where this judge fails they load, and step aside for this session's
  // module at each call as before (their SWITCHBOARD_RUNTIME_SESSION test; hooks.json).
  on('plugin.register', { name: 'switchboard-hooks' }, ($, e, next) =>
    next({ ...e, provides: { ...e.provides, hooks: [] } }),
  ).catch(($, e, next) => next(e))
}

/** Strict mode's refusal of a call the guard failed on, saying why (as open mode's note does). */
function guardFailedDeny(next: { error?: Next<unknown, unknown>['error'] }): string {
  return `Switchboard: the guard failed on this call (${whyFailed(next)}), and strict mode refuses calls it cannot check.`
}

/** Why a hook failed, as Claude Code hands it to its `.catch` (a HookFailure, not the Error thrown). */
function whyFailed(next: { error?: Next<unknown, unknown>['error'] }): string {
  const why = next.error?.message ?? (next.error?.kind === 'timeout' ? 'it ran out of time' : 'unknown error')
  return why.slice(0, 300)
}

/**
 * Whether a guard that threw refuses the call: our failure must not block the user's work, unless they
 * chose strict mode (SWITCHBOARD_STRICT=1, or `strict` in a policy file, or a policy file that cannot be
 * read, which may have said so; docs/security.md).
 */
async function guardFailed($: Engine): Promise<boolean> {
  if ((await $.env.get('SWITCHBOARD_STRICT')) === '1') return true
  try {
    // The policy files, read without the session when that is what failed (a session folder it cannot
    // write): a `strict` they hold must not be lost with it.
    const sources = await sessionOf($).then(
      (s) => s.policy(),
      async () => {
        const [CLAUDE_CONFIG_DIR, HOME] = await Promise.all([$.env.get('CLAUDE_CONFIG_DIR'), $.env.get('HOME')])
        return readPolicySources($, claudeConfigDir({ CLAUDE_CONFIG_DIR, HOME }), projectDir)
      },
    )
    const policy = mergePolicy(sources, {})
    return policy.strict || policy.problems.length > 0
  } catch {
    return true // not even the policy files could be read: they may have said strict, as one unreadable does
  }
}

/** Agents the guard failed on and let run (open mode), with what their caller is told at the report. */
const guardFailures = new Map<string, string>()

/** A spawn whose guard threw: refused in strict mode, else started, and its caller told at the report that it ran unchecked. */
async function spawnUnchecked($: Engine, e: SpawnEvent, next: Next<SpawnEvent, SpawnResult>): Promise<SpawnResult> {
  if ((await guardFailed($)) && !next.called) return { deny: guardFailedDeny(next) }
  const result = await next(e)
  const why = whyFailed(next)
  if ('agentId' in result && result.agentId)
    guardFailures.set(
      result.agentId,
      `Switchboard: the guard failed on this call to ${e.subagentType} (${why}), so it ran unchecked and may be missing from the trace. Outside strict mode Switchboard lets such calls run; the debug log (claude --debug) has the error.`,
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

/** Work that records an agent's end, until it settles: session.end waits for it. */
const unfinished = new Set<Promise<unknown>>()

/** Runs `record`, kept in `unfinished` until it settles. */
function finishing<T>(record: () => Promise<T>): Promise<T> {
  const work = record()
  unfinished.add(work)
  void work.finally(() => unfinished.delete(work)).catch(() => undefined)
  return work
}

function sessionOf($: Engine): Promise<SessionState> {
  if (!session) {
    const [dir, prepared] = [projectDir, preparedSession]
    const opening = retired.then(() => openSession($, dir, prepared))
    session = opening
    // A session that failed to open is tried again at the next event, not held broken for good.
    opening.catch(() => {
      if (session === opening) session = undefined
    })
  }
  return session
}

/**
 * The session, with loop `agentId` placed if the module did not see it start (a forked skill's; loops.ts), and
 * whose the main thread's turn is now (submitted-prompts.ts): every decision starts here.
 */
async function placed($: Engine, agentId: string | undefined): Promise<SessionState> {
  const s = await sessionOf($)
  await Promise.all([placeUnseenLoop($, s, agentId), mainTurnNow($, s)])
  return s
}

// --- internal ---

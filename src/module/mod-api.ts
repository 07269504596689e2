/**
 * The part of Claude Code's hooks-module API that Switchboard uses, declared here from the
 * declarations Claude Code 2.1.332 embeds (`node ../shared/tools/extract-mod-types.mjs <claude> <out>`
 * writes them whole; the API is early access). Only what the module touches, so a change there shows
 * up as a type error here and in the end-to-end tests in module mode.
 */

/** The slice of `$` the module calls. */
export interface Engine {
  fs: {
    read: (path: string) => Promise<string>
    write: (path: string, text: string) => Promise<void>
    list: (path?: string) => Promise<Array<{ name: string; kind: string }>>
    exists: (path: string) => Promise<boolean>
  }
  env: {
    get: (name: string) => Promise<string | undefined>
    set: (name: string, value: string | undefined) => Promise<{ deny?: string }>
  }
  session: { id: () => Promise<string> }
  plugin: { name: string; root: string }
  agent: { list: () => Promise<AgentInfo[]> }
}

/** One row of `$.agent.list()`: the session's agents, forked skills included (they raise no agent.spawn). */
export interface AgentInfo {
  id: string
  /** The agent type: a plugin's agent, a built-in (`general-purpose`), or what a forked skill runs as. */
  type: string
  /** The loop that started it; absent when the main loop did. */
  parentId?: string
  /** What SendMessage addresses it by. */
  name?: string
  status: 'pending' | 'running' | 'waiting' | 'idle' | 'completed' | 'failed' | 'killed'
  /** When it started (ms since the epoch): of two agents with one name, SendMessage reaches the later. */
  startTime?: number
}

/** Who raised a dispatch (`next.origin`), set by Claude Code alone: a plugin's `$` call, or `engine`. */
export interface Origin {
  plugin: string
  tier: string
}

/** `agent.spawn`: an agent about to start (the Agent tool, a workflow agent, a fork, a spawn from code). */
export interface SpawnEvent {
  tool_use_id: string
  prompt: string
  description: string
  /** The agent type as Claude Code resolved it. */
  subagentType: string
  provider: { plugin: string; tier: string }
  /** The calling agent; absent from the main thread. */
  parentAgentId?: string
  background: boolean
  fork: boolean
  workflow?: { runId?: string }
  /** A finished agent brought back (SendMessage to it): a hook may only refuse it; a rewrite is ignored. */
  resume?: { agentId: string }
  /** What SendMessage addresses it by. */
  name?: string
}
export type SpawnResult = { model: string; agentId?: string; deny?: undefined } | { deny: string }

/** `agent.report`: an agent's report, before its parent reads it. */
export interface ReportEvent {
  agentId: string
  parentAgentId?: string
  subagentType: string
  status: 'completed' | 'failed' | 'stopped'
  text: string
}
export type ReportResult = { text: string; [key: string]: unknown } | { consumed: string }

/** `tool.call` for the Skill tool: the caller's loop (`agentId`, absent from main) and the tool's arguments. */
export interface SkillCallEvent {
  tool: 'Skill'
  tool_use_id: string
  agentId?: string
  skill: string
  args?: string
}
export type ToolCallResult = { deny: string } | { result: unknown; isError?: boolean; [key: string]: unknown }

/** `turn.complete`: a model turn ended (main's, or an agent's: `agentId`); `next(e)` resolves to the answer. */
export interface TurnCompleteEvent {
  agentId?: string
  reason: 'answer' | 'aborted' | 'refusal' | 'error'
}
export type TurnCompleteResult = { text: string; [key: string]: unknown }

export interface SessionStartEvent {
  cwd: string
}

/** `turn.start`: a loop's turn begins (`agentId`: a subagent's, a forked skill's; absent on main). */
export interface TurnStartEvent {
  agentId?: string
  text: string
}
export type TurnStartResult = { turnId: string; [key: string]: unknown }

/** `session.send`: a message about to leave a loop for another agent or session (the SendMessage tool). */
export interface SessionSendEvent {
  /** The recipient as SendMessage spells it: a name, an agent id, `main`, a `from` address. */
  to: string
  text: string
  origin: { kind: 'model' } | { kind: 'plugin'; name: string }
  /** The sending loop; absent for the main conversation. */
  agentId?: string
}
export type SessionSendResult = { isDelivered: true } | { isDelivered: false; reason: string }

/** `command.run`: a slash command about to run, as typed (`/name args`) or run by a plugin's `$.command.run`. */
export interface CommandRunEvent {
  /** The command without its slash (`tdd-editor:copy-edit`). */
  command: string
  args: string
  /** The person (`composer`), `claude -p` (`sdk`), ..., or `{ kind: 'plugin', name }`. */
  origin: { kind: string; name?: string }
}
export type CommandRunResult = { text?: string; [key: string]: unknown }

export type Next<E, R> = ((e: E) => Promise<R>) & { called?: boolean; origin?: Origin }
type Handler<E, R> = ($: Engine, e: E, next: Next<E, R>) => Promise<R>
type Registration<E, R> = { catch: (handler: ($: Engine, e: E, next: Next<E, R>) => R | Promise<R>) => void }

/** `on(event, handler)`: each registration takes a `.catch` that says what happens when it throws. */
export interface On {
  (event: 'agent.spawn', handler: Handler<SpawnEvent, SpawnResult>): Registration<SpawnEvent, SpawnResult>
  (event: 'agent.report', handler: Handler<ReportEvent, ReportResult>): Registration<ReportEvent, ReportResult>
  (event: 'session.start', handler: Handler<SessionStartEvent, unknown>): Registration<SessionStartEvent, unknown>
  (event: 'turn.complete', handler: Handler<TurnCompleteEvent, TurnCompleteResult>): Registration<TurnCompleteEvent, TurnCompleteResult>
  (event: 'tool.call', matcher: { tool: 'Skill' }, handler: Handler<SkillCallEvent, ToolCallResult>): Registration<SkillCallEvent, ToolCallResult>
  (event: 'turn.start', handler: Handler<TurnStartEvent, TurnStartResult>): Registration<TurnStartEvent, TurnStartResult>
  (event: 'session.send', handler: Handler<SessionSendEvent, SessionSendResult>): Registration<SessionSendEvent, SessionSendResult>
  (event: 'command.run', handler: Handler<CommandRunEvent, CommandRunResult>): Registration<CommandRunEvent, CommandRunResult>
}

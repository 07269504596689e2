/**
 * The part of Claude Code's hooks-module API that Switchboard uses, declared here from the
 * declarations Claude Code 2.1.332 embeds (it writes them beside a module loaded from a folder you
 * own, `.claude-plugin/types/claude-code/index.d.ts`, and shows them with `/plugin-types`; the API is
 * early access; docs/claude-code-notes.md, "Hooks modules"). Only what the module touches, so a change there shows
 * up as a type error here and in the end-to-end tests in module mode.
 */

/** The most one `$.fs.read` answers (2.1.332); a range (`length`) of it also refuses a pipe rather than wait on it. */
export const FS_READ_LIMIT = 4 * 1024 * 1024

/**
 * Whether a `$.fs.list` entry is a plain file of its own. `$.fs.write` follows a link (2.1.331, 2.1.332), where
 * the Node side replaces a file (common/write-file-atomic.ts): the module writes a file only where its listing shows
 * nothing, or a plain file, so a link planted there (a model's Bash step) does not take the text elsewhere.
 */
export function isPlainFile(entry: { kind: string; isLink?: boolean }): boolean {
  return entry.kind === 'file' && !entry.isLink
}

/** The first of `names` a listing shows as something other than a plain file (isPlainFile), if any. */
export function notPlainAmong(
  entries: ReadonlyArray<{ name: string; kind: string; isLink?: boolean }>,
  names: readonly string[],
): string | undefined {
  return entries.find((entry) => names.includes(entry.name) && !isPlainFile(entry))?.name
}

/**
 * The first of `folders` that is a link, if any (one that is not there is none). `$.fs` follows a link to a folder,
 * so the module writes into a folder of Switchboard's own only where none on the way is one (a model's Bash step
 * can plant it).
 */
export async function firstLink($: Engine, folders: readonly string[]): Promise<string | undefined> {
  const stats = await Promise.all(folders.map((path) => $.fs.stat(path).catch(() => undefined)))
  return folders.find((_, at) => stats[at]?.isLink === true)
}

/** A folder's entries; none where it is not there yet (the write makes it). Refused otherwise: nothing is written. */
export async function listOrNone($: Engine, folder: string): Promise<Awaited<ReturnType<Engine['fs']['list']>>> {
  return $.fs.list(folder).catch((thrown: unknown) => {
    if (isMissing(thrown)) return []
    throw thrown
  })
}

/**
 * Whether a `$.fs` call was refused because nothing is at the path: its HooksError's message ends
 * ` failed: ENOENT` (the path comes before that end, so a name cannot forge it; 2.1.331 and 2.1.332).
 */
export function isMissing(thrown: unknown): boolean {
  return / failed: ENOENT$/.test(String((thrown as Error | undefined)?.message))
}

/** The slice of `$` the module calls. */
export interface Engine {
  fs: {
    /** Text as UTF-8, or with `{ as: 'bytes' }` the bytes as base64 (a settings file may be UTF-16). */
    read: {
      /** `offset` and `length` read a range of bytes (at most 4 MiB), and only of a plain file: a pipe is refused. */
      (path: string, options?: { offset?: number; length?: number }): Promise<string>
      (path: string, options: { as: 'bytes'; offset?: number; length?: number }): Promise<{ base64: string }>
    }
    write: (path: string, text: string) => Promise<void>
    /** Each entry itself, a link not followed: a link is `other` with `isLink`; `size` a file's own, else 0. */
    list: (path?: string) => Promise<Array<{ name: string; kind: string; size?: number; isLink?: boolean }>>
    exists: (path: string) => Promise<boolean>
    stat: (
      path: string,
      options?: { resolve: boolean },
    ) => Promise<{ kind: 'file' | 'dir' | 'other'; size: number; mtimeMs: number; isLink?: boolean; realPath?: string }>
  }
  env: {
    get: (name: string) => Promise<string | undefined>
    set: (name: string, value: string | undefined) => Promise<{ deny?: string }>
  }
  /**
   * `info`: what a settings hook's input says of the session; `agentType` is the agent the main thread runs
   * as (`--agent`, or an `agent` key of any settings tier, as Claude Code resolved it), absent for none.
   */
  session: {
    id: () => Promise<string>
    info: () => Promise<{ agentType?: string }>
    /** How many main turns the session has had: prompts typed or sent, a plugin's and task notifications included. */
    turns: () => Promise<number>
  }
  /**
   * `hookEnv`: the variables a command hook of this plugin gets (CLAUDE_PLUGIN_DATA, CLAUDE_PID,
   * CLAUDE_PROJECT_DIR, CLAUDE_CODE_SESSION_ID, ...); it makes the data folder, and rejects when it cannot.
   */
  process: { hookEnv: () => Promise<Record<string, string>> }
  /**
   * `connect`: one of this plugin's own MCP servers by its manifest key, answering the name `call`
   * takes (connecting it if the session held it back). `call`: a tool of a connected server, with no
   * permission prompt (the plugin's call is the grant).
   */
  mcp: {
    connect: (server: string) => Promise<McpConnectResult>
    call: (
      server: string,
      tool: string,
      args?: Record<string, unknown>,
    ) => Promise<{ content: Array<{ type: string; text?: string }>; isError: boolean }>
  }
  /**
   * `call`: a tool run as an agent's own call (`agentId` absent: the main conversation), with that
   * agent's tools, permissions and hooks; an Agent call with `run_in_background: false` resolves
   * once the agent finished, with the Agent tool's record. `list`: the session's agents.
   */
  agent: {
    call: (args: { tool: string; input: Record<string, unknown>; agentId?: string }) => Promise<AgentCallResult>
    list: () => Promise<AgentInfo[]>
    limits: () => Promise<{ concurrent: number; depth: number }>
  }
  /** `now`: ms since the epoch. `sleep`: the one `$` wait that counts against the hook's own time budget. */
  clock: { now: () => Promise<number>; sleep: (ms: number) => Promise<void> }
  plugin: { name: string; root: string }
}

/** One row of `$.agent.list()`: the session's agents, forked skills included (they raise no agent.spawn). */
export interface AgentInfo {
  id: string
  /** The agent type: a plugin's agent, a built-in (`general-purpose`), or what a forked skill runs as. */
  type: string
  /** The loop that started it; absent when the main loop did. */
  parentId?: string
  /** The plugin whose code (`$.agent.spawn`) started it; absent when a model or the person did. */
  spawnedBy?: string
  /** What SendMessage addresses it by. */
  name?: string
  status: 'pending' | 'running' | 'waiting' | 'idle' | 'completed' | 'failed' | 'killed'
  /** When it started (ms since the epoch): of two agents with one name, SendMessage reaches the later. */
  startTime?: number
  /** Its tokens: its latest request's input and all its output; 0 before the first reading. */
  tokenCount?: number
}

/** Who raised a dispatch (`next.origin`), set by Claude Code alone: a plugin's `$` call, or `engine`. */
interface Origin {
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
/** What `$.agent.call` resolves to: a refusal (`deny`), or the tool's record (`result`), its text as the model would read it, and `isError`. */
export interface AgentCallResult {
  deny?: string
  result?: unknown
  text?: string
  isError?: boolean
}
export type ToolCallResult = { deny: string } | { result: unknown; isError?: boolean; [key: string]: unknown }

/** `turn.complete`: a model turn ended (main's, or an agent's: `agentId`); `next(e)` resolves to the answer. */
export interface TurnCompleteEvent {
  agentId?: string
  reason: 'answer' | 'aborted' | 'refusal' | 'error'
}
/** `usage`: the turn's last response's, where it had one. */
export type TurnCompleteResult = { text: string; usage?: TurnUsage; [key: string]: unknown }

/**
 * `session.append`: a row about to be kept in a conversation (absent `agentId`: the main one). `door`: how it
 * came in (`prompt`: a turn's own prompt; `command`: a slash command's; `delivery`: one delivered into a running
 * turn); `origin`: who caused it, Claude Code's to set (a plugin's `$.prompt.submit`, `$.command.run`: `{ kind:
 * 'plugin', name }`).
 */
interface SessionAppendEvent {
  door: string
  origin: { kind: string; name?: string }
  agentId?: string
}

/** A model response's tokens, as the Messages API counts them. */
export interface TurnUsage {
  input_tokens: number
  output_tokens: number
  cache_read_input_tokens?: number
  cache_creation_input_tokens?: number
}

/** `tool.call` for the invoke tool: the caller's loop and the tool's arguments spread beside `tool`. */
export interface InvokeCallEvent {
  tool: string
  tool_use_id: string
  agentId?: string
  [argument: string]: unknown
}

/** `skill.prompt`: a skill's or command's prompt, expanded for the model (`/name`, the Skill tool). */
interface SkillPromptEvent {
  skill: string
  text: string
  pluginName?: string
}
type SkillPromptResult = { text: string }

/** `classic.SessionStart`: the settings hooks' SessionStart, wrapped; `next(e)` runs them (startup, resume, clear, compact). */
interface ClassicSessionStartEvent {
  session_id: string
  /** The project folder (the hook input's base field). */
  cwd: string
  source?: string
  /** The session's transcript file (the hook input's base field): agents' transcripts lie beside it. */
  transcript_path?: string
}

/** What the SessionStart hooks answered, folded: `additionalContext` holds one entry per hook. */
interface ClassicSessionStartResult {
  additionalContext?: string[]
}

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

export type Next<E, R> = ((e: E) => Promise<R>) & {
  called?: boolean
  /** In a `.catch` handler only: why the hook failed (`message`: what was thrown, or a timeout's last rejection). */
  error?: { kind: 'throw' | 'timeout'; message?: string }
  origin?: Origin /** What is left of the hook's own time (ms); Infinity where nothing meters it. */
  budget?: { remainingMs: number }
}
type Handler<E, R> = ($: Engine, e: E, next: Next<E, R>) => Promise<R>
type Registration<E, R> = { catch: (handler: ($: Engine, e: E, next: Next<E, R>) => R | Promise<R>) => void }

/** `on(event, handler)`: each registration takes a `.catch` that says what happens when it throws. */
export interface On {
  (event: 'agent.spawn', handler: Handler<SpawnEvent, SpawnResult>): Registration<SpawnEvent, SpawnResult>
  (event: 'agent.report', handler: Handler<ReportEvent, ReportResult>): Registration<ReportEvent, ReportResult>
  (event: 'tool.list', handler: Handler<unknown, ToolListResult>): Registration<unknown, ToolListResult>
  (event: 'session.end', handler: Handler<unknown, unknown>): Registration<unknown, unknown>
  (
    event: 'classic.SessionStart',
    handler: Handler<ClassicSessionStartEvent, ClassicSessionStartResult>,
  ): Registration<ClassicSessionStartEvent, ClassicSessionStartResult>
  (
    event: 'turn.complete',
    matcher: { agentId: RegExp },
    handler: Handler<TurnCompleteEvent, TurnCompleteResult>,
  ): Registration<TurnCompleteEvent, TurnCompleteResult>
  (
    event: 'session.append',
    matcher: { door: string[]; origin: { kind: 'plugin' } } | { door: 'compaction' },
    handler: Handler<SessionAppendEvent, unknown>,
  ): Registration<SessionAppendEvent, unknown>
  (
    event: 'tool.call',
    matcher: { tool: 'Skill' },
    handler: Handler<SkillCallEvent, ToolCallResult>,
  ): Registration<SkillCallEvent, ToolCallResult>
  (
    event: 'tool.call',
    matcher: { tool: string | string[] },
    handler: Handler<InvokeCallEvent, ToolCallResult>,
  ): Registration<InvokeCallEvent, ToolCallResult>
  (
    event: 'mcp.connect',
    matcher: { server: string },
    handler: Handler<McpConnectEvent, { value: McpConnectResult }>,
  ): Registration<McpConnectEvent, { value: McpConnectResult }>
  (
    event: 'skill.prompt',
    matcher: { skill: string | RegExp },
    handler: Handler<SkillPromptEvent, SkillPromptResult>,
  ): Registration<SkillPromptEvent, SkillPromptResult>
  (
    event: 'session.send',
    handler: Handler<SessionSendEvent, SessionSendResult>,
  ): Registration<SessionSendEvent, SessionSendResult>
  (
    event: 'command.run',
    handler: Handler<CommandRunEvent, CommandRunResult>,
  ): Registration<CommandRunEvent, CommandRunResult>
  (
    event: 'plugin.register',
    matcher: { name: string },
    handler: Handler<PluginRegisterEvent, PluginRegisterResult>,
  ): Registration<PluginRegisterEvent, PluginRegisterResult>
}

/** What `$.mcp.connect` resolves to, and what an `mcp.connect` hook's `{ value }` holds. */
export type McpConnectResult =
  | { isConnected: true; server: string }
  | { isConnected: false; reason: string; message: string }

/**
 * `mcp.connect`: a server about to join the session. `next.origin.plugin` is `engine` for Claude Code's
 * own dial at a session's start; answering without `next` holds the server back.
 */
interface McpConnectEvent {
  server: string
  provider: { plugin: string }
}

/**
 * `tool.list`: the session's tool pool (`value`; undefined when no list stands yet). An entry with
 * `mcp: false` under a new name adds a tool, answered by a `tool.call` hook on its name.
 */
type ToolListResult = { value?: readonly ToolListEntry[] }
export interface ToolListEntry {
  name: string
  description: string
  mcp?: boolean
  inputSchema?: Record<string, unknown>
  [key: string]: unknown
}

/**
 * `plugin.register`: a plugin admitted after this module, about to load. Every field is pinned but
 * `provides`, which only narrows: a part whose entry is removed stays out (only `hooks` is read here).
 */
interface PluginRegisterEvent {
  name: string
  provenance: string
  provides: { hooks: readonly unknown[] } & Record<string, unknown>
}

type PluginRegisterResult = { allow: true; refuse?: undefined } | { refuse: string }

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sessionDir } from '../../src/trace/index.ts'
import { HOOKS_PLUGIN, PLUGIN, REPO } from './cli.ts'
import { testdir } from './testdir.ts'

/** SessionStart's process bundle (the only hook that is a process of its own): CommonJS (.cjs); .mjs for an ES module. */
const hookFile = (hook: string): string => {
  const folder = join(PLUGIN, 'hooks', 'bin')
  const found = [`${hook}.cjs`, `${hook}.mjs`].map((f) => join(folder, f)).find(existsSync)
  if (!found) throw new Error(`no bundle for the ${hook} hook in ${folder}; run npm run build`)
  return found
}

/** The per-call hooks, answered by the MCP server's `hook` tool (mcp/hook-tool.ts), by the name of the hook that answers. */
const PER_CALL = new Set(['pre-tool-use', 'post-tool-use', 'subagent'])
const SERVER = join(PLUGIN, 'mcp', 'server.mjs')
type HooksFile = {
  hooks: Record<string, Array<{ matcher: string; hooks: Array<{ tool: string; input: Record<string, string> }> }>>
}
const companionHooks = (): HooksFile => JSON.parse(readFileSync(join(HOOKS_PLUGIN, 'hooks', 'hooks.json'), 'utf8'))

/**
 * The arguments Claude Code sends the `hook` tool for a hook input: the companion's hooks.json template for
 * the event, each `${field}` filled in once with that field (objects as JSON text, an absent field as
 * ""), as observed on 2.1.197 and 2.1.332 (docs/claude-code-notes.md, "mcp_tool hooks"). Text that is not
 * a JSON object (a malformed input) is sent as the whole arguments' one field, `hook_event_name`.
 */
function hookToolArguments(input: unknown): Record<string, string> {
  if (typeof input !== 'object' || input === null) return { hook_event_name: String(input) }
  const fields = input as Record<string, unknown>
  const entry = companionHooks().hooks[String(fields.hook_event_name)]?.[0]?.hooks[0]
  if (!entry) return { hook_event_name: String(fields.hook_event_name) }
  const fill = (value: unknown): string =>
    value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)
  return Object.fromEntries(
    Object.entries(entry.input).map(([key, template]) => [
      key,
      template.replace(/\$\{([a-z_]+)\}/g, (_, name: string) => fill(fields[name])),
    ]),
  )
}

type ToolReply = { id: number; result?: { content: Array<{ text: string }>; isError?: boolean } }

/** The server's reply to the tools/call `id` -> what a hook process would have answered. */
function asProcessResult(stdout: string, stderr: string, code: number | null, id = 2) {
  const reply = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { id: number; result?: { content: Array<{ text: string }>; isError?: boolean } })
    .find((m) => m.id === id)
  if (!reply?.result) return { code: code ?? -1, stdout: '', stderr: `no answer from the MCP server: ${stderr}` }
  const text = reply.result.content[0]?.text ?? ''
  return reply.result.isError
    ? { code: 1, stdout: '', stderr: `${text}\n` }
    : { code: 0, stdout: text ? `${text}\n` : '', stderr: '' }
}

/** What Claude Code sends a server before its first call. */
const HANDSHAKE = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {} } },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
]

/** The handshake, then one `hook` call per input, ids from 2: newline-delimited JSON-RPC. */
const serverInput = (...inputs: unknown[]): string =>
  [
    ...HANDSHAKE,
    ...inputs.map((input, i) => ({
      jsonrpc: '2.0',
      id: i + 2,
      method: 'tools/call',
      params: { name: 'hook', arguments: hookToolArguments(input) },
    })),
  ]
    .map((m) => JSON.stringify(m))
    .join('\n') + '\n'

/**
 * Runs a hook as Claude Code does, synchronously: SessionStart as its own process with JSON on stdin; a
 * per-call hook as a call to the `hook` tool of a real MCP server process (one per call here; one per
 * session in Claude Code). A per-call hook's answer is given in the shape of a process's: the tool's text
 * as stdout, or, for an error result (the hook failing open), as stderr with code 1.
 */
export function runHookSync(hook: string, input: unknown, env: Record<string, string>) {
  const perCall = PER_CALL.has(hook)
  const result = spawnSync(process.execPath, [perCall ? SERVER : hookFile(hook)], {
    input: perCall ? serverInput(input) : typeof input === 'string' ? input : JSON.stringify(input),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  })
  return perCall
    ? asProcessResult(result.stdout, result.stderr, result.status)
    : { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/**
 * Many per-call hook inputs sent at once to one MCP server process, as Claude Code sends a session's
 * parallel calls to its one server: the answers in the order of the inputs, in a hook process's shape.
 */
export function runHooksInOneServer(
  inputs: unknown[],
  env: Record<string, string>,
): Promise<Array<{ code: number; stdout: string; stderr: string }>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env.PATH ?? '', ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c))
    child.stderr.on('data', (c: Buffer) => (stderr += c))
    child.on('close', (code) => {
      resolve(inputs.map((_, i) => asProcessResult(stdout, stderr, code, i + 2)))
    })
    child.stdin.end(serverInput(...inputs))
  })
}

/**
 * A running MCP server, as Claude Code keeps one for a session: `ask` sends one per-call hook input (filled into
 * the companion's template as Claude Code does) and resolves with the answer in a hook process's shape when
 * it comes, while other calls may still wait. `server`: another copy of server.mjs (a damaged install).
 */
export function hookServer(env: Record<string, string>, server = SERVER) {
  const child = spawn(process.execPath, [server], { env: { PATH: process.env.PATH ?? '', ...env } })
  const waiting = new Map<number, (line: string) => void>()
  let buffered = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end)
      buffered = buffered.slice(end + 1)
      waiting.get((JSON.parse(line) as { id: number }).id)?.(line)
    }
  })
  const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`)
  for (const message of HANDSHAKE) send(message)
  let id = 1
  return {
    ask: (input: unknown): Promise<{ code: number; stdout: string; stderr: string }> => {
      const asked = ++id
      const answered = new Promise<string>((resolve) => waiting.set(asked, resolve))
      send({ id: asked, method: 'tools/call', params: { name: 'hook', arguments: hookToolArguments(input) } })
      return answered.then((line) => asProcessResult(line, '', 0, asked))
    },
    /** A model's call of one of the server's tools: its reply's text. */
    tool: (name: string, args: unknown): Promise<string> => {
      const asked = ++id
      const answered = new Promise<string>((resolve) => waiting.set(asked, resolve))
      send({ id: asked, method: 'tools/call', params: { name, arguments: args } })
      return answered.then((line) => (JSON.parse(line) as ToolReply).result?.content[0]?.text ?? line)
    },
    stop: () => child.kill(),
  }
}

/** runHookSync, asynchronously (for many at once: each its own process). */
export function runHookAsync(
  hook: string,
  input: unknown,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const perCall = PER_CALL.has(hook)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [perCall ? SERVER : hookFile(hook)], {
      env: { PATH: process.env.PATH ?? '', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c))
    child.stderr.on('data', (c: Buffer) => (stderr += c))
    child.on('close', (code) => resolve(perCall ? asProcessResult(stdout, stderr, code) : { code, stdout, stderr }))
    child.stdin.end(perCall ? serverInput(input) : JSON.stringify(input))
  })
}

/**
 * A session the bundled hooks share, as Claude Code would start it: a data folder, the example plugins
 * editor and design, and SessionStart run (so the registry snapshot exists). `home` is the project and
 * HOME (a policy file can be written there first); without one, a new folder.
 */
export function hookSession(
  sessionId: string,
  home?: string,
): { data: string; home: string; env: Record<string, string>; sessionId: string; dir: string } {
  const base = home ?? testdir()
  const data = home ? join(home, 'data') : base
  const env = {
    HOME: home ?? join(base, 'home'),
    SWITCHBOARD_DATA_DIR: data,
    SWITCHBOARD_PLUGIN_DIRS: ['tdd-editor', 'tdd-design'].map((p) => join(REPO, 'examples', p)).join(':'),
  }
  const cwd = home ?? data
  const start = runHookSync(
    'session-start',
    { session_id: sessionId, cwd, hook_event_name: 'SessionStart', source: 'startup' },
    env,
  )
  if (start.code !== 0) throw new Error(`SessionStart failed: ${start.stderr}`)
  return { data, home: cwd, env, sessionId, dir: sessionDir(data, sessionId) }
}

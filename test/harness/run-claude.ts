/**
 * Runs the real Claude Code CLI (`claude -p`) against the scripted stand-in model: an isolated HOME,
 * the offline environment, switchboard and fixture plugins loaded with --plugin-dir. Collects the
 * stream-json events (hook events included), the model requests, stderr; kills every process it
 * started (the whole process group) when the run ends or times out.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseFrontmatter } from '../../src/manifest/index.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { claudeBinary, offlineEnv } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'
import { startModelServer } from './model-server.ts'
import type { RecordedRequest } from './model-server.ts'
import type { Scenario } from './scenario.ts'

export const SWITCHBOARD_ROOT = resolve(import.meta.dirname, '..', '..')
/**
 * The plugins Claude Code loads (`--plugin-dir`), the folders the marketplace installs: Switchboard, and
 * its companion switchboard-hooks (the per-call settings hooks), a dependency of its marketplace entry.
 */
const SWITCHBOARD_PLUGINS = [join(SWITCHBOARD_ROOT, 'plugin'), join(SWITCHBOARD_ROOT, 'plugin-hooks')]

export interface RunOptions {
  version: PinnedVersion
  /** The prompt (`claude -p <prompt>`), e.g. "Edit my draft" or "/switchboard:plugins". */
  prompt: string
  scenario: Scenario
  /** Plugin folders to load with --plugin-dir. Switchboard and its companion are loaded first unless `withSwitchboard` is false. */
  plugins?: string[]
  withSwitchboard?: boolean
  /** Tools the session may use without asking (root cannot skip permissions). */
  allowedTools?: string[]
  env?: Record<string, string>
  /** Reuse a HOME (after a marketplace install); default: a fresh one. */
  home?: string
  cwd?: string
  extraArgs?: string[]
  timeoutMs?: number
  /** Keep Claude Code's session files (transcripts, subagent meta files) in the run's HOME. Default true. */
  persistSession?: boolean
  /** A command Claude Code runs under, its binary and arguments appended (e.g. test/helpers/managed-settings.ts). */
  launcher?: string[]
  /**
   * Keep the session open as an interactive one (or an SDK host) does, the prompt given on stdin
   * (`--input-format stream-json`), until this holds of the model requests so far (checked a few seconds
   * after each): prompts queued for an idle session then run. `claude -p <prompt>` ends after its turn.
   */
  openUntil?: (requests: RecordedRequest[]) => boolean
  /**
   * With openUntil: prompts the person types later, each once the session has ended `afterTurns` turns (its
   * `result` events), so it starts a turn of its own rather than joining one that runs.
   */
  typedLater?: Array<{ afterTurns: number; prompt: string }>
  /** Kill Claude Code (its whole process group, SIGKILL) when a model request matching this arrives: a crash in the middle. */
  killAt?: (request: RecordedRequest) => boolean
}

interface StreamEvent {
  type: string
  subtype?: string
  [key: string]: unknown
}

export interface ClaudeRun {
  exitCode: number | null
  timedOut: boolean
  events: StreamEvent[]
  /** The `system/init` event: tools, agents, skills, slash_commands, plugins, plugin_errors. */
  init: StreamEvent | undefined
  result: StreamEvent | undefined
  /** Hook lifecycle events (--include-hook-events): hook_started, hook_response, ... */
  hookEvents: StreamEvent[]
  requests: RecordedRequest[]
  textSentTo: (conversation: string) => string
  stderr: string
  home: string
  cwd: string
}

export const DEFAULT_TOOLS = ['Agent', 'Task', 'Skill', 'Read', 'Glob', 'Grep', 'Bash(node:*)']

export async function runClaude(options: RunOptions): Promise<ClaudeRun> {
  const plugins = [...(options.withSwitchboard === false ? [] : SWITCHBOARD_PLUGINS), ...(options.plugins ?? [])]
  const bodyless = Object.entries(options.scenario.agents ?? {})
    .filter(([, script]) => !Array.isArray(script) && (script.match || script.matchPrompt))
    .map(([id]) => id)
  let killAt: ((request: RecordedRequest) => void) | undefined
  let closeWhenDone: (() => void) | undefined
  const server = await startModelServer({
    scenario: options.scenario,
    agentMatchers: agentBodies(
      plugins,
      Object.keys(options.scenario.agents ?? {}).filter((id) => !bodyless.includes(id)),
    ),
    onRequest: (request) => {
      killAt?.(request)
      if (closeWhenDone) setTimeout(closeWhenDone, 3000) // the turn that request starts has time to end
    },
  })
  const env = offlineEnv({
    ANTHROPIC_BASE_URL: server.url,
    ...(options.home ? { HOME: options.home } : {}),
    ...options.env,
  })
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'switchboard-e2e-project-'))
  mkdirSync(cwd, { recursive: true })
  const args = [
    '-p',
    ...(options.openUntil ? ['--input-format', 'stream-json'] : [options.prompt]),
    '--output-format',
    'stream-json',
    '--verbose',
    '--include-hook-events',
    ...(options.persistSession === false ? ['--no-session-persistence'] : []),
    ...plugins.flatMap((dir) => ['--plugin-dir', dir]),
    '--allowedTools',
    ...(options.allowedTools ?? DEFAULT_TOOLS),
    ...(options.extraArgs ?? []),
  ]
  const command = [...(options.launcher ?? []), claudeBinary(options.version), ...args]
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env,
    detached: true,
    stdio: [options.openUntil ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  })
  if (options.openUntil) {
    const stdin = child.stdin!
    stdin.write(`${JSON.stringify({ type: 'user', message: { role: 'user', content: options.prompt } })}\n`)
    closeWhenDone = () => (options.openUntil!(server.requests) && stdin.writable ? stdin.end() : undefined)
  }
  let stdout = ''
  let stderr = ''
  const typedLater = [...(options.typedLater ?? [])]
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
    if (typedLater.length === 0 || !child.stdin?.writable) return
    const turns = stdout.split('\n').filter((line) => /^\{.*"type":"result"/.test(line) && isResult(line)).length
    while (typedLater.length > 0 && typedLater[0]!.afterTurns <= turns) {
      const { prompt } = typedLater.shift()!
      child.stdin.write(`${JSON.stringify({ type: 'user', message: { role: 'user', content: prompt } })}\n`)
    }
  })
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  let timedOut = false
  const killGroup = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  if (options.killAt) killAt = (request) => (options.killAt!(request) ? killGroup() : undefined)
  const timer = setTimeout(() => {
    timedOut = true
    killGroup()
  }, options.timeoutMs ?? 90_000)
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  clearTimeout(timer)
  killGroup() // background agents or hook processes must not outlive the run
  await server.close()
  const events = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as StreamEvent)
  return {
    exitCode,
    timedOut,
    events,
    init: events.find((e) => e.type === 'system' && e.subtype === 'init'),
    result: events.findLast((e) => e.type === 'result'),
    hookEvents: events.filter(
      (e) => e.type === 'system' && typeof e.subtype === 'string' && e.subtype.startsWith('hook'),
    ),
    requests: server.requests,
    textSentTo: server.textSentTo,
    stderr,
    home: env.HOME!,
    cwd,
  }
}

/** How to recognise each scripted agent's requests: the start of its markdown body, from the registry. */
function agentBodies(plugins: string[], agentIds: string[]): Record<string, string> {
  if (agentIds.length === 0) return {}
  const registry = buildRegistry({
    cwd: SWITCHBOARD_ROOT,
    env: { HOME: '/nonexistent' },
    installed: false,
    pluginDirs: plugins,
  })
  const matchers: Record<string, string> = {}
  for (const id of agentIds) {
    const agent = registry.components.find((c) => c.kind === 'agent' && c.id === id)
    if (!agent)
      throw new Error(
        `scenario scripts agent "${id}", which the loaded plugins do not define (have: ${registry.components
          .filter((c) => c.kind === 'agent')
          .map((c) => c.id)
          .join(', ')})`,
      )
    const body = readBody(agent.file)
    matchers[id] = body.slice(0, 80)
  }
  return matchers
}

function readBody(file: string): string {
  return parseFrontmatter(readFileSync(file, 'utf8')).body.trim()
}

/** A stream-json line that is a turn's `result` event. */
function isResult(line: string): boolean {
  try {
    return (JSON.parse(line) as StreamEvent).type === 'result'
  } catch {
    return false // a line still being written
  }
}

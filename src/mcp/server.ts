/**
 * Switchboard's MCP server, started by Claude Code from the plugin's .mcp.json (stdio), so agents
 * without Bash can search the registry, plan checked calls, use the context store and read the trace.
 * Tool names seen by the model: mcp__plugin_switchboard_switchboard__<tool>. Every tool works on this
 * server's own session only (trace/own-session.ts): none takes a session argument.
 *
 * Claude Code waits for this server at every session start, so it starts light: the protocol loop
 * (stdio.ts) and the tool list (tool-specs.ts), and the tools' code (mcp/tools.mjs, tool-calls.ts)
 * loads at the first call. The official SDK was dropped for this: it bundled zod with its locales and
 * ajv (about 700 KB) for what is here a few dozen lines of newline-delimited JSON-RPC.
 */
import { workerData } from 'node:worker_threads'
import { VERSION } from '../cli/version.ts'
import { sessionRuntimeFromEnv } from '../trace/core.ts'
import { serveStdio } from './stdio.ts'
import { HOOK_TOOL, TOOL_SPECS } from './tool-specs.ts'
import type { ToolAnswer } from './tool-calls.ts'
import { isToolsWorker, serveTools, toolsOnWorker } from './tools-thread.ts'

let hooks: Promise<typeof import('./hook-tool.ts')> | undefined
let hookLoadFailures = 0

function serveProtocol(): void {
  // Where the hooks module runs, Claude Code connects this server only when its tools are about to be used
  // (an agent that names them is spawning, a Switchboard command or skill runs, the module asks it to route or
  // check): the tools' bundle (about 70 ms to load) then loads beside the handshake and the agent's first
  // model request, not in front of its first call. In settings mode the server starts with every session,
  // most of which call no tool, so the bundle still waits for the first call there.
  // The module's variables must name this server's own session: a Claude Code started from another session's
  // Bash tool inherits them, and its server runs in settings mode.
  const session = process.env.CLAUDE_CODE_SESSION_ID ?? ''
  const callTool = toolsOnWorker(new URL(import.meta.url), {
    warm: sessionRuntimeFromEnv(process.env, session).runtime === 'hooks module',
  })
  serveStdio({
    name: 'switchboard',
    version: VERSION,
    tools: TOOL_SPECS,
    call: async (name, args, receivedAt): Promise<ToolAnswer> => {
      // The companion's per-call settings hooks: a bundle of their own, a sixth of the tools' (mcp/hooks.mjs).
      // A bundle that failed to load is tried again at the next hook (this one fails open: an error result),
      // under a new URL: Node keeps a module that failed to parse or threw as it loaded, and would fail again.
      if (name === HOOK_TOOL) {
        hooks ??= import(
          new URL(`./hooks.mjs${hookLoadFailures ? `?retry=${hookLoadFailures}` : ''}`, import.meta.url).href
        )
        const loaded = await hooks.catch((thrown: unknown) => {
          hooks = undefined
          hookLoadFailures++
          process.stderr.write(
            `switchboard mcp: hooks.mjs did not load: ${(thrown as Error)?.message ?? String(thrown)}\n`,
          )
          return undefined
        })
        if (!loaded) return damagedInstall(args)
        return loaded.hookTool(args, process.env, receivedAt)
      }
      return callTool(name, args)
    },
  })
}

/**
 * A hook answered without its bundle: an error result, which lets the call go on, except a PreToolUse in
 * strict mode set by SWITCHBOARD_STRICT=1, which is denied (a policy file's `strict` is read by the code
 * that did not load, so that one fails open here: docs/security.md).
 */
function damagedInstall(args: unknown): ToolAnswer {
  const reason =
    "Switchboard's hooks bundle (mcp/hooks.mjs) did not load, so this call was not checked: the install is damaged. Reinstall Switchboard (claude plugin install switchboard@<marketplace>), or run `npm run build` in a checkout."
  const event = (args as { hook_event_name?: unknown } | null)?.hook_event_name
  if (event !== 'PreToolUse' || process.env.SWITCHBOARD_STRICT !== '1') return { text: reason, isError: true }
  const deny = { hookEventName: event, permissionDecision: 'deny', permissionDecisionReason: reason }
  return { text: JSON.stringify({ hookSpecificOutput: deny }) }
}

// The tools' bundle, beside this one once built (scripts/build.mjs), runs on a thread of its own
// (tools-thread.ts), which runs this file too.
if (isToolsWorker(workerData)) serveTools(new URL('./tools.mjs', import.meta.url))
else serveProtocol()

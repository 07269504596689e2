/**
 * Switchboard's own MCP server as the hooks module sees it. The module holds it out of a session's
 * start and connects it when its tools may be used (register.ts), and calls it for what the module
 * does not carry because every session would pay to load it (a YAML parser and zod for workflow
 * files, semver for capability ranges, the JSON Schema validator: docs/runtimes.md). A call costs
 * about 10 ms once the server runs (2.1.332, measured with a probe), and the first of a session its
 * start, so only rare paths use it: a workflow run, a capability request, a full JSON Schema
 * contract. The answer is the tool's JSON, or why the server could not give it (`failed`), worded
 * for the person who must fix it.
 */
import { inert, messageOf } from '../common/core.ts'
import { findComponent } from '../guard/core.ts'
import type { RegistrySnapshot } from '../registry/snapshot-format.ts'
import type { Engine, McpConnectResult } from './mod-api.ts'

/** Switchboard's own MCP server: its key in plugin/.mcp.json. */
const OWN_SERVER = 'switchboard'

/**
 * What the `mcp.connect` hook answers Claude Code's own dial of the server at a session's start: held
 * back, so a session that never uses Switchboard's MCP tools starts no node process for them (about 1.5
 * bare-node starts once per session: docs/runtimes.md). connectOwnServer brings it in when one may be used.
 */
export const HELD: { value: McpConnectResult } = {
  value: {
    isConnected: false,
    reason: 'disabled',
    message:
      'Switchboard connects its MCP server when its tools may be used: a Switchboard command or skill, ToolSearch, or an agent whose tools: name them (docs/runtimes.md).',
  },
}

let held = false

/** True the first time only: the first dial Claude Code makes of the server (at the session's start) is held. */
export function holdOwnServer(): boolean {
  if (held) return false
  held = true
  return true
}

/** The dial in flight: parallel spawns, searches and calls share it (a second connect may fail meanwhile). */
let connecting: Promise<McpConnectResult> | undefined

/**
 * The server connected, as `$.mcp.call` names it; or why not. Cheap once it is: Claude Code answers at
 * once by its key. Where the key fails (while the server is held, a key another server of the session's
 * is also listed under answers `failed`), it is asked again by the name /mcp lists it under
 * (`plugin:<plugin>:switchboard`). Asked by that name first, an answer for a connected server took long
 * enough (2.1.332) that a Workflow agent's end at the session's close was never recorded. A connect
 * that answers another server (a hook of another plugin's can answer in Claude Code's place) is refused:
 * the module would take that server's word for workflow steps, routes and contract checks.
 */
export function connectOwnServer($: Engine): Promise<McpConnectResult> {
  const own = `plugin:${$.plugin.name}:${OWN_SERVER}`
  connecting ??= $.mcp
    .connect(OWN_SERVER)
    .then((byKey) => (byKey.isConnected || byKey.reason !== 'failed' ? byKey : $.mcp.connect(own)))
    .then(
      (result): McpConnectResult =>
        !result.isConnected || result.server === own
          ? result
          : { isConnected: false, reason: 'failed', message: `the connect answered another server (${result.server})` },
    )
    .catch((thrown: unknown) => ({ isConnected: false as const, reason: 'failed', message: messageOf(thrown) }))
  const attempt = connecting
  // Shared while in flight only: once settled, the next need asks Claude Code again (answered at once
  // while the server is connected; dialled again if it went away or the person turned it off and on).
  void attempt.then(() => {
    if (connecting === attempt) connecting = undefined
  })
  return attempt
}

/**
 * True when an agent's `tools:` line names the server or one of its tools (`mcp__plugin_<plugin>_switchboard`,
 * `…__<tool>`): such an agent's tool list is fixed at its first request. One that names no tools (all of them)
 * or that the snapshot does not hold finds them with ToolSearch, which connects the server.
 */
export function namesOwnTools(snapshot: RegistrySnapshot | undefined, plugin: string, agentType: string): boolean {
  const server = `mcp__plugin_${plugin}_${OWN_SERVER}`
  const tools = snapshot ? findComponent(snapshot, agentType)?.tools : undefined
  return tools?.some((tool) => tool === server || tool.startsWith(`${server}__`)) === true
}

export async function callOwnServer(
  $: Engine,
  tool: string,
  args: Record<string, unknown>,
): Promise<{ answer: unknown } | { failed: string }> {
  const unreachable = (why: string) => ({
    failed: `Switchboard's MCP server ${why}. /mcp shows its state: reconnect it, or start a new session.`,
  })
  // The module sends what the tool's schema takes: a refusal is Switchboard's own mistake, not the server's state.
  const refused = (why: string) => ({
    failed: `Switchboard's MCP server refused ${tool} (${why}), which is a fault in Switchboard: please report it.`,
  })
  const server = await connectOwnServer($)
  if (!server.isConnected) return unreachable(`is not connected (${server.message})`)
  let text: string | undefined
  try {
    const result = await $.mcp.call(server.server, tool, args)
    text = result.content.find((block) => block.type === 'text')?.text
    if (result.isError) return refused(inert(text ?? 'no reason given').slice(0, 300))
  } catch (thrown) {
    return unreachable(`did not answer ${tool} (${messageOf(thrown)})`)
  }
  try {
    return { answer: JSON.parse(text ?? '') }
  } catch {
    return unreachable(`answered ${tool} with what is not JSON`)
  }
}

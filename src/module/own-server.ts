/**
 * Calls from the hooks module to Switchboard's own MCP server, for what the module does not carry
 * because every session would pay to load it (a YAML parser and zod for workflow files, semver for
 * capability ranges: docs/runtimes.md). A call costs about 10 ms (2.1.332, measured with a probe),
 * so only rare paths use it: a workflow run, a capability request. The answer is the tool's JSON, or
 * why the server could not give it (`failed`), worded for the person who must fix it.
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

/** The server connected, as `$.mcp.call` names it; or why not. Cheap once it is: Claude Code answers at once. */
export function connectOwnServer($: Engine): Promise<McpConnectResult> {
  return $.mcp.connect(OWN_SERVER).catch((thrown: unknown) => ({
    isConnected: false as const,
    reason: 'failed',
    message: messageOf(thrown),
  }))
}

/** True when an agent's `tools:` line names one of the server's tools (`mcp__plugin_<plugin>_switchboard__…`). */
export function namesOwnTools(snapshot: RegistrySnapshot | undefined, plugin: string, agentType: string): boolean {
  const prefix = `mcp__plugin_${plugin}_${OWN_SERVER}__`
  const tools = snapshot ? findComponent(snapshot, agentType)?.tools : undefined
  return tools?.some((tool) => tool.startsWith(prefix)) === true
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

/**
 * Calls from the hooks module to Switchboard's own MCP server, for what the module does not carry
 * because every session would pay to load it (a YAML parser and zod for workflow files, semver for
 * capability ranges: docs/runtimes.md). A call costs about 10 ms (2.1.332, measured with a probe),
 * so only rare paths use it: a workflow run, a capability request. The answer is the tool's JSON, or
 * why the server could not give it (`failed`), worded for the person who must fix it.
 */
import { inert, messageOf } from '../common/core.ts'
import type { Engine } from './mod-api.ts'

/** Switchboard's own MCP server: its key in plugin/.mcp.json. */
const OWN_SERVER = 'switchboard'

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
  const server = await $.mcp.connect(OWN_SERVER).catch((thrown: unknown) => ({
    isConnected: false as const,
    message: messageOf(thrown),
  }))
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

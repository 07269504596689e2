// A `$` for the hooks module's calls to its own MCP server, answered in process by the server's real tool
// code (or by `answer` in its place), with every call kept in `sent`: for unit tests of module code that
// asks the server (module/own-server.ts).
import type { Engine } from '../../src/module/mod-api.ts'
import { callTool } from '../../src/mcp/tool-calls.ts'
import type { ToolEnvironment } from '../../src/mcp/tools.ts'

export type Sent = { tool: string; args: Record<string, unknown> }

export function serverEngine(
  sent: Sent[],
  options: { answer?: (args: Record<string, unknown>) => unknown; connected?: boolean } = {},
): Engine {
  return {
    plugin: { name: 'switchboard', root: '/plugins/switchboard' },
    mcp: {
      connect: async () =>
        options.connected === false
          ? { isConnected: false as const, reason: 'disabled', message: 'disabled in /mcp' }
          : { isConnected: true as const, server: 'plugin:switchboard:switchboard' },
      call: async (_server: string, tool: string, args: Record<string, unknown>) => {
        sent.push({ tool, args })
        const reply = options.answer
          ? { text: JSON.stringify(options.answer(args)), isError: undefined }
          : await callTool(tool, args, {} as ToolEnvironment)
        return { content: [{ type: 'text', text: reply.text }], ...(reply.isError ? { isError: true } : {}) }
      },
    },
  } as unknown as Engine
}

/**
 * The Model Context Protocol over stdio, as much of it as a tools-only server needs: newline-delimited
 * JSON-RPC 2.0 on stdin and stdout (modelcontextprotocol.io, "Transports"), `initialize`, `ping`,
 * `tools/list` and `tools/call`; notifications are read and ignored; anything else is "method not
 * found". Nothing but protocol messages goes to stdout; problems go to stderr.
 */
import { createInterface } from 'node:readline'
import { isSwitchboardError } from '../common/core.ts'

export interface StdioServer {
  name: string
  version: string
  tools: readonly { name: string; description: string; inputSchema: object }[]
  /** `receivedAt`: when the line was read (performance.now()), before any wait behind other calls. */
  call: (name: string, args: unknown, receivedAt: number) => Promise<{ text: string; isError?: true }>
}

/** The protocol versions this server speaks, newest first; a client asking for another gets the newest. */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']

export function serveStdio(server: StdioServer): void {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  const pending = new Set<Promise<void>>()
  lines.on('line', (line) => {
    if (line.trim() === '') return
    const answered = answer(server, line, performance.now()).then((reply) => {
      if (reply) process.stdout.write(`${JSON.stringify(reply)}\n`)
    })
    pending.add(answered)
    void answered.finally(() => pending.delete(answered))
  })
  // Claude Code closes stdin to stop the server: answer what was asked, then go.
  lines.on('close', () => void Promise.allSettled([...pending]).then(() => process.exit(0)))
}

// --- internal ---

type Id = string | number | null
export type Reply = { jsonrpc: '2.0'; id: Id } & ({ result: unknown } | { error: { code: number; message: string } })

/** The reply to one line from the client, if it needs one. */
export async function answer(
  server: StdioServer,
  line: string,
  receivedAt = performance.now(),
): Promise<Reply | undefined> {
  let message: { id?: Id; method?: unknown; params?: Record<string, unknown> }
  try {
    message = JSON.parse(line)
  } catch {
    return { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: a line that is not JSON' } }
  }
  if (typeof message !== 'object' || message === null || typeof message.method !== 'string') {
    // A response to a request we never make, or not JSON-RPC at all.
    return message && 'id' in message && message.id !== undefined
      ? { jsonrpc: '2.0', id: message.id ?? null, error: { code: -32600, message: 'Invalid request: no method' } }
      : undefined
  }
  if (message.id === undefined) return undefined // a notification (initialized, cancelled, ...)
  const id = message.id
  const result = (value: unknown): Reply => ({ jsonrpc: '2.0', id, result: value })
  switch (message.method) {
    case 'initialize': {
      const asked = message.params?.protocolVersion
      const protocolVersion =
        typeof asked === 'string' && PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0]
      return result({
        protocolVersion,
        capabilities: { tools: { listChanged: false } },
        serverInfo: { name: server.name, version: server.version },
      })
    }
    case 'ping':
      return result({})
    case 'tools/list':
      return result({ tools: server.tools })
    case 'tools/call': {
      const name = message.params?.name
      if (typeof name !== 'string')
        return { jsonrpc: '2.0', id, error: { code: -32602, message: 'Invalid params: tools/call needs a tool name' } }
      try {
        const answered = await server.call(name, message.params?.arguments, receivedAt)
        return result({
          content: [{ type: 'text', text: answered.text }],
          ...(answered.isError ? { isError: true } : {}),
        })
      } catch (thrown) {
        process.stderr.write(`switchboard mcp: ${name} failed: ${(thrown as Error)?.stack ?? String(thrown)}\n`)
        return result({
          content: [
            {
              type: 'text',
              // Ours say what to do (a state file that cannot be read); anything else is a bug.
              text: isSwitchboardError(thrown)
                ? `Switchboard's ${name} failed: ${(thrown as Error).message}.`
                : `Switchboard's ${name} failed: ${(thrown as Error)?.message ?? String(thrown)}. This is a Switchboard bug; please report it.`,
            },
          ],
          isError: true,
        })
      }
    }
    default:
      return { jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${String(message.method)}` } }
  }
}

// The MCP server: the protocol loop in process (stdio.ts), and the bundled server as Claude Code starts
// it, answering the tool list without loading the tools and checking each call's arguments against the
// schema the model was shown.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { answer, PROTOCOL_VERSIONS } from '../../src/mcp/stdio.ts'
import type { StdioServer } from '../../src/mcp/stdio.ts'
import { TOOL_SPECS } from '../../src/mcp/tool-specs.ts'
import { PLUGIN } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

const calls: Array<[string, unknown]> = []
const server: StdioServer = {
  name: 'switchboard',
  version: '9.9.9',
  tools: TOOL_SPECS,
  call: async (name, args) => {
    calls.push([name, args])
    if (name === 'boom') throw new Error('kaboom')
    return { text: `ran ${name}` }
  },
}
const ask = (message: unknown) => answer(server, typeof message === 'string' ? message : JSON.stringify(message))

describe('the protocol loop', () => {
  it('negotiates the version the client asks for when it speaks it, else its newest', async () => {
    expect(
      await ask({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26' } }),
    ).toMatchObject({
      id: 1,
      result: {
        protocolVersion: '2025-03-26',
        serverInfo: { name: 'switchboard', version: '9.9.9' },
        capabilities: { tools: {} },
      },
    })
    expect(
      await ask({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: '1999-01-01' } }),
    ).toMatchObject({ result: { protocolVersion: PROTOCOL_VERSIONS[0] } })
  })

  it('lists every tool with its schema, and answers ping', async () => {
    const listed = (await ask({ jsonrpc: '2.0', id: 'a', method: 'tools/list' })) as {
      result: { tools: Array<{ name: string; inputSchema: { type: string } }> }
    }
    expect(listed.result.tools.map((t) => t.name)).toEqual(TOOL_SPECS.map((t) => t.name))
    expect(listed.result.tools.every((t) => t.inputSchema.type === 'object')).toBe(true)
    expect(await ask({ jsonrpc: '2.0', id: 3, method: 'ping' })).toEqual({ jsonrpc: '2.0', id: 3, result: {} })
  })

  it('passes a call on, and turns a thrown error into an error result, not a dead server', async () => {
    expect(
      await ask({
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'trace', arguments: { format: 'tree' } },
      }),
    ).toEqual({ jsonrpc: '2.0', id: 4, result: { content: [{ type: 'text', text: 'ran trace' }] } })
    expect(calls).toContainEqual(['trace', { format: 'tree' }])
    expect(await ask({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'boom' } })).toMatchObject({
      result: { isError: true, content: [{ text: expect.stringContaining('kaboom') }] },
    })
  })

  it('answers garbage with JSON-RPC errors, and notifications with nothing', async () => {
    expect(await ask('{not json')).toMatchObject({ id: null, error: { code: -32700 } })
    expect(await ask({ jsonrpc: '2.0', id: 6, method: 'resources/list' })).toMatchObject({
      id: 6,
      error: { code: -32601 },
    })
    expect(await ask({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: {} })).toMatchObject({
      id: 7,
      error: { code: -32602 },
    })
    expect(await ask({ jsonrpc: '2.0', method: 'notifications/initialized' })).toBeUndefined()
    expect(await ask({ jsonrpc: '2.0', id: 8, result: {} })).toMatchObject({ id: 8, error: { code: -32600 } })
  })
})

describe('the bundled server', () => {
  const lines = (...messages: unknown[]) => messages.map((m) => JSON.stringify(m)).join('\n') + '\n'
  const run = (input: string, env: Record<string, string> = {}) => {
    const home = testdir({})
    const result = spawnSync(process.execPath, [join(PLUGIN, 'mcp', 'server.mjs')], {
      input,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CLAUDE_PLUGIN_DATA: join(home, 'data'),
        CLAUDE_PROJECT_DIR: home,
        ...env,
      },
      timeout: 30_000, // a server that never exits fails here, not by the test's own timeout
    })
    expect(result.signal, 'the server exits when its input closes').toBeNull()
    return result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; result?: { content: Array<{ text: string }>; isError?: boolean } })
  }

  it('answers every request before it exits when Claude Code closes its input', () => {
    const replies = run(
      lines(
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
        },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'context_list', arguments: {} } },
      ),
    )
    expect(replies.map((r) => r.id)).toEqual([1, 2, 3])
    expect(replies[2]!.result!.content[0]!.text).toMatch(/No Switchboard session found yet/)
  })

  // Where the hooks module runs, the tools' thread starts with the server (server.ts): idle, it must not keep the
  // server alive once Claude Code closes its input, and a call still gets its answer.
  it('starts its tools early where the hooks module runs, and still exits when its input closes', async () => {
    const handshake = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }
    const module = { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 's1', CLAUDE_CODE_SESSION_ID: 's1' }
    // Variables inherited from another session's module (a Claude Code started from its Bash tool): settings mode.
    const inherited = { ...module, CLAUDE_CODE_SESSION_ID: 's2' }
    expect(run(lines(handshake), module).map((r) => r.id)).toEqual([1])
    // Which sessions load the tools before a call: a copy of the server whose tools' bundle notes its load.
    const mcp = join(testdir(), 'mcp')
    cpSync(join(PLUGIN, 'mcp'), mcp, { recursive: true })
    renameSync(join(mcp, 'tools.mjs'), join(mcp, 'tools-real.mjs'))
    writeFileSync(
      join(mcp, 'tools.mjs'),
      "import { appendFileSync } from 'node:fs'\nappendFileSync(process.env.LOADS, 'loaded\\n')\nexport * from './tools-real.mjs'\n",
    )
    for (const [runtime, loads] of [
      [module, true],
      [{}, false],
      [inherited, false],
    ] as const) {
      const log = join(testdir(), 'loads.txt')
      writeFileSync(log, '')
      const server = spawn(process.execPath, [join(mcp, 'server.mjs')], {
        env: { PATH: process.env.PATH ?? '', HOME: testdir(), LOADS: log, ...runtime },
        stdio: ['pipe', 'ignore', 'ignore'],
      })
      const exited = new Promise((done) => server.on('exit', done))
      server.stdin.write(lines(handshake))
      // Input kept open meanwhile: the warm thread loads the bundle with no call waiting; else nothing loads.
      for (let waited = 0; waited < (loads ? 20_000 : 1_500) && readFileSync(log, 'utf8') === ''; waited += 50)
        await new Promise((done) => setTimeout(done, 50))
      expect(readFileSync(log, 'utf8'), JSON.stringify(runtime)).toBe(loads ? 'loaded\n' : '')
      server.stdin.end()
      await exited
    }
    const replies = run(
      lines(handshake, {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'context_list', arguments: {} },
      }),
      module,
    )
    expect(replies[1]!.result!.content[0]!.text).toMatch(/No context slots yet/)
  })

  it('names the wrong argument and the right ones, and runs nothing', () => {
    const [reply] = run(
      lines({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'context_put', arguments: { name: 'draft', value: 7, sneaky: true } },
      }),
    )
    expect(reply!.result!.isError).toBe(true)
    expect(reply!.result!.content[0]!.text).toBe(
      'Wrong arguments for context_put: "value" must be a string, not a number; "sneaky" is not one of its arguments. Its arguments: name (required), value (required), json, secret, share_with.',
    )
  })

  // Found by review: arguments nested 20,000 deep parse, but cannot be copied to the tools' thread.
  it('answers arguments it cannot hand to its tools with an error, and the next call as usual', () => {
    const nested = `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`
    const call = (id: number, args: string) =>
      `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"context_list","arguments":${args}}}`
    const replies = run(`${call(1, `{"deep":${nested}}`)}\n${call(2, '{}')}\n`)
    expect(replies.map((r) => [r.id, r.result?.isError ?? false]).sort()).toEqual([
      [1, true],
      [2, false],
    ])
    expect(replies[0]!.result!.content[0]!.text).toMatch(/^Switchboard's context_list failed: .*call stack/)
  })
})

// The module's side of Switchboard's own MCP server: which agents need it connected before they start,
// and a connect that must answer Switchboard's own server (module/own-server.ts).
import { describe, expect, it } from 'vitest'
import type { Engine } from '../../src/module/mod-api.ts'
import { connectOwnServer, namesOwnTools } from '../../src/module/own-server.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { toSnapshot } from '../../src/registry/snapshot-store.ts'
import { EXAMPLES } from '../helpers/plugins.ts'

const snapshot = toSnapshot(
  buildRegistry({ cwd: EXAMPLES[0]!, env: { HOME: '/nonexistent-home' }, installed: false, pluginDirs: EXAMPLES }),
)

/** A `$` whose `$.mcp.connect` answers `answer` after `delayMs`, counting the dials. */
function engineAnswering(answer: unknown, dials: string[], delayMs = 0): Engine {
  return {
    plugin: { name: 'switchboard', root: '/plugins/switchboard' },
    mcp: {
      connect: async (server: string) => {
        dials.push(server)
        await new Promise((resolve) => setTimeout(resolve, delayMs))
        return answer
      },
    },
  } as unknown as Engine
}

describe('namesOwnTools', () => {
  it("is true for an agent whose tools: line names the server's tools, false for one that names none of them", () => {
    // examples/tdd-tech/agents/tech-writer.md names context_put and plan_call; the editor names none.
    expect(namesOwnTools(snapshot, 'switchboard', 'tdd-tech:tech-writer')).toBe(true)
    expect(namesOwnTools(snapshot, 'switchboard', 'tdd-editor:editor')).toBe(false)
  })

  it('reads the tools under the name Switchboard was loaded as, and knows nothing without a snapshot', () => {
    expect(namesOwnTools(snapshot, 'switchboard-fork', 'tdd-tech:tech-writer')).toBe(false)
    expect(namesOwnTools(undefined, 'switchboard', 'tdd-tech:tech-writer')).toBe(false)
    expect(namesOwnTools(snapshot, 'switchboard', 'general-purpose')).toBe(false)
  })

  it('takes the whole server as well as one of its tools', () => {
    const writer = snapshot.components.find((c) => c.id === 'tdd-tech:tech-writer')!
    const withTools = (tools: string[]) => ({
      ...snapshot,
      components: snapshot.components.map((c) => (c === writer ? { ...c, tools } : c)),
    })
    expect(namesOwnTools(withTools(['Read', 'mcp__plugin_switchboard_switchboard']), 'switchboard', writer.id)).toBe(
      true,
    )
    expect(namesOwnTools(withTools(['mcp__plugin_switchboard_switchboardx__trace']), 'switchboard', writer.id)).toBe(
      false,
    )
  })
})

describe('connectOwnServer', () => {
  it('asks for the server by its key, and shares one dial among callers that overlap', async () => {
    const dials: string[] = []
    const $ = engineAnswering({ isConnected: true, server: 'plugin:switchboard:switchboard' }, dials, 20)
    const answers = await Promise.all([connectOwnServer($), connectOwnServer($), connectOwnServer($)])
    expect(answers.every((a) => a.isConnected)).toBe(true)
    expect(dials).toEqual(['switchboard'])
    await connectOwnServer($) // settled: the next need asks again
    expect(dials).toHaveLength(2)
  })

  it('asks again by the name /mcp lists it under where the key fails (another server listed under it)', async () => {
    const dials: string[] = []
    const $ = {
      plugin: { name: 'switchboard', root: '/plugins/switchboard' },
      mcp: {
        connect: async (server: string) => {
          dials.push(server)
          return server === 'switchboard'
            ? { isConnected: false, reason: 'failed', message: 'another server is listed as switchboard' }
            : { isConnected: true, server: 'plugin:switchboard:switchboard' }
        },
      },
    } as unknown as Engine
    expect(await connectOwnServer($)).toEqual({ isConnected: true, server: 'plugin:switchboard:switchboard' })
    expect(dials).toEqual(['switchboard', 'plugin:switchboard:switchboard'])
  })

  it("refuses a connect answered with another plugin's server, whose word the module would take", async () => {
    const $ = engineAnswering({ isConnected: true, server: 'plugin:evil:switchboard' }, [])
    expect(await connectOwnServer($)).toEqual({
      isConnected: false,
      reason: 'failed',
      message: 'the connect answered another server (plugin:evil:switchboard)',
    })
  })
})

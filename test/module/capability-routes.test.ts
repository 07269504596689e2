// How the hooks module has capability requests routed (module/capability-routes.ts), with the server's
// real tool answering in process: what it sends, how it splits, and what it refuses to believe.
import { describe, expect, it } from 'vitest'
import { routerFor } from '../../src/module/capability-routes.ts'
import type { Engine } from '../../src/module/mod-api.ts'
import { routeCapability } from '../../src/resolve/index.ts'
import { examplesRegistry } from '../helpers/workflows.ts'
import { serverEngine as engine } from '../helpers/module-engine.ts'
import type { Sent } from '../helpers/module-engine.ts'

const registry = examplesRegistry()
// A component that offers many capabilities of other names (the server takes at most 32 a component).
const hoarder = {
  ...registry.components.find((c) => c.id === 'tdd-editor:editor')!,
  id: 'tdd-hoard:hoarder',
  orchestration: {
    ...registry.components.find((c) => c.id === 'tdd-editor:editor')!.orchestration!,
    provides: Array.from({ length: 40 }, (_, i) => ({ name: `thing-${i}`, version: '1.0.0' })),
  },
}
const snapshot = { components: [...registry.components, hoarder] }

describe('routerFor', () => {
  it("routes as routeCapability does, sending only the requested names' offers", async () => {
    const sent: Sent[] = []
    const requests = ['copy-editing@^1', 'copy-editing@^9', 'thing-3@1']
    const route = await routerFor(engine(sent), snapshot, requests)
    for (const request of requests)
      expect(route(request, [])).toEqual(routeCapability(request, snapshot.components as never))
    expect(route('copy-editing@^1', [])).toMatchObject({ ok: true, provider: 'tdd-editor:editor' })
    expect(sent).toHaveLength(1)
    const providers = sent[0]!.args.providers as Array<{ id: string; orchestration: { provides: unknown[] } }>
    expect(providers.find((p) => p.id === 'tdd-hoard:hoarder')!.orchestration.provides).toEqual([
      { name: 'thing-3', version: '1.0.0' },
    ])
  })

  it('asks in chunks the server takes, and asks nothing when there is nothing to route', async () => {
    const sent: Sent[] = []
    const requests = Array.from({ length: 70 }, (_, i) => `thing-${i % 40}@^${i}`)
    const route = await routerFor(engine(sent), snapshot, requests)
    expect(sent.map((s) => (s.args.requests as string[]).length)).toEqual([64, 6])
    expect(route('thing-1@^1', [])).toMatchObject({ ok: true, provider: 'tdd-hoard:hoarder' })
    const none: Sent[] = []
    await routerFor(engine(none), snapshot, [])
    expect(none).toEqual([])
  })

  it('takes no answer that names a component it did not offer, or an offer it does not have', async () => {
    const foreign = (provider: string, version: string) => (args: Record<string, unknown>) => ({
      routes: Object.fromEntries(
        (args.requests as string[]).map((r) => [r, { ok: true, provider, version, explanation: 'trust me' }]),
      ),
    })
    for (const [provider, version] of [
      ['tdd-design:illustrator', '1.0.0'],
      ['tdd-editor:editor', '9.9.9'],
    ] as const) {
      const route = await routerFor(engine([], { answer: foreign(provider, version) }), snapshot, ['copy-editing@^1'])
      expect(route('copy-editing@^1', [])).toEqual({
        ok: false,
        explanation: "Switchboard's MCP server did not route it (its answer named no component that provides it)",
      })
    }
  })

  it('says how to fix an unreachable server', async () => {
    const down = {
      plugin: { name: 'switchboard', root: '/plugins/switchboard' },
      mcp: { connect: async () => ({ isConnected: false, reason: 'disabled', message: 'disabled in /mcp' }) },
    } as unknown as Engine
    const route = await routerFor(down, snapshot, ['copy-editing@^1'])
    expect(route('copy-editing@^1', []).explanation).toBe(
      "Switchboard routes capability requests with its MCP server: Switchboard's MCP server is not connected (disabled in /mcp). /mcp shows its state: reconnect it, or start a new session.",
    )
  })
})

// route_capabilities: how the hooks module, which carries no semver, has capability requests routed
// (module/capability-routes.ts). Called as the server's tool bundle dispatches it; its answers are
// routeCapability's for the providers the module sends, so both runtimes route alike.
import { describe, expect, it } from 'vitest'
import { callTool } from '../../src/mcp/tool-calls.ts'
import type { ToolEnvironment } from '../../src/mcp/tools.ts'
import { routeCapability } from '../../src/resolve/index.ts'
import { examplesRegistry } from '../helpers/workflows.ts'

// The tool reads no file, registry or session: an environment it never touches.
const environment = {} as ToolEnvironment

describe('route_capabilities', () => {
  const providers = examplesRegistry()
    .components.filter((c) => (c.orchestration?.provides.length ?? 0) > 0)
    .map((c) => ({ id: c.id, callable: c.callable, orchestration: { provides: c.orchestration!.provides } }))
  const requests = ['copy-editing@^1', 'copy-editing@^2', 'copy-editing@^^1', 'nothing-provides@*']

  it("answers each request as routeCapability does over the caller's providers", async () => {
    const answer = await callTool('route_capabilities', { requests, providers }, environment)
    expect(answer.isError).toBeUndefined()
    const { routes } = JSON.parse(answer.text)
    expect(routes).toEqual(Object.fromEntries(requests.map((r) => [r, routeCapability(r, providers)])))
    // Not vacuous: the examples route one request and refuse the others, each with its reason.
    expect(routes['copy-editing@^1']).toMatchObject({ ok: true, provider: 'tdd-editor:editor' })
    expect(routes['copy-editing@^^1'].explanation).toContain('is not a capability request')
    expect(routes['nothing-provides@*'].explanation).toContain('no installed component provides')
  })

  it('refuses arguments of the wrong shape, naming them', async () => {
    const answer = await callTool('route_capabilities', { requests: 'copy-editing@^1', providers }, environment)
    expect(answer).toMatchObject({ isError: true, text: expect.stringContaining('requests') })
  })
})

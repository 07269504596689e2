/**
 * Capability routing in the hooks module, which carries no semver (its code costs Claude Code time
 * at every session start, docs/runtimes.md): the requests a call or a workflow is about to make are
 * routed by Switchboard's MCP server in one round trip (route_capabilities, with routeCapability and
 * this session's own providers), and the core plans with the answers. A request the server did not
 * route says why, with the fix.
 */
import { isObject } from '../common/core.ts'
import type { CapabilityRouter, Route } from '../resolve/core.ts'
import type { RegistrySnapshot } from '../registry/snapshot-format.ts'
import { allSteps } from '../workflow/core.ts'
import type { Workflow } from '../workflow/core.ts'
import type { Engine } from './mod-api.ts'
import { callOwnServer } from './own-server.ts'

/** A router over the routes of `requests` (capability requests), asked of the server only when there are any. */
export async function routerFor(
  $: Engine,
  snapshot: RegistrySnapshot,
  requests: readonly string[],
): Promise<CapabilityRouter> {
  const wanted = [...new Set(requests)]
  if (wanted.length === 0) return routesRouter({}, 'no capability request was expected here')
  const providers = snapshot.components
    .filter((c) => (c.orchestration?.provides.length ?? 0) > 0)
    .map((c) => ({ id: c.id, callable: c.callable, orchestration: { provides: c.orchestration!.provides } }))
  const reply = await callOwnServer($, 'route_capabilities', { requests: wanted, providers })
  if ('unreachable' in reply)
    return routesRouter({}, `Switchboard routes capability requests with its MCP server: ${reply.unreachable}`)
  const routes = isObject(reply.answer) && isObject(reply.answer.routes) ? reply.answer.routes : {}
  return routesRouter(routes as Record<string, Route>, "Switchboard's MCP server did not route it")
}

/** Every capability target of a workflow: its steps' and their fallbacks'. */
export function workflowRequests(workflow: Workflow): string[] {
  return allSteps(workflow).flatMap((step) =>
    [step, step.onError.fallback].flatMap((call) =>
      call?.target.kind === 'capability' ? [call.target.capability] : [],
    ),
  )
}

// --- internal ---

function routesRouter(routes: Record<string, Route>, otherwise: string): CapabilityRouter {
  return (request) => routes[request] ?? { ok: false, explanation: otherwise }
}

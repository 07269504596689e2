/**
 * Capability routing in the hooks module, which carries no semver (its code costs Claude Code time
 * at every session start, docs/runtimes.md): the requests the invoke tool is about to make are
 * routed by Switchboard's MCP server (route_capabilities, with routeCapability; a workflow run's are
 * routed where drive_workflow runs it), and the core plans
 * with the answers. The server is sent only what the requests need (the components that provide a
 * requested name, with those offers only), within its bounds, and its answers are taken only where
 * they name one of those offers, so a wrong or foreign answer cannot steer a call. A request the
 * server did not route says why, with the fix.
 */
import { isObject } from '../common/core.ts'
import { CAPABILITY_AT } from '../manifest/name-rules.ts'
import type { RegistrySnapshot } from '../registry/snapshot-format.ts'
import { ROUTE_LIMITS } from '../resolve/core.ts'
import type { CapabilityRouter, Route } from '../resolve/core.ts'
import type { Engine } from './mod-api.ts'
import { callOwnServer } from './own-server.ts'

const { requests: MAX_REQUESTS, providers: MAX_PROVIDERS, offers: MAX_OFFERS } = ROUTE_LIMITS

type Offer = { id: string; callable: boolean; orchestration: { provides: Array<{ name: string; version: string }> } }

/** A router over the routes of `requests` (capability requests), asked of the server only when there are any. */
export async function routerFor(
  $: Engine,
  snapshot: Pick<RegistrySnapshot, 'components'>,
  requests: readonly string[],
): Promise<CapabilityRouter> {
  const wanted = [...new Set(requests)]
  const routes: Record<string, Route> = {}
  if (wanted.length === 0) return routesRouter(routes, [], 'no capability request was expected here')
  const names = new Set(wanted.map((request) => CAPABILITY_AT.exec(request)?.[1]).filter((n) => n !== undefined))
  const providers: Offer[] = snapshot.components.flatMap((c) => {
    const provides = (c.orchestration?.provides ?? []).filter((p) => names.has(p.name)).slice(0, MAX_OFFERS)
    return provides.length > 0 ? [{ id: c.id, callable: c.callable, orchestration: { provides } }] : []
  })
  if (providers.length > MAX_PROVIDERS)
    return routesRouter(
      routes,
      providers,
      `more than ${MAX_PROVIDERS} installed components provide it, more than Switchboard routes; call a component by its id`,
    )
  for (let start = 0; start < wanted.length; start += MAX_REQUESTS) {
    const reply = await callOwnServer($, 'route_capabilities', {
      requests: wanted.slice(start, start + MAX_REQUESTS),
      providers,
    })
    if ('failed' in reply)
      return routesRouter(
        routes,
        providers,
        `Switchboard routes capability requests with its MCP server: ${reply.failed}`,
      )
    if (isObject(reply.answer) && isObject(reply.answer.routes)) Object.assign(routes, reply.answer.routes)
  }
  return routesRouter(routes, providers, "Switchboard's MCP server did not route it")
}

// --- internal ---

/** Answers from `routes`, each taken only where it names an offer that was sent: callable, of that name and version. */
function routesRouter(routes: Record<string, Route>, offers: readonly Offer[], otherwise: string): CapabilityRouter {
  return (request) => {
    const route = routes[request]
    if (!isObject(route) || typeof route.explanation !== 'string') return { ok: false, explanation: otherwise }
    if (!route.ok) return { ok: false, explanation: route.explanation }
    const name = CAPABILITY_AT.exec(request)?.[1]
    const offered = offers.some(
      (o) =>
        o.id === route.provider &&
        o.callable &&
        o.orchestration.provides.some((p) => p.name === name && p.version === route.version),
    )
    return offered
      ? { ok: true, provider: route.provider, version: route.version, explanation: route.explanation }
      : { ok: false, explanation: `${otherwise} (its answer named no component that provides it)` }
  }
}

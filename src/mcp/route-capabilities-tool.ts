/**
 * `route_capabilities`: capability requests (`seo-analysis@^1`) routed among the providers the caller
 * names, by routeCapability, the one router of both runtimes. The hooks module carries no semver
 * (Claude Code analyses a module's whole code at every session start: docs/runtimes.md), so it sends
 * the requests a call or a workflow is about to make, with the providers of its own registry snapshot,
 * and plans with the answers (module/capability-routes.ts). Pure: no file is read here, and the routes
 * are the ones the caller's own snapshot gives.
 */
import { routeCapability } from '../resolve/index.ts'
import type { Provider, Route } from '../resolve/index.ts'

export interface RouteCapabilitiesArgs {
  requests: string[]
  providers: Provider[]
}

export function routeCapabilitiesTool(args: RouteCapabilitiesArgs): string {
  const routes: Record<string, Route> = {}
  for (const request of args.requests) routes[request] = routeCapability(request, args.providers)
  return JSON.stringify({ routes })
}

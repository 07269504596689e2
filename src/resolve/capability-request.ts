/**
 * What a capability request looks like, and the router type the planner takes: the runtime-neutral part of
 * capability routing. It holds no semver on purpose: semver is CommonJS, so a bundle that imports any file
 * importing it carries all of it (about 40 KB), and the hooks module, which Claude Code analyses whole at
 * every session's start, only tells requests apart and asks Switchboard's MCP server to route them.
 */
import { CAPABILITY_AT } from '../manifest/name-rules.ts'

export interface Provider {
  id: string
  callable: boolean
  orchestration: { provides: Array<{ name: string; version: string }> } | null
}

export type Route =
  | { ok: true; provider: string; version: string; explanation: string }
  | { ok: false; explanation: string }

/** Whether a target names a capability (`name@range`) rather than a component (`plugin:name`). */
export function isCapabilityRequest(target: string): boolean {
  return !target.includes(':') && CAPABILITY_AT.test(target)
}

/**
 * How a runtime routes a capability request: Node with routeCapability (semver); the hooks module,
 * which carries no semver, with the routes Switchboard's MCP server worked out for the requests it
 * was about to make (module/capability-routes.ts).
 */
export type CapabilityRouter = (request: string, providers: readonly Provider[]) => Route

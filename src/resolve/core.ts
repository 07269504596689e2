// The runtime-neutral part of resolve (no Node, no semver): what a capability request looks like, and the
// router type the planner takes. Routing itself needs semver: Node routes (index.ts), and the hooks module
// asks Switchboard's MCP server (module/capability-routes.ts).
export { isCapabilityRequest } from './capabilities.ts'
export type { CapabilityRouter, Route } from './capabilities.ts'
export { ROUTE_LIMITS } from './route-limits.ts'

// The runtime-neutral part of resolve (no Node, no semver: see capability-request.ts): what a capability request looks like, and the
// router type the planner takes. Routing itself needs semver: Node routes (index.ts), and the hooks module
// asks Switchboard's MCP server (module/capability-routes.ts).
export { isCapabilityRequest } from './capability-request.ts'
export type { CapabilityRouter, Route } from './capability-request.ts'
export { ROUTE_LIMITS } from './route-limits.ts'

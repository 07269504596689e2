// The runtime-neutral part of resolve (no Node): capability routing, for the planner in both runtimes.
export { isCapabilityRequest, routeCapability } from './capabilities.ts'

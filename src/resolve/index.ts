export { formatDependency, resolveDependencies, unsatisfiedPlugins } from './dependencies.ts'
export type { DependencyNode, DependencyReport } from './dependencies.ts'
export { capabilityCallTable, isCapabilityRequest, routeCapability } from './capabilities.ts'
export type { Provider, Route } from './capabilities.ts'

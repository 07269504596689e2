export { formatDependency, resolveDependencies, unsatisfiedPlugins } from './dependencies.ts'
export type { DependencyNode, DependencyRef, DependencyReport } from './dependencies.ts'
export { isCapabilityRequest, routeCapability } from './capabilities.ts'
export type { Provider, Route } from './capabilities.ts'

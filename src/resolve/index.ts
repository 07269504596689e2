export { formatDependency, resolveDependencies, unsatisfiedPlugins } from './dependencies.ts'
export type { DependencyNode, DependencyReport } from './dependencies.ts'
export { capabilityCallTable, routeCapability } from './capabilities.ts'
export type { Provider } from './capabilities.ts'

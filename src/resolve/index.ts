export { formatDependency, resolveDependencies } from './dependencies.ts'
export type { DependencyNode, DependencyRef, DependencyReport } from './dependencies.ts'

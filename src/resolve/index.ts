export { formatDependency, resolveDependencies, unsatisfiedPlugins } from './dependencies.ts'
export type { DependencyNode, DependencyRef, DependencyReport } from './dependencies.ts'

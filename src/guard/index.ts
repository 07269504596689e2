export { agentKey, decideCall, DEFAULT_POLICY, findComponent, matchesPattern, mergePolicy, PolicyFileSchema, pluginPart, policyProblem, resolveTarget } from './core.ts'
export type { CallRequest, Policy, PolicyFile, PolicySource, ResolvedTarget, Snapshot, Verdict } from './core.ts'
export { loadPolicy, policyFiles } from './policy.ts'

export { agentKey, decideCall, planInjection, readReturn, DEFAULT_POLICY, findComponent, matchesPattern, mergePolicy, PolicyFileSchema, pluginPart, policyProblem, resolveTarget, fileArguments, INVOKE_USAGE, parseInvokeWords, planCall, PlanError, splitArguments } from './core.ts'
export type { CallRequest, ContractValidator, Injection, ReturnReading, InjectionRequest, Policy, PolicyFile, PolicySource, ResolvedTarget, Snapshot, Verdict, Plan } from './core.ts'
export { loadPolicy, policyFiles } from './policy.ts'

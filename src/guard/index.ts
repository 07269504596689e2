export { decideCall, policyProblem } from './decide.ts'
export type { CallRequest, Verdict } from './decide.ts'
export { DEFAULT_POLICY, loadPolicy, matchesPattern, PolicyFileSchema, policyFiles } from './policy.ts'
export type { Policy, PolicyFile } from './policy.ts'

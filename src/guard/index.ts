export {
  agentKey,
  decideCall,
  openToEveryone,
  planInjection,
  readReturn,
  findComponent,
  matchesPattern,
  pluginPart,
  policyProblem,
  resolveTarget,
  INVOKE_USAGE,
  parseInvokeWords,
  planCall,
  PlanError,
  splitArguments,
} from './core.ts'
export type {
  Injection,
  ReturnReading,
  Policy,
  Snapshot,
  Plan,
} from './core.ts'
export { loadPolicy } from './policy.ts'

export {
  agentKey,
  decideCall,
  openToEveryone,
  planInjection,
  notStored,
  readReturn,
  findComponent,
  matchesPattern,
  policyProblem,
  resolveTarget,
  INVOKE_USAGE,
  parseInvokeWords,
  planCall,
  PlanError,
  splitArguments,
  UnclosedQuote,
  withoutSnapshotVerdict,
  SCHEDULING_TOOLS,
  schedulingProblem,
} from './core.ts'
export type {
  Injection,
  ReturnReading,
  Policy,
  Snapshot,
  Plan,
} from './core.ts'
export { loadPolicy, movedByProject } from './policy.ts'

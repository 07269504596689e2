// The runtime-neutral part of the guard (no Node): target resolution, the policy's meaning and the
// decision. The settings hooks, CLI and MCP server reach it through index.ts; the hooks module here.
export { callTargetMatches, decideCall, openToEveryone, policyProblem } from './decide.ts'
export type { Verdict } from './decide.ts'
export {
  denyPatternMatches,
  matchesPattern,
  mergePolicy,
  movedByProjectSettings,
  PROJECT_SETTINGS,
  PROJECT_SETTINGS_MAX_BYTES,
  unreadProjectSettings,
} from './policy-rules.ts'
export type { Policy, PolicySource } from './policy-rules.ts'
export { agentKey, findComponent, idPlugin, resolveTarget } from './resolve-target.ts'
export type { Snapshot } from './resolve-target.ts'
export { planInjection, storedSecretProblem } from './inject.ts'
export type { Injection } from './inject.ts'
export { notStored, readReturn } from './read-return.ts'
export type { ReturnReading } from './read-return.ts'
export {
  fileArguments,
  INVOKE_USAGE,
  parseInvokeLine,
  parseInvokeWords,
  planCall,
  PlanError,
  withoutUsage,
} from './plan.ts'
export {
  INVOKE_INPUT_LIMIT,
  INVOKE_INPUT_SCHEMA,
  invokeFinished,
  invokeUnjudged,
  invokeRefused,
  invokeSkill,
  readInvokeInput,
  renderInvokeResult,
} from './invoke.ts'
export type { InvokeRequest, InvokeResult } from './invoke.ts'
export type { Plan } from './plan.ts'
export { splitArguments, UnclosedQuote } from './split-arguments.ts'
export { withoutSnapshotVerdict } from './without-snapshot.ts'
export { SCHEDULING_TOOLS, schedulingProblem } from './scheduled-prompts.ts'

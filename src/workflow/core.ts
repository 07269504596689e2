// The runtime-neutral part of workflows (no Node, no YAML package): the format, parsing a parsed
// value, checking against the registry and the policy, planning, input values and references.
// The hooks module may import this door; index.ts adds reading files (YAML, Node).
export { checkWorkflow, RUN_TIME_CODES } from './check.ts'

export { conditionHolds } from './conditions.ts'
export { fillCall } from './fill.ts'

export { resolveInputs } from './inputs.ts'

export type { Limits, Workflow } from './model.ts'
export { parseWorkflow } from './parse.ts'

export { planWorkflow } from './plan.ts'
export type { PlannedCall, PlannedStep, WorkflowPlan } from './plan.ts'
export { substituteInputs, workflowReferences } from './references.ts'

export type { WorkflowContext } from './resolve-calls.ts'
export { WorkflowSchema } from './schema.ts'

export { advance, settle, startRun } from './run-engine.ts'
export type {
  CallOutcome,
  RunCall,
  RunResult,
  RunSetup,
  RunState,
} from './run-engine.ts'
export {
  parseReceipt,
  receiptFileName,
  receiptsFolder,
  workflowKey,
} from './receipts.ts'
export { readWorkflowRequest } from './run-request.ts'
export type { WorkflowRequest } from './run-request.ts'
export { expectedOfToolUse, handOut, helperPrompt, matchGuided, stepToken } from './guided.ts'
export type { ExpectedCall, GuidedRuns } from './guided.ts'
export type { Receipt } from './receipts.ts'
export { refusalRecords } from './refusals.ts'
export { agentTranscriptPath, countTurns } from './turns.ts'

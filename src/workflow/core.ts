// The runtime-neutral part of workflows (no Node, no YAML package, no zod): the model, checking
// against the registry and the policy, planning, running, input values and references. The hooks
// module imports this door for the little it needs (receipts' names, the helper prompt, the request);
// parsing (the file format's schema: zod), checking and the run engine run on Node, in Switchboard's
// MCP server (mcp/drive-workflow-tool.ts), which decides the module's runs too.
export { checkWorkflow, RUN_TIME_CODES } from './check.ts'

export { conditionHolds } from './conditions.ts'
export { fillCall } from './fill.ts'
export { isWorkflowPath } from './workflow-spec.ts'

export { resolveInputs } from './inputs.ts'

export type { Limits, Workflow } from './model.ts'

export { planWorkflow } from './plan.ts'
export type { PlannedCall, PlannedStep, WorkflowPlan } from './plan.ts'
export { substituteInputs, workflowReferences } from './references.ts'

export type { WorkflowContext } from './resolve-calls.ts'

export { advance, settle, startRun } from './run-engine.ts'
export type {
  CallOutcome,
  RunAction,
  RunCall,
  RunResult,
  RunSetup,
  RunState,
} from './run-engine.ts'
export {
  parseReceipt,
  receiptFileName,
  receiptsFolder,
  receiptsFolderChain,
  receiptsFolderLinked,
  workflowKey,
} from './receipts.ts'
export { readWorkflowRequest } from './run-request.ts'
export { DRIVE_LIMITS } from './drive-limits.ts'
export type { WorkflowRequest } from './run-request.ts'
export { expectedOfToolUse, handOut, helperPrompt, matchGuided, stepToken } from './guided.ts'
export type { ExpectedCall, GuidedRuns } from './guided.ts'
export type { Receipt } from './receipts.ts'
export { refusalRecords } from './refusals.ts'
export { agentTranscriptPath, countTurns, endsWithAnswer } from './turns.ts'

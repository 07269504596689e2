// The runtime-neutral part of workflows (no Node, no YAML package): the format, parsing a parsed
// value, checking against the registry and the policy, planning, input values and references.
// The hooks module may import this door; index.ts adds reading files (YAML, Node).
export { checkWorkflow, resolveSteps, RUN_TIME_CODES } from './check.ts'
export type { ResolvedStep } from './check.ts'
export { stepCalls } from './check-budgets.ts'
export { slotReads } from './check-slots.ts'
export { conditionHolds, MATCH_LIMIT } from './conditions.ts'
export { fillCall } from './fill.ts'
export type { FilledCall } from './fill.ts'
export { resolveInputs } from './inputs.ts'
export type { InputValues } from './inputs.ts'
export { allSteps, durationMs, targetLabel, targetOf } from './model.ts'
export type { ArgValue, Call, Limits, StepTarget, Wave, Workflow, WorkflowInput, WorkflowStep } from './model.ts'
export { parseWorkflow, pathOf, stepPath } from './parse.ts'
export type { WorkflowSource } from './parse.ts'
export { planWorkflow } from './plan.ts'
export type { PlannedCall, PlannedStep, WorkflowPlan } from './plan.ts'
export { soleReference, substituteInputs, workflowReferences } from './references.ts'
export type { WorkflowReference } from './references.ts'
export { resolveCall, resolveCaller } from './resolve-calls.ts'
export type { ResolvedCall, WorkflowContext } from './resolve-calls.ts'
export { CLAUDE_CODE_CONCURRENT_AGENTS, INPUTS, WorkflowSchema } from './schema.ts'
export type { Condition, WorkflowFile } from './schema.ts'
export { advance, runResult, settle, startRun } from './run-engine.ts'
export type {
  CallOutcome,
  RunAction,
  RunCall,
  RunResult,
  RunSetup,
  RunState,
  RunStatus,
  StepResult,
  StepStatus,
} from './run-engine.ts'
export {
  canonicalJson,
  inputsHash,
  parseReceipt,
  RECEIPT_VERSION,
  receiptFileName,
  receiptsFolder,
  sameKey,
  sha256Hex,
  workflowKey,
} from './receipts.ts'
export { readWorkflowRequest } from './run-request.ts'
export type { WorkflowRequest } from './run-request.ts'
export { expectedOfToolUse, GUIDED_FILE, handOut, helperPrompt, matchGuided, stepToken } from './guided.ts'
export type { ExpectedCall, GuidedMatch, GuidedRuns } from './guided.ts'
export type { Receipt, ReceiptKey } from './receipts.ts'
export { refusalRecords } from './refusals.ts'
export { agentTranscriptPath, countTurns } from './turns.ts'

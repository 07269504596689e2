// Workflows: the runtime-neutral core (core.ts) plus reading files on Node (YAML).
export { advance, canonicalJson, inputsHash, parseReceipt, RECEIPT_VERSION, receiptFileName, runResult, sameKey, settle, sha256Hex, startRun } from './core.ts'
export type { CallOutcome, Receipt, ReceiptKey, RunAction, RunCall, RunResult, RunSetup, RunState, RunStatus, StepResult, StepStatus } from './core.ts'
export { allSteps, checkWorkflow, conditionHolds, fillCall, MATCH_LIMIT, CLAUDE_CODE_CONCURRENT_AGENTS, durationMs, INPUTS, parseWorkflow, pathOf, planWorkflow, resolveCall, resolveCaller, resolveInputs, resolveSteps, slotReads, soleReference, stepCalls, stepPath, substituteInputs, targetLabel, targetOf, workflowReferences, WorkflowSchema } from './core.ts'
export type { ArgValue, Call, Condition, FilledCall, InputValues, Limits, PlannedCall, PlannedStep, ResolvedCall, ResolvedStep, StepTarget, Wave, Workflow, WorkflowContext, WorkflowFile, WorkflowInput, WorkflowPlan, WorkflowReference, WorkflowSource, WorkflowStep } from './core.ts'
export { MAX_WORKFLOW_BYTES, parseWorkflowText, readWorkflowFile } from './read-file.ts'
export { compileWorkflow, resolveForCompile, SKILL_RUNNER } from './compile.ts'
export type { CompileProblem, CompileRequest } from './compile.ts'

// Workflows: the runtime-neutral core (core.ts) plus reading files on Node (YAML).
export {
  advance,
  refusalRecords,
  handOut,
  isWorkflowPath,
  parseReceipt,
  readWorkflowRequest,
  receiptFileName,
  receiptsFolder,
  receiptsFolderChain,
  receiptsFolderLinked,
  RUN_TIME_CODES,
  settle,
  startRun,
  stepToken,
  workflowKey,
} from './core.ts'
export type { ExpectedCall, GuidedRuns } from './core.ts'
export { readGuidedRuns, writeGuidedRuns } from './guided-file.ts'
export type {
  CallOutcome,
  Receipt,
  RunAction,
  RunCall,
  RunResult,
  RunSetup,
  RunState,
} from './core.ts'
export {
  checkWorkflow,
  conditionHolds,
  fillCall,
  planWorkflow,
  resolveInputs,
  substituteInputs,
  workflowReferences,
} from './core.ts'
export { boundedPatternTest } from './bounded-pattern-test.ts'
export { parseWorkflow } from './parse.ts'
export { WorkflowSchema } from './schema.ts'
export type {
  Limits,
  PlannedCall,
  PlannedStep,
  Workflow,
  WorkflowContext,
  WorkflowPlan,
} from './core.ts'
export { MAX_WORKFLOW_BYTES, parseWorkflowText, readWorkflowFile } from './read-file.ts'
export { COMPILED_MARK, compileWorkflow, resolveForCompile } from './compile.ts'

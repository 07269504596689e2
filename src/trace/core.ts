// The runtime-neutral part of the trace (no Node): record shapes, the fold into invocations, and
// rendering. The settings hooks, CLI and MCP server use it through index.ts; the hooks module here.
export { callSequence, callTree } from './call-order.ts'

export { callsUnder, chainOf, foldInvocations, invocationOfAgent } from './invocations.ts'
export type { Invocation } from './invocations.ts'
export {
  byTime,
  CALL_LOG,
  mergeLogs,
  MODULE_CALL_LOG,
  MODULE_LOG_MAX_BYTES,
  MODULE_LOG_SEGMENT_CHARS,
  MODULE_MARKER,
  moduleLogSegment,
  moduleLogSegmentIndex,
  parseRecords,
  MODULE_MARKER_TEXT,
  PROCESSES_FOLDER,
  PROJECT_FILE,
  PRUNED_MARKER,
  pruneDue,
  clippedRecord,
  recordLine,
  safeFileName,
  sessionFolderName,
  SNAPSHOT_POINTER,
} from './records.ts'
export type { CallRecord, WorkflowTag } from './records.ts'
export { renderMermaid, renderTree } from './render.ts'
export { runtimeLine, sessionRuntimeFromEnv } from './runtime.ts'
export { sessionSummary } from './session-summary.ts'

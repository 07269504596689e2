export {
  CALL_LOG,
  callSequence,
  callTree,
  chainOf,
  foldInvocations,
  invocationOfAgent,
  mergeLogs,
  MODULE_CALL_LOG,
  MODULE_MARKER,
  recordLine,
  renderMermaid,
  renderTree,
  safeFileName,
  sessionSummary,
} from './core.ts'
export type { CallRecord, Invocation } from './core.ts'
export { appendRecord, findSession, listSessions, readRecords, sessionDir, sessionRuntime } from './call-log.ts'
export { SessionLockError, withSessionLock, withSessionLockAsync } from './session-lock.ts'

export {
  lastSessionOf,
  ownSession,
  readSessionSnapshot,
  recordSessionProcess,
  recordSessionStart,
  writeSnapshotPointer,
} from './own-session.ts'
export type { SessionRef } from './own-session.ts'
export {
  claudeVersionFromEnv,
  claudeVersionFromOutput,
  backgroundByDefault,
  loadsHooksModules,
  disabledMcpBlock,
  loadsSettingsHooks,
  managedMcpBlock,
  mcpBlockProblem,
  MODS_SINCE,
  OWN_MCP_SERVER,
  runtimeLine,
  sessionRuntimeFromEnv,
  settingsHooksMismatch,
  settingsHooksMissing,
} from './runtime.ts'
export type { RuntimeName } from './runtime.ts'
export { pruneOwnDataDaily } from './session-retention.ts'

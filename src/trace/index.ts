export {
  CALL_LOG,
  callSequence,
  callsUnder,
  callTree,
  chainOf,
  foldInvocations,
  invocationOfAgent,
  mergeLogs,
  MODULE_CALL_LOG,
  MODULE_MARKER,
  parseRecords,
  recordLine,
  renderMermaid,
  renderTree,
} from './core.ts'
export type { CallEvent, CallRecord, CallStatus, CallTree, Invocation, WorkflowTag } from './core.ts'
export { appendRecord, findSession, listSessions, readRecords, sessionDir, sessionRuntime } from './call-log.ts'
export { LOCK_TIMEOUT_MS, SessionLockError, withSessionLock } from './session-lock.ts'
export type { LockOptions } from './session-lock.ts'
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
  loadsHooksModules,
  MODS_SINCE,
  runtimeLine,
  sessionRuntimeFromEnv,
} from './runtime.ts'
export type { RuntimeName, SessionRuntime } from './runtime.ts'

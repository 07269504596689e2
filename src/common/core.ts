// The runtime-neutral part of common (no Node); index.ts adds the Node helpers (writeFileAtomic).
export {
  error,
  errorLines,
  formatDiagnostic,
  hasErrors,
  info,
  quotedExcerpt,
  warning,
  yamlMessage,
} from './diagnostics.ts'
export type { Diagnostic, Loaded } from './diagnostics.ts'
export { InternalError, isSwitchboardError, SwitchboardError, messageOf } from './errors.ts'
export { flattenIssues, issueMessage, issuePath } from './zod-issues.ts'
export { isObject } from './guards.ts'
export { duplicateJsonKeys } from './json-duplicate-keys.ts'
export { inert, inertJson, shownId } from './inert.ts'
export { isLexicallyInside, lexicalResolve } from './lexical-path.ts'
export { nearest } from './nearest.ts'
export { bytesToHex, sha256Hex } from './sha256.ts'
export { atFile } from './at-file.ts'
export { settingsText, settingsTextOfBase64 } from './settings-text.ts'

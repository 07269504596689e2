export {
  atFile,
  duplicateJsonKeys,
  error,
  errorLines,
  flattenIssues,
  formatDiagnostic,
  hasErrors,
  inert,
  inertJson,
  shownId,
  info,
  InternalError,
  isLexicallyInside,
  isObject,
  isSwitchboardError,
  issueMessage,
  issuePath,
  messageOf,
  nearest,
  quotedExcerpt,
  settingsText,
  SwitchboardError,
  warning,
  yamlMessage,
} from './core.ts'
export type { Diagnostic, Loaded } from './core.ts'
export { writeFileAtomic } from './write-file-atomic.ts'
export { isLink } from './is-link.ts'

import type { $ZodIssue } from 'zod/v4/core'

/** A zod issue path as the dotted field path used in diagnostics (`dependencies.0.version`). */
export function issuePath(issue: Pick<$ZodIssue, 'path'>, prefix?: string): string {
  const parts = issue.path.map((p) => (typeof p === 'symbol' ? p.toString() : String(p)))
  return [prefix, ...parts].filter((p) => p !== undefined && p !== '').join('.')
}

/** Flattens zod issues into one line, e.g. for a hook's single stderr line. */
export function flattenIssues(issues: readonly $ZodIssue[]): string {
  return issues.map((i) => `${issuePath(i) || '(root)'}: ${i.message}`).join('; ')
}

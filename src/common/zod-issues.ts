import type { $ZodIssue } from 'zod/v4/core'

/** A zod issue path as the dotted field path used in diagnostics (`dependencies.0.version`). */
export function issuePath(issue: Pick<$ZodIssue, 'path'>, prefix?: string): string {
  const parts = issue.path.map((p) => (typeof p === 'symbol' ? p.toString() : String(p)))
  return [prefix, ...parts].filter((p) => p !== undefined && p !== '').join('.')
}

/** Flattens zod issues into one line, e.g. for a hook's single stderr line. */
export function flattenIssues(issues: readonly $ZodIssue[]): string {
  return issues.map((i) => `${issuePath(i) || '(root)'}: ${issueMessage(i)}`).join('; ')
}

/**
 * An issue's message in the words the rest of Switchboard's messages use: zod's own for a value of the
 * wrong type reads `Invalid input: expected boolean, received string` (or only `Invalid input` where a
 * bundle carries no locale), which says neither what to write nor that a field is missing.
 */
export function issueMessage(issue: Pick<$ZodIssue, 'message' | 'code'> & { expected?: unknown }): string {
  // A schema's own wording (`expected a block of keys (callable, ...)`) stays as written.
  if (issue.code !== 'invalid_type' || typeof issue.expected !== 'string' || !issue.message.startsWith('Invalid input'))
    return issue.message
  const received = /, received (\w+)$/.exec(issue.message)?.[1]
  const wanted = TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`
  if (received === 'undefined') return `missing: write ${wanted}`
  return received ? `expected ${wanted}, not ${TYPE_WORDS[received] ?? `a ${received}`}` : `expected ${wanted}`
}

const TYPE_WORDS: Record<string, string> = {
  boolean: 'true or false',
  string: 'text',
  number: 'a number',
  array: 'a list',
  object: 'a block of keys',
  null: 'null',
}

/**
 * A step's `when`, evaluated with no code: the subject (a slot's value or an input's) and, with
 * `field`, a dotted path into it as JSON; then one test. Written once here so the runner in both
 * runtimes and any preview agree.
 * - `exists`: the slot is set (and the field is there), or not;
 * - `equals` / `not_equals`: numbers and booleans compare as such; anything else as text;
 * - `matches`: a regular expression (the `u` flag) against the value as text, its first
 *   MATCH_LIMIT characters only, so a hostile value cannot make a slow pattern run long. How it is
 *   tested is the runtime's (PatternTest): Node's regular expressions have no timeout, so Node
 *   bounds them in time (bounded-pattern-test.ts); Claude Code's sandbox gives up on its own.
 */
import type { Condition } from './schema.ts'

const MATCH_LIMIT = 10_000

/** Whether `pattern` (the `u` flag) matches `text`; throws, with the reason, when it cannot tell. */
export type PatternTest = (pattern: string, text: string) => boolean

const plainTest: PatternTest = (pattern, text) => new RegExp(pattern, 'u').test(text)

/** `lookup(condition)`: the subject's value (a slot's, JSON values as parsed), or undefined when unset. */
export function conditionHolds(
  condition: Condition,
  lookup: (subject: { slot?: string; input?: string }) => unknown,
  test: PatternTest = plainTest,
): boolean {
  const subject = lookup(condition.input === undefined ? { slot: condition.slot! } : { input: condition.input })
  const value = condition.field === undefined ? subject : fieldOf(subject, condition.field)
  if (condition.exists !== undefined) return (value !== undefined && value !== null) === condition.exists
  if (value === undefined) return condition.not_equals !== undefined
  if (condition.equals !== undefined) return same(value, condition.equals)
  if (condition.not_equals !== undefined) return !same(value, condition.not_equals)
  if (condition.matches !== undefined) return test(condition.matches, textOf(value).slice(0, MATCH_LIMIT))
  return false
}

// --- internal ---

function fieldOf(value: unknown, path: string): unknown {
  let node: unknown = value
  if (typeof node === 'string') {
    try {
      node = JSON.parse(node)
    } catch {
      return undefined
    }
  }
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

function same(value: unknown, expected: string | number | boolean): boolean {
  if (typeof expected !== 'string' && typeof value === typeof expected) return value === expected
  return textOf(value).trim() === String(expected)
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
}

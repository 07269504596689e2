/**
 * A request to run a workflow, as the invoke tool (module mode) and run_workflow (settings mode) take
 * it: `workflow` (an id or path, or the whole line as typed after /switchboard:run, with input=value
 * words and --fresh), `inputs`, `fresh`. Each wrong field gets its fix.
 */
import { splitArguments, UnclosedQuote } from '../guard/core.ts'

export interface WorkflowRequest {
  workflow: string
  inputs: Record<string, string>
  fresh: boolean
}

/** The invoke tool's workflow fields: `workflow` (an id or path, or the whole line as typed after /switchboard:run), `inputs`, `fresh`. */
export function readWorkflowRequest(
  input: Record<string, unknown>,
): { ok: true; request: WorkflowRequest } | { ok: false; problem: string } {
  const unknown = Object.keys(input).filter((key) => !['workflow', 'inputs', 'fresh'].includes(key))
  if (unknown.length > 0)
    return {
      ok: false,
      problem: `"${unknown[0]}" does not go with workflow. A run takes workflow (plugin:name or a path, optionally followed by input=value words), inputs and fresh.`,
    }
  if (typeof input.workflow !== 'string' || input.workflow.trim() === '')
    return {
      ok: false,
      problem:
        'workflow must be a non-empty string: plugin:name (e.g. tdd-editor:illustrate-draft) or a path inside the project.',
    }
  if (input.fresh !== undefined && typeof input.fresh !== 'boolean')
    return { ok: false, problem: 'fresh must be true or false.' }
  const given = input.inputs ?? {}
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    return { ok: false, problem: 'inputs must be an object of named strings, e.g. {"draft": "..."}.' }
  const bad = Object.entries(given).find(([, value]) => typeof value !== 'string')
  if (bad)
    return { ok: false, problem: `inputs.${bad[0]} must be a string; write numbers and lists as text, e.g. "3".` }
  let words: string[]
  try {
    words = splitArguments(input.workflow)
  } catch (thrown) {
    if (thrown instanceof UnclosedQuote) return { ok: false, problem: `${thrown.message}.` }
    throw thrown
  }
  let fresh = input.fresh === true
  // No prototype: an input named `constructor` or `__proto__` is an input like any other (review).
  const inputs: Record<string, string> = Object.assign(Object.create(null), given as Record<string, string>)
  for (const word of words.slice(1)) {
    if (word === '--fresh') {
      fresh = true
      continue
    }
    const eq = word.indexOf('=')
    if (eq <= 0)
      return {
        ok: false,
        problem: `"${word}" is not input=value; write e.g. draft=@draft.md or style=flat (or --fresh).`,
      }
    if (Object.hasOwn(inputs, word.slice(0, eq)))
      return { ok: false, problem: `input "${word.slice(0, eq)}" is given twice.` }
    inputs[word.slice(0, eq)] = word.slice(eq + 1)
  }
  return { ok: true, request: { workflow: words[0] ?? '', inputs, fresh } }
}

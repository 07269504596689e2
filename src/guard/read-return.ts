/**
 * Typed returns, decided once for both runtimes: a call's result read as its target's output contract
 * says, checked, and the slot to store it in, or the message for the caller when it did not match.
 * Pure: the runtime stores the slot and passes the contract validator (manifest/validate-contract.ts).
 */
import { inert, messageOf, shownId } from '../common/core.ts'
import type { Slot } from '../context/core.ts'
import { contractToJsonSchema, isTextContract } from '../manifest/contract-schema.ts'
import { extractJson } from '../protocol/core.ts'
import type { Component } from '../registry/index.ts'

export interface ReturnReading {
  /** The slot to store, when the call named one (`into`) and the return fits its contract. */
  slot?: Omit<Slot, 'ts'>
  /** What the caller is told when the return does not match the contract. */
  problem?: string
  /** The return as its contract reads it: the parsed JSON value for a JSON contract (when one was found), else the text. */
  value: unknown
  /** What does not match the contract, one line each; empty when it matches. */
  problems: string[]
}

/** Problems with a value against a JSON Schema, one line each; empty when it matches. */
export type ContractValidator = (schema: Record<string, unknown>, value: unknown) => string[]

export function readReturn(
  invocation: { id: string; target: string; into: string | null },
  text: string,
  component: Component | undefined,
  validate: ContractValidator,
): ReturnReading {
  const contract = component?.orchestration?.output
  const writer = `return:${invocation.target}`
  if (contract === undefined || isTextContract(contract)) {
    return invocation.into
      ? { slot: { name: invocation.into, type: 'text', value: text, writer }, value: text, problems: [] }
      : { value: text, problems: [] }
  }
  const extracted = extractJson(text)
  const stored = invocation.into ? ` It was not stored in slot "${invocation.into}".` : ''
  if (!extracted.ok) {
    const problem = 'it should be JSON, and no JSON value was found in it'
    return {
      problem: `Switchboard: the return of ${shownId(invocation.target)} (${inert(invocation.id)}) does not match its output contract: ${problem}.${stored} Ask it again for JSON only, or use its text as it is.`,
      value: text,
      problems: [problem],
    }
  }
  // A number past JSON's range parses as Infinity, which a validator takes for a number and JSON then
  // stores as null: the value checked would not be the value stored.
  const unstorable = hasNonFiniteNumber(extracted.value)
  const problems = unstorable
    ? ['it holds a number too large to store (such as 1e400, which reads as Infinity and is stored as null)']
    : validate(contractToJsonSchema(contract), extracted.value)
  if (problems.length > 0) {
    // One inert line each: a problem quotes the contract (a required name, a const or enum value), which is the
    // plugin's text; with line breaks it went on as a "Switchboard (policy note)" in the hook's context (review).
    return {
      problem: `Switchboard: the return of ${shownId(invocation.target)} (${inert(invocation.id)}) does not match its output contract: ${problems.slice(0, 5).map(inert).join('; ')}.${stored}`,
      value: extracted.value,
      problems,
    }
  }
  const value = extracted.value
  return invocation.into
    ? { slot: { name: invocation.into, type: 'json', value, writer }, value, problems: [] }
    : { value, problems: [] }
}

/** Whether a parsed JSON value holds a number that JSON cannot store back. Iterative: values may nest deep. */
function hasNonFiniteNumber(value: unknown): boolean {
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const next = pending.pop()
    if (typeof next === 'number' && !Number.isFinite(next)) return true
    if (next !== null && typeof next === 'object') for (const inner of Object.values(next)) pending.push(inner)
  }
  return false
}

/**
 * Why a return was not stored (its slot made secret while the call ran, a name one only in case from
 * another's, a folder that is a link): the call then failed, and its caller is told as of a contract
 * mismatch. It was dropped with the trace saying ok, and the caller never knew (found by review).
 */
export function notStored(slot: string, thrown: unknown): string {
  return `the return was not stored in slot "${slot}": ${messageOf(thrown)}`
}

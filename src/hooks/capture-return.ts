/**
 * Typed returns: when a call's result comes back, read it as its target's output contract says,
 * validate it, store it in the slot the call named, and tell the caller when it did not match.
 */
import { putSlot } from '../context/index.ts'
import { contractToJsonSchema, isTextContract } from '../manifest/contract-schema.ts'
import { extractJson } from '../protocol/index.ts'
import type { RegistrySnapshot } from '../registry/snapshot.ts'
import type { Invocation } from '../trace/index.ts'
import { contractProblems } from './validate-return.ts'

/** Returns the message for the caller when something went wrong, else undefined. */
export function captureReturn(sessionDir: string, invocation: Invocation, text: string, snapshot: RegistrySnapshot | undefined): string | undefined {
  const component = snapshot?.components.find((c) => c.id === invocation.target || c.aliases.includes(invocation.target))
  const contract = component?.orchestration?.output
  if (!invocation.into && contract === undefined) return undefined
  if (contract === undefined || isTextContract(contract)) {
    if (invocation.into) putSlot(sessionDir, { name: invocation.into, type: 'text', value: text, writer: `return:${invocation.target}` })
    return undefined
  }
  const extracted = extractJson(text)
  const stored = invocation.into ? ` It was not stored in slot "${invocation.into}".` : ''
  if (!extracted.ok) {
    return `Switchboard: the return of ${invocation.target} (${invocation.id}) does not match its output contract: it should be JSON, and no JSON value was found in it.${stored} Ask it again for JSON only, or use its text as it is.`
  }
  const problems = contractProblems(contractToJsonSchema(contract), extracted.value)
  if (problems.length > 0) {
    return `Switchboard: the return of ${invocation.target} (${invocation.id}) does not match its output contract: ${problems.slice(0, 5).join('; ')}.${stored}`
  }
  if (invocation.into) putSlot(sessionDir, { name: invocation.into, type: 'json', value: extracted.value, writer: `return:${invocation.target}` })
  return undefined
}

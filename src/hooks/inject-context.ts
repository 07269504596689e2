/**
 * Context passing on the way in: a call whose prompt (Agent) or args (Skill) holds `$slot`
 * references or a `[[switchboard into=slot]]` directive is rewritten into an envelope (updatedInput,
 * which replaces the whole tool input, so every other field is copied as it is).
 */
import { join } from 'node:path'
import { writeFileAtomic } from '../common/index.ts'
import { contextDir, findReferences, getSlot, listSlots, looksLikeShellVariable, maySendSlot, readDirective, slotText, substitute } from '../context/index.ts'
import type { Slot } from '../context/index.ts'
import { contractToJsonSchema, isTextContract } from '../manifest/contract-schema.ts'
import { buildEnvelope, ENVELOPE_BUDGET, pointer, valueFileName } from '../protocol/index.ts'
import type { Component } from '../registry/snapshot.ts'
import { chainOf } from '../trace/index.ts'
import type { Invocation } from '../trace/index.ts'

export type Injection =
  | { kind: 'none' }
  | { kind: 'deny'; reason: string }
  | { kind: 'rewrite'; toolInput: Record<string, unknown>; into?: string }

export interface InjectionRequest {
  sessionDir: string
  invocation: string
  caller: string
  callerInvocation: Invocation | null
  invocations: Map<string, Invocation>
  /** The component the call resolves to (guard/resolve-target.ts): the envelope is written for it. */
  component: Component
  toolInput: Record<string, unknown>
}

export function injectContext(request: InjectionRequest): Injection {
  const { component } = request
  const field = component.kind === 'agent' ? 'prompt' : 'args'
  const original = typeof request.toolInput[field] === 'string' ? (request.toolInput[field] as string) : ''
  const directive = readDirective(original)
  if (!directive.ok) return { kind: 'deny', reason: `context: ${directive.reason}` }
  const slots = new Map<string, Slot>()
  const unknown: string[] = []
  for (const { name } of findReferences(directive.text)) {
    if (slots.has(name) || unknown.includes(name)) continue
    const slot = getSlot(request.sessionDir, name)
    if (slot) slots.set(name, slot)
    else if (!looksLikeShellVariable(name)) unknown.push(name)
  }
  if (slots.size === 0 && unknown.length === 0 && !directive.into) return { kind: 'none' }
  if (unknown.length > 0) {
    const available = listSlots(request.sessionDir).map((s) => `$${s.name}`)
    return {
      kind: 'deny',
      reason: `context: unknown slot ${unknown.map((n) => `$${n}`).join(', ')} in the call to ${component.id}. Available slots: ${available.join(', ') || 'none yet'}. Fill it first (a call with [[switchboard into=${unknown[0]}]], or \`switchboard context put ${unknown[0]} ...\`), write $$ for a literal dollar sign, or put quoted material in a fenced block.`,
    }
  }
  const withheld = [...slots.values()].filter((slot) => !maySendSlot(slot, component.plugin))
  if (withheld.length > 0) {
    return { kind: 'deny', reason: `context: ${withheld.map((s) => `$${s.name}`).join(', ')} is secret and may not be sent to plugin "${component.plugin}". Pass it only to the plugins it is shared with, or share it: switchboard context put ${withheld[0]!.name} ... --secret --share-with ${component.plugin}.` }
  }
  const target = directive.into ? getSlot(request.sessionDir, directive.into) : undefined
  if (target?.secret) return { kind: 'deny', reason: `context: the slot "${directive.into}" is secret, so a call's return may not overwrite it. Store the return in another slot.` }

  const contract = component.orchestration?.output
  const chain = ['main', ...chainOf(request.invocations, request.callerInvocation?.id ?? null).map((i) => i.target), component.id]
  const envelope = buildEnvelope(
    {
      invocation: request.invocation,
      caller: request.caller,
      chain,
      request: substitute(directive.text, (name) => (slots.has(name) ? pointer(name) : undefined)),
      values: [...slots.values()].map((slot) => ({ name: slot.name, type: slot.type, text: slotText(slot), writer: slot.writer })),
      ...(contract === undefined ? {} : { returns: isTextContract(contract) ? ('text' as const) : contractToJsonSchema(contract) }),
      ...(directive.into ? { into: directive.into } : {}),
    },
    (name, text) => {
      const file = join(contextDir(request.sessionDir), 'files', valueFileName(name, text))
      writeFileAtomic(file, text)
      return file
    },
  )
  const moved = Object.keys(envelope.files)
  if (moved.length > 0 && component.tools && !component.tools.includes('Read')) {
    return { kind: 'deny', reason: `context: ${moved.map((n) => `$${n}`).join(', ')} is too large to pass inline (the call would exceed ${ENVELOPE_BUDGET} characters), and ${component.id} has no Read tool to read it from a file. Pass a shorter value, or give the agent the Read tool.` }
  }
  return { kind: 'rewrite', toolInput: { ...request.toolInput, [field]: envelope.text }, ...(directive.into ? { into: directive.into } : {}) }
}

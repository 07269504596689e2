/**
 * Context passing on the way in: a call whose prompt (Agent) or args (Skill) holds `$slot`
 * references or a `[[switchboard into=slot]]` directive is rewritten into an envelope (updatedInput,
 * which replaces the whole tool input, so every other field is copied as it is).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { contextDir, findReferences, getSlot, listSlots, slotText, substitute } from '../context/index.ts'
import { contractToJsonSchema, isTextContract } from '../manifest/contract-schema.ts'
import { buildEnvelope, pointer, readDirective, valueFileName } from '../protocol/index.ts'
import type { RegistrySnapshot } from '../registry/snapshot.ts'
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
  target: string
  kind: 'agent' | 'skill'
  toolInput: Record<string, unknown>
  snapshot: RegistrySnapshot
}

export function injectContext(request: InjectionRequest): Injection {
  const field = request.kind === 'agent' ? 'prompt' : 'args'
  const original = typeof request.toolInput[field] === 'string' ? (request.toolInput[field] as string) : ''
  const directive = readDirective(original)
  const names = [...new Set(findReferences(directive.text).map((r) => r.name))]
  if (names.length === 0 && !directive.into) return { kind: 'none' }

  const slots = names.map((name) => ({ name, slot: getSlot(request.sessionDir, name) }))
  const unknown = slots.filter((s) => !s.slot).map((s) => `$${s.name}`)
  if (unknown.length > 0) {
    const available = listSlots(request.sessionDir).map((s) => `$${s.name}`)
    return {
      kind: 'deny',
      reason: `context: unknown slot ${unknown.join(', ')} in the call to ${request.target}. Available slots: ${available.join(', ') || 'none yet'}. Fill it first (a call with [[switchboard into=${unknown[0]!.slice(1)}]], or \`switchboard context put ${unknown[0]!.slice(1)} ...\`), or write $$ for a literal dollar sign.`,
    }
  }
  const component = request.snapshot.components.find((c) => c.id === request.target || c.aliases.includes(request.target))
  const contract = component?.orchestration?.output
  const chain = ['main', ...chainOf(request.invocations, request.callerInvocation?.id ?? null).map((i) => i.target), request.target]
  const envelope = buildEnvelope(
    {
      invocation: request.invocation,
      caller: request.caller,
      chain,
      request: substitute(directive.text, pointer),
      values: slots.map(({ slot }) => ({ name: slot!.name, type: slot!.type, text: slotText(slot!), writer: slot!.writer })),
      ...(contract === undefined ? {} : { returns: isTextContract(contract) ? ('text' as const) : contractToJsonSchema(contract) }),
      ...(directive.into ? { into: directive.into } : {}),
    },
    (name, text) => {
      const dir = join(contextDir(request.sessionDir), 'files')
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const file = join(dir, valueFileName(name, text))
      writeFileSync(file, text, { mode: 0o600 })
      return file
    },
  )
  const moved = Object.keys(envelope.files)
  if (moved.length > 0 && component?.tools && !component.tools.includes('Read')) {
    return { kind: 'deny', reason: `context: ${moved.map((n) => `$${n}`).join(', ')} is too large to pass inline (over ${8_000} characters in all), and ${request.target} has no Read tool to read it from a file. Pass a shorter value, or give the agent the Read tool.` }
  }
  return { kind: 'rewrite', toolInput: { ...request.toolInput, [field]: envelope.text }, ...(directive.into ? { into: directive.into } : {}) }
}

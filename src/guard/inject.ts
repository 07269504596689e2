/**
 * Context passing on the way in, decided once for both runtimes: a call whose prompt (Agent) or args
 * (Skill) holds `$slot` references or a `[[switchboard into=slot]]` directive is rewritten into an
 * envelope. Pure: slots come in through `slot(name)`, and values too large to pass inline come back
 * as files for the runtime to write (`files`), at paths under `filesDir`.
 */
import {
  caseTwin,
  caseTwinProblem,
  findReferences,
  looksLikeShellVariable,
  maySendSlot,
  readDirective,
  slotText,
  substitute,
} from '../context/core.ts'
import type { Slot } from '../context/core.ts'
import { inert } from '../common/core.ts'
import { contractToJsonSchema, isTextContract } from '../manifest/contract-schema.ts'
import { buildEnvelope, ENVELOPE_BUDGET, pointer, valueFileName } from '../protocol/core.ts'
import type { Component } from '../registry/index.ts'
import { idPlugin } from './resolve-target.ts'

export type Injection =
  | { kind: 'none' }
  | { kind: 'deny'; reason: string }
  | { kind: 'rewrite'; toolInput: Record<string, unknown>; into?: string; files: Array<{ path: string; text: string }> }

export interface InjectionRequest {
  invocation: string
  caller: string
  /** The callers above this call, from `main` down to the caller. */
  chain: string[]
  /** The component the call resolves to (resolve-target.ts): the envelope is written for it. */
  component: Component
  /**
   * The agent a forked command or skill runs in (its `agent:`, as the guard resolved it; decide.ts), which
   * reads what the call is sent too. Absent, the one its `agent:` names, as spelled.
   */
  runsAs?: string
  toolInput: Record<string, unknown>
  slot: (name: string) => Slot | undefined
  slotNames: () => string[]
  /** Where values too large for the envelope go (the session's context/files folder). */
  filesDir: string
}

/** What the guard does with a call's context references; a denial's reason is one inert line (common/inert.ts). */
export function planInjection(request: InjectionRequest): Injection {
  const injection = injectionFor(request)
  return injection.kind === 'deny' ? { kind: 'deny', reason: inert(injection.reason) } : injection
}

/**
 * Why a call whose return is to be stored in slot `into` may not be made, where it carries a secret
 * (`$slot` references in `text`, its prompt or args): the return may quote the secret, and a slot that is
 * not secret is readable by any plugin. The rule for a `[[switchboard into=...]]` directive (below), and
 * for a workflow's command or skill step, whose return the run stores itself (module/workflow-run.ts).
 */
export function storedSecretProblem(
  text: string,
  slot: (name: string) => Slot | undefined,
  into: string,
): string | undefined {
  const directive = readDirective(text)
  const carried = [...new Set(findReferences(directive.ok ? directive.text : text).map((ref) => ref.name))]
    .map(slot)
    .filter((found): found is Slot => found?.secret === true)
  return carried.length > 0 ? inert(storedSecretReason(carried, into)) : undefined
}

function storedSecretReason(carried: readonly Slot[], into: string): string {
  return `context: this call carries the secret ${carried.map((s) => `$${s.name}`).join(', ')}, so its return may not be stored in a slot ([[switchboard into=${into}]]): the return may quote the secret, and a slot is readable by any plugin. Drop the directive, or pass the secret in a call of its own.`
}

function injectionFor(request: InjectionRequest): Injection {
  const { component } = request
  const field = component.kind === 'agent' ? 'prompt' : 'args'
  const original = typeof request.toolInput[field] === 'string' ? (request.toolInput[field] as string) : ''
  const directive = readDirective(original)
  if (!directive.ok) return { kind: 'deny', reason: `context: ${directive.reason}` }
  const slots = new Map<string, Slot>()
  const unknown: string[] = []
  for (const { name } of findReferences(directive.text)) {
    if (slots.has(name) || unknown.includes(name)) continue
    const slot = request.slot(name)
    if (slot) slots.set(name, slot)
    else if (!looksLikeShellVariable(name)) unknown.push(name)
  }
  if (slots.size === 0 && unknown.length === 0 && !directive.into) {
    // `$$` is a literal `$` in every call, not only in one that also names a slot (found by a newcomer: `$$5` arrived
    // as `$$5` alone and as `$5` beside a `$draft`; `switchboard plan` writes a file's `$` as `$$`).
    const unescaped = substitute(directive.text, () => undefined)
    return unescaped === original
      ? { kind: 'none' }
      : { kind: 'rewrite', toolInput: { ...request.toolInput, [field]: unescaped }, files: [] }
  }
  if (unknown.length > 0) {
    const available = request.slotNames().map((name) => `$${name}`)
    return {
      kind: 'deny',
      reason: `context: unknown slot ${unknown.map((n) => `$${n}`).join(', ')} in the call to ${component.id}. Available slots: ${available.join(', ') || 'none yet'}. Fill it first (a call with [[switchboard into=${unknown[0]}]], or \`switchboard context put ${unknown[0]} ...\`), write $$ for a literal dollar sign, or put quoted material in a fenced block.`,
    }
  }
  // Claude Code pastes a command's arguments unquoted into its shell lines: a value the model never saw (another
  // plugin's return, a file) would run as a command there (registry/shell-arguments.ts).
  if (component.shellArguments && slots.size > 0)
    return {
      kind: 'deny',
      reason: `context: ${component.id} runs its arguments in a shell (a \`!\` line), so Switchboard passes it no slot value (${[...slots.keys()].map((n) => `$${n}`).join(', ')}): a value another plugin wrote would run there as a command. Read the value, and pass the text you mean to send yourself, or call another component.`,
    }
  // A forked command or skill runs in its `agent:`, which may be another plugin's: that plugin reads it too.
  const runsIn = idPlugin(request.runsAs ?? component.forkAgent ?? '')
  for (const reader of runsIn && runsIn !== component.plugin ? [component.plugin, runsIn] : [component.plugin]) {
    const withheld = [...slots.values()].filter((slot) => !maySendSlot(slot, reader))
    if (withheld.length > 0) {
      const through =
        reader === component.plugin
          ? ''
          : ` (${component.id} runs in its agent ${request.runsAs ?? component.forkAgent})`
      return {
        kind: 'deny',
        reason: `context: ${withheld.map((s) => `$${s.name}`).join(', ')} is secret and may not be sent to plugin "${reader}"${through}. Pass it only to the plugins it is shared with, or share it: switchboard context put ${withheld[0]!.name} ... --secret --share-with ${reader}.`,
      }
    }
  }
  // The caller names the slot, and reads what the target answers: it must be the user or in the audience
  // too, or any plugin could have a secret echoed back to it by a plugin it is shared with.
  const callerPlugin = request.caller === 'main' ? undefined : (idPlugin(request.caller) ?? request.caller)
  const unshared = callerPlugin ? [...slots.values()].filter((slot) => !maySendSlot(slot, callerPlugin)) : []
  if (unshared.length > 0) {
    return {
      kind: 'deny',
      reason: `context: ${unshared.map((s) => `$${s.name}`).join(', ')} is secret and not shared with ${request.caller}, so it may not send it on. Only the user, or a plugin it is shared with, may pass it to ${component.plugin}.`,
    }
  }
  // What the target answers may quote a secret it was passed: stored into a slot, which is not secret, any
  // plugin could read it there as $slot. A call that carries a secret has its return read, never stored.
  const carried = [...slots.values()].filter((slot) => slot.secret)
  if (directive.into && carried.length > 0) return { kind: 'deny', reason: storedSecretReason(carried, directive.into) }
  const twin = directive.into
    ? caseTwin(
        request.slotNames().map((name) => `${name}.json`),
        directive.into,
      )
    : undefined
  if (directive.into && twin) return { kind: 'deny', reason: `context: ${caseTwinProblem(directive.into, twin)}` }
  const target = directive.into ? request.slot(directive.into) : undefined
  if (target?.secret)
    return {
      kind: 'deny',
      reason: `context: the slot "${directive.into}" is secret, so a call's return may not overwrite it. Store the return in another slot.`,
    }

  const contract = component.orchestration?.output
  const chain = [...request.chain, component.id]
  const files: Array<{ path: string; text: string }> = []
  const envelope = buildEnvelope(
    {
      invocation: request.invocation,
      caller: request.caller,
      chain,
      request: substitute(directive.text, (name) => (slots.has(name) ? pointer(name) : undefined)),
      values: [...slots.values()].map((slot) => ({
        name: slot.name,
        type: slot.type,
        text: slotText(slot),
        writer: slot.writer,
      })),
      ...(contract === undefined
        ? {}
        : { returns: isTextContract(contract) ? ('text' as const) : contractToJsonSchema(contract) }),
      ...(directive.into ? { into: directive.into } : {}),
    },
    (name, text) => {
      const path = `${request.filesDir}/${valueFileName(name, text)}`
      files.push({ path, text })
      return path
    },
  )
  const moved = Object.keys(envelope.files)
  if (moved.length > 0 && component.tools && !component.tools.includes('Read')) {
    return {
      kind: 'deny',
      reason: `context: ${moved.map((n) => `$${n}`).join(', ')} is too large to pass inline (the call would exceed ${ENVELOPE_BUDGET} characters), and ${component.id} has no Read tool to read it from a file. Pass a shorter value, or give the agent the Read tool.`,
    }
  }
  return {
    kind: 'rewrite',
    toolInput: { ...request.toolInput, [field]: envelope.text },
    files,
    ...(directive.into ? { into: directive.into } : {}),
  }
}

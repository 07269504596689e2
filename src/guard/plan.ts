/**
 * Planning a call, written once for both runtimes: the invoke line (`target key=value ... --into slot`)
 * or its fields in, the exact checked Agent or Skill call out, or a PlanError saying what is wrong and
 * how to fix it. `switchboard plan`, the MCP tool `plan_call` (cli/plan.ts adds Node's file reads and
 * slot writes) and the hooks module's invoke tool (module/invoke-tool.ts, through `$`) all call it.
 *
 * Pure: the runtime passes the registry, the guard's decision (`decide`, with the exact caller it
 * knows), the session's slots and the `key=@file` contents it read, and writes the slots the plan
 * names (`fileSlots`) once the plan stands.
 */
import { atFile, nearest, quotedExcerpt } from '../common/core.ts'
import {
  findReferences,
  looksLikeShellVariable,
  QUOTE_OPENER,
  quotedRanges,
  readDirective,
  SLOT_NAME,
} from '../context/core.ts'
import { contractToJsonSchema, textTypeProblem } from '../manifest/contract-schema.ts'
import type { Component } from '../registry/index.ts'
import { isCapabilityRequest } from '../resolve/core.ts'
import type { CapabilityRouter } from '../resolve/core.ts'
import type { Verdict } from './decide.ts'
import type { Snapshot } from './resolve-target.ts'
import { findComponent } from './resolve-target.ts'
import { splitArguments, UnclosedQuote } from './split-arguments.ts'
import { INVOKE_USAGE } from './invoke-usage.ts'

export { INVOKE_USAGE } from './invoke-usage.ts'

export interface Plan {
  /** How a capability request was routed to this target, when it was one. */
  route?: string
  target: string
  kind: Component['kind']
  tool: 'Agent' | 'Skill'
  input: Record<string, unknown>
  /** Things worth knowing that do not stop the call (an argument the open input contract does not name). */
  warnings: string[]
  /** `key=@file` contents the runtime stores in the slot `key` before the call (the call passes `$key`). */
  fileSlots: Array<{ name: string; text: string }>
}

/**
 * A problem with the requested call, with its fix. `denied`: the guard refuses it (the same reason
 * the hooks would give); `invalid`: the request itself is wrong (usage, target, arguments, contract).
 */
/** A PlanError's message without the usage line a request that cannot be read ends with, for callers that add their own. */
export function withoutUsage(message: string): string {
  return message.replace(/\. Usage: .*$/s, '')
}

export class PlanError extends Error {
  constructor(
    message: string,
    /** usage: the request cannot be read (its words); invalid: it can, but names what cannot be called as asked. */
    readonly kind: 'usage' | 'invalid' | 'denied' = 'invalid',
    /** The target as resolved, when the request got that far. */
    readonly target?: string,
  ) {
    super(message)
  }
}

export interface PlanRequest {
  /** A component id or a capability request (`seo-analysis@^1`). */
  target: string | undefined
  /** `key=value`, `key=@file`, `key=$slot` pairs. */
  pairs: string[]
  into?: string
  /** Free text for the call, ahead of the pairs (the invoke tool's `prompt`). */
  prompt?: string
  /** The registry to plan against, read once there is a target. */
  registry: () => Snapshot
  /** How a capability target is routed: routeCapability in Node. */
  route: CapabilityRouter
  /** The guard's decision on a call to `target` made with `kind`'s tool, by the caller the runtime knows. */
  decide: (target: string, kind: 'agent' | 'skill', snapshot: Snapshot) => Verdict
  /** The session's slot names, or undefined where no session is known (the guard checks references at call time). */
  slotNames: string[] | undefined
  /**
   * The content of `key=@file`, read beforehand by the runtime (fileArguments); throws a PlanError when it
   * cannot. Absent, every value is text, `@` included: a workflow's arguments (its files come in as inputs),
   * where `@alice` or a file's text that begins with `@` failed the step (found by review).
   */
  readFile?: (key: string, path: string) => string
}

/** The checked tool call for a request, or a PlanError saying what is wrong. */
export function planCall(request: PlanRequest): Plan {
  if (!request.target)
    throw new PlanError(
      `nothing to call. Usage: ${INVOKE_USAGE}, e.g. tdd-design:illustrator content=@draft.md --into illustration`,
      'usage',
    )
  if (request.into !== undefined && !SLOT_NAME.test(request.into))
    throw new PlanError(
      `--into "${request.into}" is not a slot name: use ASCII letters, digits and "_", not starting with a digit.`,
      'usage',
    )
  const snapshot = request.registry()
  let requested = request.target
  let route: string | undefined
  if (isCapabilityRequest(requested)) {
    const routed = request.route(requested, snapshot.components)
    if (!routed.ok) throw new PlanError(`cannot route ${requested}: ${routed.explanation}`)
    route = routed.explanation
    requested = routed.provider
  }
  if (!requested.includes(':'))
    throw new PlanError(
      `"${requested}" is not a component id; write <plugin>:<component>, e.g. tdd-design:illustrator, or a capability such as copy-editing@^1.`,
      'usage',
    )
  const component = decide(request, snapshot, requested)
  if (!component.invocable)
    throw new PlanError(
      `${component.id} has disable-model-invocation set, so no tool can call it; type /${component.id} yourself.`,
    )

  const { fields, literal, fileSlots } = readArguments(request)
  if (request.prompt) checkReferences(request, 'prompt', request.prompt)
  const warnings = checkInput(component, literal)
  // A command or skill runs inline in its caller: there is no return to store (docs/protocol.md, Returns).
  const into = component.kind === 'agent' ? request.into : undefined
  if (request.into !== undefined && into === undefined)
    warnings.push(
      `${component.id} is a ${component.kind}: it runs inside the caller's own turn and has no return to store, so --into ${request.into} is left out. Store its result yourself (switchboard context put ${request.into} ..., or the context_put tool).`,
    )
  const body = [
    ...(request.prompt ? [request.prompt] : []),
    ...fields.map(([k, v]) => (QUOTE_OPENER.test(v) ? `${k}:\n${v}` : `${k}: ${v}`)),
    ...(into ? [`[[switchboard into=${into}]]`] : []),
  ].join('\n')
  sameMeaningJoined(body, { ...request, into }, fields)
  const base = {
    ...(route === undefined ? {} : { route }),
    target: component.id,
    kind: component.kind,
    warnings,
    fileSlots,
  }
  if (component.kind === 'agent') {
    return {
      ...base,
      tool: 'Agent',
      input: {
        description: `Switchboard call to ${component.id}`,
        subagent_type: component.id,
        prompt: body || `Run ${component.id}.`,
      },
    }
  }
  return { ...base, tool: 'Skill', input: { skill: component.id, args: body } }
}

/** The words of an invocation (`target key=value ... --into slot`), from argv or from one line of text. */
export function parseInvokeWords(
  words: string[],
  intoOption?: unknown,
): { target: string | undefined; pairs: string[]; into: string | undefined } {
  const list = words.length === 1 && /\s/.test(words[0]!) ? splitLine(words[0]!) : words
  return wordsToRequest(list, intoOption)
}

/** One line as typed (`/switchboard:invoke`'s arguments, the invoke tool's `line`): split as a shell would, never expanded. */
export function parseInvokeLine(line: string): { target: string | undefined; pairs: string[]; into?: string } {
  const { into, ...rest } = wordsToRequest(splitLine(line))
  return into === undefined ? rest : { ...rest, into }
}

/** splitArguments, with a quote never closed a request that cannot be read (PlanError 'usage'). */
function splitLine(line: string): string[] {
  try {
    return splitArguments(line)
  } catch (thrown) {
    if (thrown instanceof UnclosedQuote) throw new PlanError(`${thrown.message}. Usage: ${INVOKE_USAGE}`, 'usage')
    throw thrown
  }
}

/** The `key=@file` arguments of a request, for the runtime to read before planning. */
export function fileArguments(pairs: string[]): Array<{ key: string; path: string }> {
  return pairs.flatMap((pair) => {
    const eq = pair.indexOf('=')
    return eq > 0 && pair[eq + 1] === '@' ? [{ key: pair.slice(0, eq), path: pair.slice(eq + 2) }] : []
  })
}

// --- internal ---

function wordsToRequest(
  list: string[],
  intoOption?: unknown,
): { target: string | undefined; pairs: string[]; into: string | undefined } {
  const index = list.indexOf('--into')
  if (index >= 0 && list.indexOf('--into', index + 2) >= 0)
    throw new PlanError(`--into is given twice; give it once. Usage: ${INVOKE_USAGE}`, 'usage')
  // `--into` with nothing after it is an empty slot name, which planCall refuses with the rule for names.
  const into = typeof intoOption === 'string' ? intoOption : index >= 0 ? (list[index + 1] ?? '') : undefined
  const [target, ...pairs] = list.filter((_, i) => index < 0 || (i !== index && i !== index + 1))
  return { target, pairs, into }
}

/** The guard's verdict on the call, as the hooks will make it: a denial here is a denial there. */
function decide(request: PlanRequest, snapshot: Snapshot, target: string): Component {
  // The tool follows from what the id resolves to: an agent (Agent tool), else a command or skill (Skill tool).
  const found = findComponent(snapshot, target)
  const verdict = request.decide(target, !found || found.kind === 'agent' ? 'agent' : 'skill', snapshot)
  if (!verdict.allow) throw new PlanError(`the guard refuses this call. ${verdict.reason}`, 'denied', verdict.target)
  if (!verdict.component) {
    // Only on this error path: every id measured against the one asked for.
    const near = nearest(
      target,
      snapshot.components.map((component) => component.id),
    )
    throw new PlanError(
      `${target} is not an installed plugin component${near ? ` (did you mean ${near}?)` : ''}. /switchboard:plugins in Claude Code, or \`switchboard registry\`, lists what can be called.`,
    )
  }
  return verdict.component
}

function readArguments(request: PlanRequest): {
  fields: Array<[string, string]>
  literal: Record<string, unknown>
  fileSlots: Plan['fileSlots']
} {
  const fields: Array<[string, string]> = []
  const literal: Record<string, unknown> = {}
  const fileSlots: Plan['fileSlots'] = []
  for (const pair of request.pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0)
      throw new PlanError(
        `"${pair}" is not key=value; write e.g. content=@draft.md, style=flat or draft=$article_draft.`,
        'usage',
      )
    const key = pair.slice(0, eq)
    const written = pair.slice(eq + 1)
    // The input check reads one value per key, the target would read every line: both must see the same.
    if (Object.hasOwn(literal, key)) throw new PlanError(`"${key}" is given twice; give each argument once.`, 'usage')
    const given = request.readFile ? atFile(written) : { text: written }
    if ('file' in given && request.readFile) {
      const text = request.readFile(key, given.file)
      // With a session the file travels as a slot, in the envelope (by file when large); without, inline.
      if (request.slotNames && SLOT_NAME.test(key)) {
        fileSlots.push({ name: key, text })
        fields.push([key, `$${key}`])
      } else {
        fields.push([key, text.replaceAll('$', () => '$$')])
      }
      literal[key] = text
      continue
    }
    const value = 'text' in given ? given.text : written
    const references = checkReferences(request, key, value, fileSlots)
    fields.push([key, value])
    literal[key] = references === 0 ? value.replaceAll('$$', '$') : FROM_CONTEXT
  }
  return { fields, literal, fileSlots }
}

/**
 * Every `$slot` a value names must exist (when the session is known); returns how many it names. A name
 * that reads as an environment variable (`$HOME`) and is no slot is text, as the guard reads it
 * (guard/inject.ts): `echo $HOME` was refused here, and a workflow holding it failed at every run (review).
 */
function checkReferences(request: PlanRequest, key: string, value: string, planned: Plan['fileSlots'] = []): number {
  const known = request.slotNames
  const isSlot = (name: string) => known?.includes(name) === true || planned.some((s) => s.name === name)
  const references = findReferences(value).filter((ref) => isSlot(ref.name) || !looksLikeShellVariable(ref.name))
  for (const reference of references) {
    if (known && !isSlot(reference.name)) {
      throw new PlanError(
        `there is no context slot "${reference.name}" (for "${key}"). Slots: ${known.join(', ') || 'none yet'}. Write $$ for a literal dollar sign.`,
      )
    }
  }
  return references.length
}

const FROM_CONTEXT = Symbol('from context')

/**
 * The call's text is read again at call time (the guard injects its `$slots` and reads its directive
 * from the whole text), so its references and directive must be those of the values as checked one
 * by one: a value can quote only itself. A fence a value leaves open would swallow what follows, and
 * text before a value could change how it reads.
 */
function sameMeaningJoined(body: string, request: PlanRequest, fields: Array<[string, string]>): void {
  const names = (texts: string[]) => texts.flatMap((text) => findReferences(text).map((r) => r.name)).join(' ')
  const intended = names([...(request.prompt ? [request.prompt] : []), ...fields.map(([, value]) => value)])
  const directive = readDirective(body)
  const own = request.prompt ? readDirective(request.prompt) : undefined
  const intendedInto = request.into ?? (own?.ok ? own.into : undefined)
  if (names([body]) === intended && directive.ok && directive.into === intendedInto) return
  const opened = fields.find(([, value]) => quotedRanges(`${value}\n`).some(([, end]) => end > value.length))
  throw new PlanError(
    opened
      ? `the value of "${opened[0]}" opens a fenced block it does not close, so the rest of the call would be quoted. Close the fence (\`\`\`) at the value's end.`
      : 'joined into one call, the arguments would name other $slots or another [[switchboard into=...]] than each does alone. Give quoted material its own value, as a fenced block or > lines.',
  )
}

/**
 * The input contract, checked before anything runs: required fields, one-of values, and names it
 * does not know (an error when the contract is closed, `additionalProperties: false`; a warning with
 * the nearest name otherwise, since `stlye=flat` would otherwise pass silently).
 */
function checkInput(component: Component, values: Record<string, unknown>): string[] {
  const contract = component.orchestration?.input
  if (contract === undefined) return []
  const schema = contractToJsonSchema(contract)
  const properties = (schema.properties ?? {}) as Record<string, { enum?: unknown[]; type?: unknown }>
  const required = (schema.required ?? []) as string[]
  const described = describeContract(properties, required)
  const missing = required.filter((key) => !(key in values))
  if (missing.length > 0)
    throw new PlanError(
      `${component.id} needs ${missing.map((k) => `${k}=...`).join(' ')} (its input contract: ${described}).`,
    )
  const warnings: string[] = []
  for (const [key, value] of Object.entries(values)) {
    if (!(key in properties) && Object.keys(properties).length > 0) {
      const hint = nearest(key, Object.keys(properties))
      const problem = `${component.id} has no input "${key}"${hint ? `; did you mean "${hint}"?` : ''} (its input contract: ${described}).`
      if (schema.additionalProperties === false) throw new PlanError(`${problem} Its contract accepts nothing else.`)
      warnings.push(`${problem} It is passed on anyway, since the contract is open.`)
      continue
    }
    const allowed = properties[key]?.enum
    if (allowed && value !== FROM_CONTEXT && !allowed.includes(value))
      throw new PlanError(`${key} must be one of ${allowed.join(', ')}, not "${String(value)}".`)
    const text = typeof value === 'string' ? value : undefined
    const expected = text === undefined ? undefined : textTypeProblem(properties[key]?.type, text)
    if (expected && text !== undefined)
      warnings.push(
        `${key}: ${component.id} expects ${expected}; ${quotedExcerpt(text)} is not, so the target reads it as text. Pass a value of that type (JSON for objects and lists), or a $slot that holds one.`,
      )
  }
  return warnings
}

function describeContract(properties: Record<string, unknown>, required: string[]): string {
  return Object.keys(properties)
    .map((k) => (required.includes(k) ? k : `${k}?`))
    .join(', ')
}

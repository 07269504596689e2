/**
 * `switchboard plan <plugin:component | capability@range> [key=value | key=@file | key=$slot ...]
 * [--into slot]`: the exact, checked tool call for a cross-plugin call. The MCP tool `plan_call`
 * (which `/switchboard:invoke` uses) calls the same planCall.
 *
 * A plan is the guard's own decision (guard/decide.ts) made ahead of time: a call the hooks would
 * deny is never planned. `key=@file` stores the file in the slot `key` (when a session is known), so
 * the content travels in the envelope, by file if large; `key=$slot` keeps the reference for the hook.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { inert, inertJson } from '../common/index.ts'
import { findReferences, getSlot, listSlots, putSlot, SLOT_NAME } from '../context/index.ts'
import { decideCall, findComponent, loadPolicy } from '../guard/index.ts'
import type { Snapshot } from '../guard/index.ts'
import { contractToJsonSchema } from '../manifest/index.ts'
import { buildRegistry, claudeLocations } from '../registry/index.ts'
import type { Component } from '../registry/index.ts'
import { isCapabilityRequest, routeCapability } from '../resolve/index.ts'
import { foldInvocations, readRecords } from '../trace/index.ts'
import type { SessionRef } from '../trace/index.ts'
import { checkArgumentFile } from './argument-file.ts'
import { registryOptionsOf, sessionOf } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { splitArguments } from './split-arguments.ts'
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
}


export function run(context: CommandContext): CommandResult {
  const { target, pairs, into } = parseInvokeWords(context.positionals, context.values.into)
  try {
    const plan = planCall({
      cwd: context.cwd,
      env: context.env,
      target,
      pairs,
      ...(into === undefined ? {} : { into }),
      ...optional('session', sessionOf(context, false)),
      // Run from a terminal, @file reads what the person names; run by Claude Code (a `!` line, the Bash tool), only what its Read could.
      from: context.env.CLAUDECODE === '1' ? 'claude' : 'terminal',
      registry: () => buildRegistry(registryOptionsOf(context)),
    })
    // Warnings and the route name others' components; the call is the same JSON value, inert.
    const notes = plan.warnings.map((w) => `warning: ${inert(w)}\n`).join('')
    return { data: plan, text: `${notes}${plan.route ? `${inert(plan.route)}\n` : ''}${inertJson({ tool: plan.tool, input: plan.input }, 2)}`, exitCode: 0 }
  } catch (thrown) {
    if (!(thrown instanceof PlanError)) throw thrown
    return { data: null, text: `switchboard plan: ${inert(thrown.message)}`, exitCode: 1 }
  }
}

/** A problem with the requested call, reported to the user (or the model) with its fix. */
export class PlanError extends Error {}

export interface PlanRequest {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  /** A component id or a capability request (`seo-analysis@^1`). */
  target: string | undefined
  /** `key=value`, `key=@file`, `key=$slot` pairs. */
  pairs: string[]
  into?: string
  /** The session whose slots the call may use. */
  session?: SessionRef
  /** Who will make the call: `main` (default) or the calling agent's `plugin:agent`. */
  caller?: string
  /** A person at a terminal, or Claude Code (a model may be the author): decides what `@file` may read. */
  from: 'terminal' | 'claude'
  /** The registry to plan against (the session's snapshot, or a fresh build). */
  registry: () => Snapshot
}

/** The checked tool call for a request, or a PlanError saying what is wrong. Shared by the CLI and the MCP server. */
export function planCall(request: PlanRequest): Plan {
  if (!request.target) throw new PlanError(`nothing to call. Usage: ${INVOKE_USAGE}, e.g. tdd-design:illustrator content=@draft.md --into illustration`)
  if (request.into !== undefined && !SLOT_NAME.test(request.into)) throw new PlanError(`--into "${request.into}" is not a slot name: use letters, digits and "_", not starting with a digit.`)
  const registry = request.registry()
  let requested = request.target
  let route: string | undefined
  if (isCapabilityRequest(requested)) {
    const routed = routeCapability(requested, registry.components)
    if (!routed.ok) throw new PlanError(`cannot route ${requested}: ${routed.explanation}`)
    route = routed.explanation
    requested = routed.provider
  }
  if (!requested.includes(':')) throw new PlanError(`"${requested}" is not a component id; write <plugin>:<component>, e.g. tdd-design:illustrator, or a capability such as copy-editing@^1.`)
  const component = decide(request, registry, requested)
  if (!component.invocable) throw new PlanError(`${component.id} has disable-model-invocation set, so no tool can call it; type /${component.id} yourself.`)

  const { fields, literal } = readArguments(request)
  const warnings = checkInput(component, literal)
  const body = [...fields.map(([k, v]) => `${k}: ${v}`), ...(request.into ? [`[[switchboard into=${request.into}]]`] : [])].join('\n')
  const base = { ...(route === undefined ? {} : { route }), target: component.id, kind: component.kind, warnings }
  if (component.kind === 'agent') {
    return { ...base, tool: 'Agent', input: { description: `Switchboard call to ${component.id}`, subagent_type: component.id, prompt: body || `Run ${component.id}.` } }
  }
  return { ...base, tool: 'Skill', input: { skill: component.id, args: body } }
}

/** The words of an invocation (`target key=value ... --into slot`), from argv or from one line of text. */
export function parseInvokeWords(words: string[], intoOption?: unknown): { target: string | undefined; pairs: string[]; into: string | undefined } {
  const list = words.length === 1 && /\s/.test(words[0]!) ? splitArguments(words[0]!) : words
  const index = list.indexOf('--into')
  const into = typeof intoOption === 'string' ? intoOption : index >= 0 ? list[index + 1] : undefined
  const [target, ...pairs] = list.filter((_, i) => index < 0 || (i !== index && i !== index + 1))
  return { target, pairs, into }
}

/** The plan as the model reads it (plan_call, /switchboard:invoke). */
export function planForModel(plan: Plan): string {
  const notes = plan.warnings.map((w) => `Note: ${inert(w)}\n`).join('')
  return `${plan.route ? `Switchboard routed the request: ${inert(plan.route)}\n` : ''}${notes}Switchboard plan: call ${inert(plan.target)} (${plan.kind}) with the ${plan.tool} tool. Make exactly this one tool call now, with the input below unchanged, then report its result:\n\n\`\`\`json\n${inertJson({ tool: plan.tool, input: plan.input }, 2)}\n\`\`\``
}

// --- internal ---

/** The guard's verdict on the call, as the hooks will make it: a denial here is a denial there. */
function decide(request: PlanRequest, registry: Snapshot, target: string): Component {
  const callerType = request.caller && request.caller !== 'main' ? request.caller : null
  const invocations = request.session ? foldInvocations(readRecords(request.session.dir)) : new Map()
  const policy = loadPolicy(request.env, claudeLocations(request.env, request.cwd).projectDir)
  // The tool follows from what the id resolves to: an agent (Agent tool), else a command or skill (Skill tool).
  const found = findComponent(registry, target)
  const kind = !found || found.kind === 'agent' ? 'agent' : 'skill'
  const verdict = decideCall({ callerType, callerInvocation: null, target, kind }, registry, policy, invocations)
  if (!verdict.allow) throw new PlanError(`the guard refuses this call. ${verdict.reason}`)
  if (!verdict.component) throw new PlanError(`${target} is not an installed plugin component. Run /switchboard:plugins to see what can be called.`)
  return verdict.component
}

function readArguments(request: PlanRequest): { fields: Array<[string, string]>; literal: Record<string, unknown> } {
  const fields: Array<[string, string]> = []
  const literal: Record<string, unknown> = {}
  const session = request.session?.dir
  for (const pair of request.pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new PlanError(`"${pair}" is not key=value; write e.g. content=@draft.md, style=flat or draft=$article_draft.`)
    const key = pair.slice(0, eq)
    const value = pair.slice(eq + 1)
    if (value.startsWith('@')) {
      const text = readArgumentFile(request, key, value.slice(1))
      if (session && SLOT_NAME.test(key)) {
        putSlot(session, { name: key, type: 'text', value: text, writer: request.from === 'terminal' ? 'cli' : 'tool' })
        fields.push([key, `$${key}`])
      } else {
        fields.push([key, text.replaceAll('$', '$$')])
      }
      literal[key] = text
      continue
    }
    const references = findReferences(value)
    for (const reference of references) {
      if (session && !getSlot(session, reference.name)) {
        throw new PlanError(`there is no context slot "${reference.name}" (for "${key}"). Slots: ${listSlots(session).map((s) => s.name).join(', ') || 'none yet'}. Write $$ for a literal dollar sign.`)
      }
    }
    fields.push([key, value])
    literal[key] = references.length === 0 ? value.replaceAll('$$', '$') : FROM_CONTEXT
  }
  return { fields, literal }
}

function readArgumentFile(request: PlanRequest, key: string, path: string): string {
  let file = path
  if (request.from === 'claude') {
    const access = checkArgumentFile(path, { cwd: request.cwd, env: request.env })
    if (!access.ok) throw new PlanError(`"${key}=@${path}": ${access.reason}`)
    file = access.file
  }
  try {
    return readFileSync(request.from === 'claude' ? file : resolve(request.cwd, path), 'utf8')
  } catch (thrown) {
    throw new PlanError(`cannot read ${path} for "${key}" (${(thrown as Error).message}).`)
  }
}

const FROM_CONTEXT = Symbol('from context')

/**
 * The input contract, checked before anything runs: required fields, one-of values, and names it
 * does not know (an error when the contract is closed, `additionalProperties: false`; a warning with
 * the nearest name otherwise, since `stlye=flat` would otherwise pass silently).
 */
function checkInput(component: Component, values: Record<string, unknown>): string[] {
  const contract = component.orchestration?.input
  if (contract === undefined) return []
  const schema = contractToJsonSchema(contract)
  const properties = (schema.properties ?? {}) as Record<string, { enum?: unknown[] }>
  const required = (schema.required ?? []) as string[]
  const described = describeContract(properties, required)
  const missing = required.filter((key) => !(key in values))
  if (missing.length > 0) throw new PlanError(`${component.id} needs ${missing.map((k) => `${k}=...`).join(' ')} (its input contract: ${described}).`)
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
    if (allowed && value !== FROM_CONTEXT && !allowed.includes(value)) throw new PlanError(`${key} must be one of ${allowed.join(', ')}, not "${String(value)}".`)
  }
  return warnings
}

function describeContract(properties: Record<string, unknown>, required: string[]): string {
  return Object.keys(properties).map((k) => (required.includes(k) ? k : `${k}?`)).join(', ')
}

/** The closest name within two edits (Levenshtein), for "did you mean". */
function nearest(word: string, names: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i)
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!
      row[0] = i
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
        previous = current
      }
    }
    return row[b.length]!
  }
  const scored = names.map((name) => ({ name, d: distance(word.toLowerCase(), name.toLowerCase()) })).sort((a, b) => a.d - b.d)
  return scored[0] && scored[0].d <= 2 ? scored[0].name : undefined
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}


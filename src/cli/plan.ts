/**
 * `switchboard plan <plugin:component> [key=value | key=@file | key=$slot ...] [--into slot]`: the
 * exact, checked tool call for a cross-plugin call. `/switchboard:invoke` runs it and has the model
 * make that call. `key=@file` stores the file in the slot `key` (when a session is known), so the
 * content travels in the envelope, by file if large; `key=$slot` keeps the reference for the hook.
 *
 * `--for-model` always exits 0 and words its output for the model (a non-zero `!` command would
 * abort the slash command before the model could explain anything to the user).
 */
import { readFileSync } from 'node:fs'
import { inert, inertJson } from '../common/index.ts'
import { resolve } from 'node:path'
import { findReferences, getSlot, listSlots, putSlot, SLOT_NAME } from '../context/index.ts'
import { contractToJsonSchema } from '../manifest/index.ts'
import { buildRegistry } from '../registry/index.ts'
import { isCapabilityRequest, routeCapability } from '../resolve/index.ts'
import type { Component } from '../registry/index.ts'
import { registryOptionsOf, sessionOf, UsageError } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { splitArguments } from './split-arguments.ts'

export interface Plan {
  /** How a capability request was routed to this target, when it was one. */
  route?: string
  target: string
  kind: Component['kind']
  tool: 'Agent' | 'Skill'
  input: Record<string, unknown>
}

export function run(context: CommandContext): CommandResult {
  const forModel = context.values['for-model'] === true
  // Inside a slash command the arguments arrive as one quoted string: split them like a shell would.
  const words = context.positionals.length === 1 && /\s/.test(context.positionals[0]!) ? splitArguments(context.positionals[0]!) : context.positionals
  const into = typeof context.values.into === 'string' ? context.values.into : intoFromWords(words)
  const [target, ...pairs] = words.filter((w, i, all) => w !== '--into' && all[i - 1] !== '--into')
  try {
    const plan = makePlan(context, target, pairs, into)
    // The target and route name others' components; the input is the same JSON value, inert.
    const call = inertJson({ tool: plan.tool, input: plan.input }, 2)
    const text = forModel
      ? `${plan.route ? `Switchboard routed the request: ${inert(plan.route)}\n` : ''}Switchboard plan: call ${inert(plan.target)} (${plan.kind}) with the ${plan.tool} tool. Make exactly this one tool call now, with the input below unchanged, then report its result:\n\n\`\`\`json\n${call}\n\`\`\``
      : `${plan.route ? `${inert(plan.route)}\n` : ''}${call}`
    return { data: plan, text, exitCode: 0 }
  } catch (thrown) {
    if (!(thrown instanceof PlanError)) throw thrown
    if (forModel) return { data: null, text: `Switchboard cannot make this call: ${inert(thrown.message)} Do not call any tool for it; tell the user this message.`, exitCode: 0 }
    return { data: null, text: `switchboard plan: ${inert(thrown.message)}`, exitCode: 1 }
  }
}

/** A problem with the requested call, reported to the user (or the model) with its fix. */
export class PlanError extends Error {}

export interface PlanRequest {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  /** A component id or a capability request (`seo-analysis@^1`). */
  target: string
  /** `key=value`, `key=@file`, `key=$slot` pairs. */
  pairs: string[]
  into?: string
  /** The session whose slots the call may use (its folder). */
  sessionDir?: string
}

/** The checked tool call for a request, or a PlanError saying what is wrong. Shared by the CLI and the MCP server. */
export function planCall(request: PlanRequest): Plan {
  const context: CommandContext = { cwd: request.cwd, env: request.env, positionals: [], values: {}, usage: '' }
  return makePlan(context, request.target, request.pairs, request.into, request.sessionDir)
}

function makePlan(context: CommandContext, requested: string | undefined, pairs: string[], into: string | undefined, sessionFolder?: string): Plan {
  if (!requested) throw new UsageError('missing <plugin:component> or <capability@range>')
  let target = requested
  const registry = buildRegistry(registryOptionsOf(context))
  let routed: string | undefined
  if (isCapabilityRequest(target)) {
    const route = routeCapability(target, registry.components)
    if (!route.ok) throw new PlanError(`cannot route ${target}: ${route.explanation}`)
    routed = route.explanation
    target = route.provider
  }
  if (!target.includes(':')) throw new PlanError(`"${target}" is not a component id; write <plugin>:<component>, e.g. tdd-design:illustrator.`)
  if (into !== undefined && !SLOT_NAME.test(into)) throw new PlanError(`--into "${into}" is not a slot name: use letters, digits and "_".`)
  const component = registry.components.find((c) => c.id === target || c.aliases.includes(target)) ?? registry.components.find((c) => c.kind === 'agent' && c.id.toLowerCase() === target.toLowerCase())
  if (!component) {
    const plugin = target.split(':')[0]!
    const record = registry.plugins.find((p) => p.name === plugin)
    const offered = registry.components.filter((c) => c.plugin === plugin).map((c) => c.id)
    throw new PlanError(
      record && !record.loaded
        ? `Claude Code does not load plugin "${plugin}" (${record.loadError}).`
        : offered.length > 0
          ? `plugin "${plugin}" has no component "${target}". It has: ${offered.join(', ')}.`
          : `no plugin "${plugin}" is installed. Run /switchboard:plugins to see what can be called.`,
    )
  }
  if (!component.invocable) throw new PlanError(`${component.id} has disable-model-invocation set, so no tool can call it; type /${component.id} yourself.`)

  const session = sessionFolder ?? sessionOf(context, false)?.dir
  const fields: Array<[string, string]> = []
  const literal: Record<string, unknown> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new PlanError(`"${pair}" is not key=value; write e.g. content=@draft.md, style=flat or draft=$article_draft.`)
    const key = pair.slice(0, eq)
    const value = pair.slice(eq + 1)
    if (value.startsWith('@')) {
      let text: string
      try {
        text = readFileSync(resolve(context.cwd, value.slice(1)), 'utf8')
      } catch (thrown) {
        throw new PlanError(`cannot read ${value.slice(1)} for "${key}" (${(thrown as Error).message}).`)
      }
      if (session && SLOT_NAME.test(key)) {
        putSlot(session, { name: key, type: 'text', value: text, writer: 'cli' })
        fields.push([key, `$${key}`])
      } else {
        fields.push([key, text.replaceAll('$', '$$')])
      }
      literal[key] = text
      continue
    }
    for (const reference of findReferences(value)) {
      if (session && !getSlot(session, reference.name)) {
        throw new PlanError(`there is no context slot "${reference.name}" (for "${key}"). Slots: ${listSlots(session).map((s) => s.name).join(', ') || 'none yet'}.`)
      }
    }
    fields.push([key, value])
    if (findReferences(value).length === 0) literal[key] = value.replaceAll('$$', '$')
    else literal[key] = '(from context)'
  }
  checkInput(component, literal)
  const body = [...fields.map(([k, v]) => `${k}: ${v}`), ...(into ? [`[[switchboard into=${into}]]`] : [])].join('\n')
  const route = routed === undefined ? {} : { route: routed }
  if (component.kind === 'agent') {
    return { ...route, target: component.id, kind: component.kind, tool: 'Agent', input: { description: `Switchboard call to ${component.id}`, subagent_type: component.id, prompt: body || `Run ${component.id}.` } }
  }
  return { ...route, target: component.id, kind: component.kind, tool: 'Skill', input: { skill: component.id, args: body } }
}

/** Required fields and one-of values of the input contract, checked before anything runs. */
function checkInput(component: Component, values: Record<string, unknown>): void {
  const contract = component.orchestration?.input
  if (contract === undefined) return
  const schema = contractToJsonSchema(contract)
  const properties = (schema.properties ?? {}) as Record<string, { enum?: unknown[] }>
  const required = (schema.required ?? []) as string[]
  const missing = required.filter((key) => !(key in values))
  if (missing.length > 0) throw new PlanError(`${component.id} needs ${missing.map((k) => `${k}=...`).join(' ')} (its input contract: ${describeContract(properties, required)}).`)
  for (const [key, value] of Object.entries(values)) {
    const allowed = properties[key]?.enum
    if (allowed && value !== '(from context)' && !allowed.includes(value)) throw new PlanError(`${key} must be one of ${allowed.join(', ')}, not "${String(value)}".`)
  }
}

function describeContract(properties: Record<string, unknown>, required: string[]): string {
  return Object.keys(properties).map((k) => (required.includes(k) ? k : `${k}?`)).join(', ')
}


function intoFromWords(words: string[]): string | undefined {
  const index = words.indexOf('--into')
  return index >= 0 ? words[index + 1] : undefined
}

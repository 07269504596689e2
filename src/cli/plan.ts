/**
 * `switchboard plan <plugin:component | capability@range> [key=value | key=@file | key=$slot ...]
 * [--into slot]`: the exact, checked tool call for a cross-plugin call. The MCP tool `plan_call`
 * (which `/switchboard:invoke` uses in settings mode) calls the same planCall, and the hooks module's
 * invoke tool the same core (guard/plan.ts).
 *
 * A plan is the guard's own decision (guard/decide.ts) made ahead of time: a call the hooks would
 * deny is never planned. `key=@file` stores the file in the slot `key` (when a session is known), so
 * the content travels in the envelope, by file if large; `key=$slot` keeps the reference for the hook.
 */
import { routeCapability } from '../resolve/index.ts'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { inert, inertJson, nearest, SwitchboardError } from '../common/index.ts'
import { findReferences, getSlot, listSlots, putSlot } from '../context/index.ts'
import {
  decideCall,
  findComponent,
  INVOKE_USAGE,
  loadPolicy,
  parseInvokeWords,
  planCall as planInCore,
  PlanError,
  planInjection,
  withoutUsage,
} from '../guard/index.ts'
import type { Plan, Snapshot } from '../guard/index.ts'
import { buildRegistry, claudeLocations } from '../registry/index.ts'
import { foldInvocations, readRecords } from '../trace/index.ts'
import type { SessionRef } from '../trace/index.ts'
import { readArgumentFile, utf8Text } from './argument-file.ts'
import { registryOptionsOf, sessionOf, unknownSession } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { UsageError } from './usage-error.ts'

export { INVOKE_USAGE, parseInvokeWords, PlanError }
export type { Plan }

export function run(context: CommandContext): CommandResult {
  const { target, pairs, into } = readWords(context)
  const session = sessionOf(context, false)
  // A session named that nothing wrote to is a typo: planned against it, its slots would read as none yet.
  const unknown = session && unknownSession(context, session)
  if (unknown) throw new SwitchboardError('SESSION_UNKNOWN', unknown.replace(/\.$/, ''))
  let built: ReturnType<typeof buildRegistry> | undefined
  const registry = () => (built ??= buildRegistry(registryOptionsOf(context)))
  const caller = callerOf(context.values.caller)
  // A caller the registry does not hold is a typo: planned as it, the guard's verdict would be a stranger's.
  // (One of a plugin Claude Code does not load is planned as asked: the verdict is about its rules.)
  const callerPlugin = caller.caller?.split(':')[0]
  const loaded = registry().plugins.find((p) => p.name === callerPlugin)?.loaded !== false
  if (caller.caller && loaded && !registry().components.some((c) => c.id === caller.caller)) {
    const near = nearest(
      caller.caller,
      registry().components.map((c) => c.id),
    )
    throw new UsageError(
      `--caller ${inert(caller.caller)} is no installed component${near ? ` (did you mean ${inert(near)}?)` : ''}; give main, or the plugin:agent id the call is made from`,
    )
  }
  try {
    const plan = planCall({
      cwd: context.cwd,
      env: context.env,
      target,
      pairs,
      ...(into === undefined ? {} : { into }),
      ...caller,
      ...optional('session', session),
      // Run from a terminal, @file reads what the person names; run by Claude Code (a `!` line, the Bash tool), only what its Read could.
      from: context.env.CLAUDECODE === '1' ? 'claude' : 'terminal',
      registry,
    })
    // Warnings and the route name others' components; the call is the same JSON value, inert.
    const unchecked =
      !context.values.session && !context.env.CLAUDE_CODE_SESSION_ID && pairs.some((p) => findReferences(p).length > 0)
        ? [
            'no session is named, so its $slot references are not checked here (pass --session ID); the guard checks them when the call is made',
          ]
        : []
    const notes = [...unchecked, ...plan.warnings].map((w) => `warning: ${inert(w)}\n`).join('')
    return {
      data: plan,
      text: `${notes}${plan.route ? `${inert(plan.route)}\n` : ''}${inertJson({ tool: plan.tool, input: plan.input }, 2)}`,
      exitCode: 0,
    }
  } catch (thrown) {
    if (!(thrown instanceof PlanError)) throw thrown
    // A request that cannot be read is a usage error (exit 2, as everywhere); a refused call is a finding (1).
    if (thrown.kind === 'usage') throw new UsageError(withoutUsage(thrown.message))
    return { data: null, text: `switchboard plan: ${inert(thrown.message)}`, exitCode: 1 }
  }
}

/** The request's words; one that cannot be read (a quote never closed, --into twice) is a usage error. */
function readWords(context: CommandContext): ReturnType<typeof parseInvokeWords> {
  try {
    return parseInvokeWords(context.positionals, context.values.into)
  } catch (thrown) {
    if (thrown instanceof PlanError) throw new UsageError(withoutUsage(thrown.message))
    throw thrown
  }
}

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

/**
 * The checked tool call for a request, or a PlanError saying what is wrong. Shared by the CLI and the
 * MCP server; the planning is the core's (guard/plan.ts), this adds the files, slots and policy on disk.
 */
export function planCall(request: PlanRequest): Plan {
  const session = request.session?.dir
  const callerType = request.caller && request.caller !== 'main' ? request.caller : null
  const plan = planInCore({
    route: routeCapability,
    target: request.target,
    pairs: request.pairs,
    ...(request.into === undefined ? {} : { into: request.into }),
    registry: request.registry,
    decide: (target, kind, snapshot) => {
      const invocations = session ? foldInvocations(readRecords(session)) : new Map()
      const policy = loadPolicy(request.env, claudeLocations(request.env, request.cwd).projectDir)
      return decideCall({ callerType, callerInvocation: null, target, kind }, snapshot, policy, invocations)
    },
    slotNames: session ? listSlots(session).map((s) => s.name) : undefined,
    readFile: (key, path) => argumentText(request, key, path),
  })
  // Every file's slot checked before any is written: a secret second would otherwise refuse the plan after the
  // first file had replaced its slot (found by review).
  for (const slot of session ? plan.fileSlots : []) {
    // A secret is replaced only by `switchboard context put` (docs/security.md), never as a side effect.
    if (getSlot(session!, slot.name)?.secret)
      throw new PlanError(
        `"${slot.name}=@...": the slot "${slot.name}" is secret, and plan does not replace it. Give the file another name (e.g. ${slot.name}_file=@...), or replace the secret at a terminal: switchboard context put ${slot.name} ... --secret.`,
      )
  }
  for (const slot of session ? plan.fileSlots : []) {
    const existing = getSlot(session!, slot.name)
    if (existing && existing.value !== slot.text)
      plan.warnings.push(
        `the slot ${slot.name} (written by ${existing.writer}) now holds the file given as ${slot.name}=@...`,
      )
    try {
      putSlot(session!, {
        name: slot.name,
        type: 'text',
        value: slot.text,
        writer: request.from === 'terminal' ? 'cli' : 'tool',
      })
    } catch (thrown) {
      // `api_key=@notes.txt` would replace the secret slot api_key with the file.
      if (thrown instanceof SwitchboardError) throw new PlanError(`"${slot.name}=@...": ${thrown.message}`)
      throw thrown
    }
  }
  if (session) refuseAsTheGuardWould(plan, request, session)
  return plan
}

/**
 * What the guard decides from the session's context when the call is made (guard/inject.ts): a secret
 * sent where it is not shared, a secret-carrying call whose return would be stored, a return stored
 * over a secret. Planned, such a call would be denied at once; plan says so now.
 */
function refuseAsTheGuardWould(plan: Plan, request: PlanRequest, session: string): void {
  const component = findComponent(request.registry(), plan.target)
  if (!component) return
  const injection = planInjection({
    invocation: 'plan',
    caller: request.caller ?? 'main',
    chain: [],
    component,
    toolInput: plan.input,
    slot: (name) => getSlot(session, name),
    slotNames: () => listSlots(session).map((s) => s.name),
    filesDir: join(session, 'context', 'files'),
  })
  if (injection.kind === 'deny')
    throw new PlanError(`the guard refuses this call. ${injection.reason}`, 'denied', plan.target)
}

/**
 * `--caller`: plan the call as a plugin agent would make it (`may my agent call X?`), with that
 * agent's callers allow-lists and orchestration.calls; `main` (the default) is the person.
 */
function callerOf(caller: unknown): { caller?: string } {
  if (caller === undefined || caller === 'main') return {}
  if (typeof caller !== 'string' || !/^[^:\s]+:[^:\s]+$/.test(caller))
    throw new UsageError(
      `--caller "${inert(String(caller))}" is not main or a plugin:agent id, e.g. --caller tdd-growth:distributor`,
    )
  return { caller }
}

/** The plan as the model reads it (plan_call, /switchboard:invoke). */
export function planForModel(plan: Plan): string {
  const notes = plan.warnings.map((w) => `Note: ${inert(w)}\n`).join('')
  return `${plan.route ? `Switchboard routed the request: ${inert(plan.route)}\n` : ''}${notes}Switchboard plan: call ${inert(plan.target)} (${plan.kind}) with the ${plan.tool} tool. Make exactly this one tool call now, with the input below unchanged, then report its result:\n\n\`\`\`json\n${inertJson({ tool: plan.tool, input: plan.input }, 2)}\n\`\`\``
}

// --- internal ---

function argumentText(request: PlanRequest, key: string, path: string): string {
  if (request.from === 'claude') {
    const read = readArgumentFile(path, { cwd: request.cwd, env: request.env })
    if (!read.ok) throw new PlanError(`"${key}=@${path}": ${read.reason}`)
    return read.text
  }
  let bytes: Buffer
  try {
    bytes = readFileSync(resolve(request.cwd, path))
  } catch (thrown) {
    throw new PlanError(`cannot read ${path} for "${key}" (${(thrown as Error).message}).`)
  }
  const text = utf8Text(bytes, path)
  if (!text.ok) throw new PlanError(`"${key}=@${path}": ${text.reason}`)
  return text.text
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

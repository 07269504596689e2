/**
 * The invoke tool's input and output, runtime-neutral: what the model may pass (the line as typed, or
 * its fields), checked with one clear error per wrong field, and the typed JSON it gets back. The
 * hooks module serves the tool (module/invoke-tool.ts); the shape is documented in docs/protocol.md
 * ("The invoke tool") and kept stable: every result has every key of InvokeResult but the optional ones.
 */
import { inertJson } from '../common/core.ts'
import type { Plan } from './plan.ts'
import { INVOKE_USAGE, parseInvokeLine, PlanError, withoutUsage } from './plan.ts'
import type { ReturnReading } from './read-return.ts'

/** The most characters a request may carry (line, or target, prompt and args together): larger values go in a slot. */
export const INVOKE_INPUT_LIMIT = 100_000

/** What the model may pass, as the tool declares it to Claude Code. */
export const INVOKE_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    line: {
      type: 'string',
      description: `The whole request exactly as the user typed it after /switchboard:invoke: ${INVOKE_USAGE}. Pass it unchanged. Give either line, or target with args/prompt/into.`,
    },
    target: {
      type: 'string',
      description:
        'A component id (plugin:component, e.g. tdd-design:illustrator) or a capability request (name@range, e.g. copy-editing@^1).',
    },
    args: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description:
        'Named arguments, each a string: text, a $slot reference, or @file (a project file the caller may Read).',
    },
    prompt: {
      type: 'string',
      description: 'Free text for the target, ahead of the named arguments; $slot references allowed.',
    },
    into: {
      type: 'string',
      description: 'A slot to store the return in (ASCII letters, digits, _), for the next call to pass as $slot.',
    },
    workflow: {
      type: 'string',
      description:
        'Run a Switchboard workflow instead of one call: plugin:name (e.g. tdd-editor:illustrate-draft) or a path inside the project, optionally followed by input=value words and --fresh, exactly as typed after /switchboard:run. Not with line or target.',
    },
    inputs: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: "The workflow's inputs by name, each a string (input=@file reads a project file).",
    },
    fresh: {
      type: 'boolean',
      description: 'Run every step of the workflow again, ignoring the receipts of earlier runs.',
    },
  },
  additionalProperties: false,
} as const

export interface InvokeRequest {
  target: string | undefined
  pairs: string[]
  into?: string
  prompt?: string
}

type InvokeStatus = 'ok' | 'contract_mismatch' | 'failed' | 'denied' | 'invalid' | 'use_skill_tool'

/** The tool's result, as JSON. */
export interface InvokeResult {
  /**
   * `ok`: the target answered and its return fits its contract; `contract_mismatch`: it answered, but
   * not as its contract says (nothing stored); `failed`: it did not finish; `denied`: the guard or
   * Claude Code refused the call, nothing ran; `invalid`: the request is wrong, nothing ran;
   * `use_skill_tool`: the target is a command or skill, which must run in the caller's conversation.
   */
  status: InvokeStatus
  /** The component called (the resolved id), or null when the request named none. */
  target: string | null
  kind: 'agent' | 'command' | 'skill' | null
  /** The call's id in the trace (`switchboard trace`), or null when nothing was recorded. */
  invocation: string | null
  /** The return: the parsed JSON value when the output contract is JSON, else the text; null when there is none. */
  value: unknown
  /** The slot the return was stored in, or null. */
  slot: string | null
  /** What does not match the output contract, or what is wrong with the request, one line each. */
  problems: string[]
  /** One paragraph for the model and the user: what happened and what to do next. */
  message: string
  /** How a capability request was routed. */
  route?: string
  /** What did not stop the call (an argument an open input contract does not name). */
  warnings?: string[]
  /** For `use_skill_tool`: the checked call to make with the Skill tool, input unchanged. */
  call?: { tool: 'Skill'; input: Record<string, unknown> }
}

/** The request in the tool's input, or the problem with the field that is wrong and how to fix it. */
export function readInvokeInput(
  input: Record<string, unknown>,
): { ok: true; request: InvokeRequest } | { ok: false; problem: string } {
  const known = ['line', 'target', 'args', 'prompt', 'into']
  const unknown = Object.keys(input).filter((key) => !known.includes(key))
  if (unknown.length > 0)
    return fail(
      `unknown field "${unknown[0]}". The invoke tool takes line (the request as typed), or target with args, prompt and into.`,
    )
  for (const key of ['line', 'target', 'prompt', 'into'] as const) {
    if (input[key] !== undefined && typeof input[key] !== 'string')
      return fail(`${key} must be a string, not ${describe(input[key])}.`)
  }
  const args = input.args
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args)))
    return fail(
      `args must be an object of named strings, e.g. {"style": "flat", "content": "$draft"}, not ${describe(args)}.`,
    )
  const entries = Object.entries((args ?? {}) as Record<string, unknown>)
  const bad = entries.find(([, value]) => typeof value !== 'string')
  if (bad)
    return fail(`args.${bad[0]} must be a string, not ${describe(bad[1])}; write numbers and lists as text, e.g. "3".`)
  const badKey = entries.find(([key]) => !/^[^\s=]+$/.test(key))
  if (badKey)
    return fail(`args has the name ${JSON.stringify(badKey[0])}; a name has no spaces and no "=", e.g. "style".`)
  const size = [input.line, input.target, input.prompt, input.into, ...entries.flat()].reduce<number>(
    (sum, part) => sum + (typeof part === 'string' ? part.length : 0),
    0,
  )
  if (size > INVOKE_INPUT_LIMIT)
    return fail(
      `the request is ${size} characters, over the ${INVOKE_INPUT_LIMIT} the invoke tool takes. Store large values in a slot first (context_put, or key=@file) and pass $slot.`,
    )
  const line = input.line as string | undefined
  if (line !== undefined) {
    const others = ['target', 'args', 'prompt', 'into'].filter((key) => input[key] !== undefined)
    if (others.length > 0)
      return fail(`give either line, or target with args, prompt and into; not line and ${others.join(', ')}.`)
    try {
      return { ok: true, request: parseInvokeLine(line) }
    } catch (thrown) {
      if (thrown instanceof PlanError) return fail(`${withoutUsage(thrown.message)}.`)
      throw thrown
    }
  }
  if (input.target === undefined) return fail(`nothing to call: give line (${INVOKE_USAGE}) or target.`)
  return {
    ok: true,
    request: {
      target: input.target as string,
      pairs: entries.map(([key, value]) => `${key}=${value as string}`),
      ...(input.into === undefined ? {} : { into: input.into as string }),
      ...(input.prompt === undefined ? {} : { prompt: input.prompt as string }),
    },
  }
}

/** A request refused before anything ran: wrong (`invalid`) or refused by the guard (`denied`). */
export function invokeRefused(
  status: 'invalid' | 'denied',
  problem: string,
  known: { target?: string; kind?: InvokeResult['kind']; invocation?: string } = {},
): InvokeResult {
  const next =
    status === 'denied' ? ' Do not make this call another way; tell the user why.' : ` Usage: ${INVOKE_USAGE}.`
  return {
    status,
    target: known.target ?? null,
    kind: known.kind ?? null,
    invocation: known.invocation ?? null,
    value: null,
    slot: null,
    problems: [problem],
    message: `Switchboard cannot make this call: ${problem}${next}`,
  }
}

/** A command or skill: checked and planned, for the caller to make with the Skill tool in its own conversation. */
export function invokeSkill(plan: Plan): InvokeResult {
  return {
    status: 'use_skill_tool',
    target: plan.target,
    kind: plan.kind,
    invocation: null,
    value: null,
    slot: null,
    problems: [],
    message: `${plan.target} is a ${plan.kind}: it runs inside the conversation that calls it, which this tool cannot enter. Switchboard checked the call; make exactly this Skill call now, with the input unchanged, then report its result.`,
    ...planExtras(plan),
    call: { tool: 'Skill', input: plan.input },
  }
}

/**
 * An agent call that ran but that the guard never judged as this call (it failed on it and open mode let it
 * run, or another plugin's hook changed the call on its way): unchecked, untraced, its return neither checked
 * nor stored. No answer to pass on, which a workflow step retries as it says.
 */
export function invokeUnjudged(plan: Plan, ran: { invocation: string; text: string }): InvokeResult {
  const problem =
    "Switchboard's guard did not judge this call (it failed on it, or another plugin's hook changed the call on its way), so it ran unchecked and untraced, and its return was neither checked nor stored"
  return {
    target: plan.target,
    kind: plan.kind,
    invocation: ran.invocation,
    ...planExtras(plan),
    status: 'failed',
    value: ran.text || null,
    slot: null,
    problems: [problem],
    message: `${plan.target} ran, but ${problem}; value holds its answer. The debug log (claude --debug) has the guard's error.`,
  }
}

/** An agent call that ran: its return read against the target's output contract. */
export function invokeFinished(
  plan: Plan,
  ran: {
    invocation: string
    status: 'completed' | 'failed' | 'stopped'
    text: string
    reading: Pick<ReturnReading, 'value' | 'problems' | 'problem' | 'slot'> | undefined
  },
): InvokeResult {
  const base = { target: plan.target, kind: plan.kind, invocation: ran.invocation, ...planExtras(plan) }
  if (ran.status !== 'completed') {
    return {
      ...base,
      status: 'failed',
      value: ran.text || null,
      slot: null,
      problems: [`the agent ${ran.status}`],
      message: `${plan.target} ${ran.status} before it finished${ran.text ? '; value holds what it wrote so far' : ''}. Nothing was stored.`,
    }
  }
  const reading = ran.reading ?? { value: ran.text, problems: [] }
  if (reading.problems.length > 0) {
    return {
      ...base,
      status: 'contract_mismatch',
      value: reading.value,
      slot: null,
      problems: reading.problems,
      message: reading.problem ?? `${plan.target} answered, but not as its output contract says.`,
    }
  }
  const slot = reading.slot?.name ?? null
  return {
    ...base,
    status: 'ok',
    value: reading.value,
    slot,
    problems: [],
    message: `${plan.target} answered${slot ? `; the return is in slot "${slot}" (pass it on as $${slot})` : ''}.`,
  }
}

/** The result as the model reads it: one JSON value, inert (nothing in it can act on a terminal or forge a line). */
export function renderInvokeResult(result: InvokeResult): string {
  const { status, target, kind, invocation, value, slot, problems, message, route, warnings, call } = result
  // Always in this order, status first, so a reader (or a model) sees the outcome before the value.
  return inertJson({
    status,
    target,
    kind,
    invocation,
    value,
    slot,
    problems,
    message,
    ...(route === undefined ? {} : { route }),
    ...(warnings === undefined ? {} : { warnings }),
    ...(call === undefined ? {} : { call }),
  })
}

// --- internal ---

function fail(problem: string): { ok: false; problem: string } {
  return { ok: false, problem }
}

function describe(value: unknown): string {
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`
}

function planExtras(plan: Plan): Pick<InvokeResult, 'route' | 'warnings'> {
  return { ...(plan.route ? { route: plan.route } : {}), ...(plan.warnings.length ? { warnings: plan.warnings } : {}) }
}

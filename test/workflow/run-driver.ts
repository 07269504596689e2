/**
 * A runtime for the engine's tests: a fake clock and calls that end when the script says, one event
 * at a time (the earliest end first), so waves, parallel bounds, backoffs and completion order are
 * exact. Receipts are kept in a map, written after the result is "stored", as the module does.
 */
import { advance, settle, startRun } from '../../src/workflow/index.ts'
import type { CallOutcome, Receipt, RunCall, RunResult, RunSetup, RunState } from '../../src/workflow/index.ts'

export interface Scripted {
  outcome: CallOutcome
  /** How long the call takes (ms of the fake clock). */
  takes?: number
}

export interface DriveOptions {
  given?: Record<string, string>
  receipts?: Record<string, Receipt>
  fresh?: boolean
  waitLimitMs?: number
  /** Stop (a kill) after this many calls ended: what ran is in `receipts`, the rest never happens. */
  killAfter?: number
  start?: number
  /** The session's slots a step may read, as startRun is told of them: name to the time each was written. */
  sessionSlots?: Record<string, number>
  /** Of those, the secret ones. */
  secretSlots?: string[]
}

export interface Driven {
  result: RunResult | undefined
  calls: Array<RunCall & { at: number }>
  restored: Array<{ into: string; value: unknown }>
  receipts: Record<string, Receipt>
  /** Most calls in flight at once. */
  peak: number
  state: RunState
}

export function drive(
  setup: Omit<RunSetup, 'receipts' | 'fresh' | 'waitLimitMs'>,
  respond: (call: RunCall, now: number) => Scripted,
  options: DriveOptions = {},
): Driven {
  const receipts: Record<string, Receipt> = { ...options.receipts }
  const full: RunSetup = {
    ...setup,
    receipts,
    ...(options.fresh ? { fresh: true } : {}),
    ...(options.waitLimitMs === undefined ? {} : { waitLimitMs: options.waitLimitMs }),
  }
  let now = options.start ?? 1_000_000
  const written = options.sessionSlots ?? {}
  const started = startRun(full, options.given ?? {}, 'run-1', now, (name) =>
    written[name] === undefined
      ? undefined
      : { ts: written[name], secret: options.secretSlots?.includes(name) === true },
  )
  if (!started.ok) throw new Error(started.problems.join('\n'))
  const state = started.state
  const calls: Driven['calls'] = []
  const restored: Driven['restored'] = []
  const inFlight: Array<{ call: RunCall; endsAt: number; outcome: CallOutcome; seq: number }> = []
  let peak = 0
  let ended = 0
  for (let guard = 0; guard < 1000; guard++) {
    const actions = advance(state, full, now)
    for (const action of actions) {
      if (action.do === 'restore') restored.push({ into: action.into, value: action.value })
      if (action.do === 'call') {
        const scripted = respond(action.call, now)
        calls.push({ ...action.call, at: now })
        inFlight.push({
          call: action.call,
          endsAt: now + (scripted.takes ?? 1000),
          outcome: scripted.outcome,
          seq: calls.length,
        })
      }
      if (action.do === 'done') return { result: action.result, calls, restored, receipts, peak, state }
    }
    peak = Math.max(peak, inFlight.length)
    const wait = actions.find((a) => a.do === 'wait')
    if (wait && wait.do === 'wait') {
      if (inFlight.length > 0) throw new Error('the engine asked to wait with calls in flight')
      now = Math.max(now, wait.until)
      continue
    }
    if (inFlight.length === 0) throw new Error(`the engine has nothing to do: ${JSON.stringify(actions)}`)
    inFlight.sort((a, b) => a.endsAt - b.endsAt || a.seq - b.seq)
    const next = inFlight.shift()!
    now = next.endsAt
    const { receipt } = settle(state, full, next.call.step, next.outcome, now)
    if (receipt) receipts[next.call.step] = receipt
    if (options.killAfter !== undefined && ++ended >= options.killAfter)
      return { result: undefined, calls, restored, receipts, peak, state }
  }
  throw new Error('the run did not end')
}

export const ok = (value: unknown, takes?: number): Scripted => ({
  outcome: { status: 'ok', value },
  ...(takes === undefined ? {} : { takes }),
})
export const fails = (problem = 'the agent failed', takes?: number): Scripted => ({
  outcome: { status: 'failed', problems: [problem], message: problem },
  ...(takes === undefined ? {} : { takes }),
})
export const denied = (problem = 'policy: denied'): Scripted => ({
  outcome: { status: 'denied', problems: [problem], message: problem },
})

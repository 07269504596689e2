/**
 * `when.matches` tested in Node with a time limit. A pattern whose repetition holds overlapping
 * alternatives (`^([a-z]|[a-m])+$`) backtracks exponentially on a value that almost matches: 34
 * characters took 130 s here. The parser refuses the commonest shape (a repetition nested in
 * another), but not every one, and Node's regular expressions have no timeout: the run engine
 * advances under the session lock, so one such value would hold the MCP server and every hook that
 * waits for the lock. A `vm` script's timeout interrupts a regular expression mid-match. The time is
 * also bounded in all, per call of the runner: a workflow of many such steps (a parallel group, or
 * `on_error: continue`) would otherwise hold the lock for half a second a step.
 */
import { createContext, Script } from 'node:vm'
import type { PatternTest } from './conditions.ts'

/** Long enough for any sane pattern over 10,000 characters; short enough not to be felt as a hang. */
const PATTERN_TIME_LIMIT_MS = 500
/** What one call of the runner may spend testing patterns, in all. */
const PATTERN_TIME_BUDGET_MS = 1500

const script = new Script('new RegExp(pattern, "u").test(text)')
const sandbox = createContext({ pattern: '', text: '' })

/** A PatternTest for one call of the runner: each test bounded, and all of them together. */
export function boundedPatternTest(budgetMs = PATTERN_TIME_BUDGET_MS): PatternTest {
  let left = budgetMs
  return (pattern, text) => {
    if (left <= 0)
      throw new Error(
        `the pattern ${JSON.stringify(pattern)} was not tested: earlier patterns of this workflow spent the ${budgetMs} ms Switchboard gives them per step of a run. Make the patterns simple (no alternatives that overlap under a repetition).`,
      )
    const limit = Math.max(1, Math.ceil(Math.min(PATTERN_TIME_LIMIT_MS, left))) // vm takes whole milliseconds
    const started = performance.now()
    sandbox.pattern = pattern
    sandbox.text = text
    try {
      return script.runInContext(sandbox, { timeout: limit }) === true
    } catch (thrown) {
      if ((thrown as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
        throw new Error(
          `the pattern ${JSON.stringify(pattern)} took longer than ${limit} ms on this value and was stopped: it backtracks (alternatives that overlap under a repetition, as in "([a-z]|[a-m])+"). Make the alternatives exclusive, e.g. "^[a-z]+$".`,
        )
      throw new Error(`the pattern ${JSON.stringify(pattern)} could not be tested (${(thrown as Error).message})`)
    } finally {
      sandbox.text = ''
      left -= performance.now() - started
    }
  }
}

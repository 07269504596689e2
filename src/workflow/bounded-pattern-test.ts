/**
 * `when.matches` tested in Node with a time limit. A pattern whose repetition holds overlapping
 * alternatives (`^([a-z]|[a-m])+$`) backtracks exponentially on a value that almost matches: 34
 * characters took 130 s here. The parser refuses the commonest shape (a repetition nested in
 * another), but not every one, and Node's regular expressions have no timeout: the run engine
 * advances under the session lock, so one such value would hold the MCP server and every hook that
 * waits for the lock. A `vm` script's timeout interrupts a regular expression mid-match.
 */
import { createContext, Script } from 'node:vm'
import type { PatternTest } from './conditions.ts'

/** Long enough for any sane pattern over 10,000 characters; short enough not to be felt as a hang. */
const PATTERN_TIME_LIMIT_MS = 500

const script = new Script('new RegExp(pattern, "u").test(text)')
const sandbox = createContext({ pattern: '', text: '' })

export const boundedPatternTest: PatternTest = (pattern, text) => {
  sandbox.pattern = pattern
  sandbox.text = text
  try {
    return script.runInContext(sandbox, { timeout: PATTERN_TIME_LIMIT_MS }) === true
  } catch (thrown) {
    if ((thrown as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      throw new Error(
        `the pattern ${JSON.stringify(pattern)} took longer than ${PATTERN_TIME_LIMIT_MS} ms on this value and was stopped: it backtracks (alternatives that overlap under a repetition, as in "([a-z]|[a-m])+"). Make the alternatives exclusive, e.g. "^[a-z]+$".`,
      )
    throw new Error(`the pattern ${JSON.stringify(pattern)} could not be tested (${(thrown as Error).message})`)
  } finally {
    sandbox.text = ''
  }
}

/**
 * Validating a value against an output contract (JSON Schema, draft 2020-12), the same way in both
 * runtimes. @cfworker/json-schema, a maintained validator that generates no code: the hooks module's
 * sandbox refuses `new Function` ("Code generation from strings disallowed", observed on 2.1.331 and
 * 2.1.332), which ajv needs. A light door: the hooks that check returns and the hooks module load it.
 */
import { Validator } from '@cfworker/json-schema'
import { createContext, Script } from 'node:vm'
import { inertJson } from '../common/core.ts'
import { contractProblemLine } from './short-contract-check.ts'

/**
 * A contract's JSON Schema `pattern` runs on what an agent returned, in the MCP server that answers settings
 * mode's hooks, and Node's regular expressions have no timeout: one that backtracks (`^(a+)+$` on forty
 * characters) held the server for an hour, and every hook timed out, which Claude Code takes as no
 * decision (found by review). A `vm` script's timeout interrupts it, even inside the validator. A static
 * check of the pattern's shape (safe-regex2, as workflow conditions use) also refused the common
 * `^[a-z0-9]+(-[a-z0-9]+)*$`, so patterns are bounded in time, not refused by shape.
 */
const CONTRACT_TIME_LIMIT_MS = 1000
const VALIDATE = new Script('validate()')
const sandbox = createContext({ validate: undefined as unknown })

/** Problems, one line each (`/score: Instance type "string" is invalid. Expected "integer".`); empty when the value matches. */
export function contractProblems(schema: Record<string, unknown>, value: unknown): string[] {
  let result: ReturnType<Validator['validate']>
  try {
    sandbox.validate = () => new Validator(schema as never, '2020-12', false).validate(value)
    result = VALIDATE.runInContext(sandbox, { timeout: CONTRACT_TIME_LIMIT_MS })
  } catch (thrown) {
    if ((thrown as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      return [
        `the output contract was not checked: checking it took longer than ${CONTRACT_TIME_LIMIT_MS} ms and was stopped, as a pattern that backtracks does on a value that almost matches ("(a+)+" on "aaaa…!"). Make its patterns simple, e.g. "^[a-z]+(-[a-z]+)*$"`,
      ]
    return [`the output contract is not a valid JSON Schema (${(thrown as Error).message})`]
  } finally {
    sandbox.validate = undefined
  }
  if (result.valid) return []
  // Keep the errors that say what is wrong; drop the ones that only say a sub-schema did not match.
  const leaves = result.errors.filter(
    (e) =>
      !['properties', 'items', 'prefixItems', 'allOf', 'anyOf', 'oneOf', 'additionalProperties', '$ref'].includes(
        e.keyword,
      ) || result.errors.length === 1,
  )
  // A location is made of the return's own keys, which the agent chose: quoted and cut, never read as words of ours.
  return (leaves.length > 0 ? leaves : result.errors).map((e) =>
    contractProblemLine(e.instanceLocation.replace(/^#/, ''), withKeysQuoted(e.error.replace(/\.$/, ''))),
  )
}

/**
 * The validator's words, with the return's own key it quotes (`Property name "<key>" does not match schema`)
 * JSON-quoted and cut as locations are: a key holding `".` and a line break would otherwise close the
 * validator's quote and go on as a sentence of Switchboard's (found by review). Prefix and suffix tests
 * only, no pattern: the key may be long.
 */
function withKeysQuoted(text: string): string {
  for (const [prefix, suffix] of KEYED) {
    if (!text.startsWith(prefix) || !text.endsWith(suffix) || text.length < prefix.length + suffix.length) continue
    const middle = text.slice(prefix.length, text.length - suffix.length)
    // `Property "<key>" matches pattern "<pattern>" but ...`: the contract's pattern follows the key.
    const split = suffix === PATTERN_SUFFIX ? middle.lastIndexOf('" matches pattern "') : -1
    if (split >= 0)
      return `${prefix.slice(0, -1)}${quoted(middle.slice(0, split))} matches pattern ${quoted(middle.slice(split + 19))}${suffix.slice(1)}`
    return `${prefix.slice(0, -1)}${quoted(middle)}${suffix.slice(1)}`
  }
  return text
}

const PATTERN_SUFFIX = '" but does not match associated schema'
const KEYED: Array<[string, string]> = [
  // The contract's own names: its author wrote them, and a caller reads them in the problem.
  ['Instance does not have required property "', '"'],
  ['Property name "', '" does not match schema'],
  ['Property "', '" does not match schema'],
  ['Property "', '" does not match additional properties schema'],
  ['Property "', '" does not match unevaluated properties schema'],
  ['Property "', PATTERN_SUFFIX],
]

function quoted(key: string): string {
  return inertJson(key.length > 60 ? `${key.slice(0, 60)}...` : key)
}

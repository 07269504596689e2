/**
 * A return read against its target's output contract in the hooks module, which carries no JSON
 * Schema validator (44 KB that Claude Code would analyse at every session start, docs/runtimes.md):
 * a short-form contract is checked here (manifest/short-contract-check.ts, held word for word to the
 * validator), and a contract written as full JSON Schema by Switchboard's MCP server (check_return),
 * about 10 ms more. The reading itself is the core's (guard/read-return.ts), the same in both runtimes.
 */
import { isObject } from '../common/core.ts'
import { readReturn } from '../guard/core.ts'
import type { ReturnReading } from '../guard/core.ts'
import { shortContractProblems } from '../manifest/short-contract-check.ts'
import type { Component } from '../registry/index.ts'
import type { Engine } from './mod-api.ts'
import { callOwnServer } from './own-server.ts'

export async function readReturnHere(
  $: Engine,
  invocation: { id: string; target: string; into: string | null },
  text: string,
  component: Component | undefined,
): Promise<ReturnReading> {
  let asked: { schema: Record<string, unknown>; value: unknown } | undefined
  const reading = readReturn(invocation, text, component, (schema, value) => {
    const problems = shortContractProblems(schema, value)
    if (problems === undefined) asked = { schema, value }
    return problems ?? []
  })
  if (!asked) return reading
  // Read again with the server's answer: the reading is pure, and it checks the contract once.
  const reply = await callOwnServer($, 'check_return', asked)
  const problems =
    'failed' in reply
      ? [
          `its output contract (JSON Schema) could not be checked: Switchboard checks those with its MCP server: ${reply.failed}`,
        ]
      : isObject(reply.answer) && Array.isArray(reply.answer.problems)
        ? reply.answer.problems.map(String)
        : ["its output contract (JSON Schema) could not be checked: Switchboard's MCP server answered no problems list"]
  return readReturn(invocation, text, component, () => problems)
}
